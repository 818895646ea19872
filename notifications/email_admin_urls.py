from django.urls import path

from notifications import admin_views as views

app_name = "email_admin"

urlpatterns = [
    path("test/", views.email_test, name="test"),
]
