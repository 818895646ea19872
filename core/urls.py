from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/<str:code>/", views.language, name="language"),
    path("health/", views.health, name="health"),
]
