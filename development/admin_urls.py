from django.urls import path

from development import admin_views as views

app_name = "development_admin"

urlpatterns = [
    path("framework/", views.framework_edit, name="framework"),
]
