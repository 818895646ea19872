from django.urls import path

from api import views

app_name = "api_admin"

urlpatterns = [
    path("", views.tokens_overview, name="tokens"),
]
