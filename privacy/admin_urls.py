from django.urls import path

from privacy import admin_views as views

app_name = "privacy_admin"

urlpatterns = [
    path("", views.retention, name="retention"),
]
