from django.urls import path

from development import admin_views as views
from development import picture_admin_urls

app_name = "development_admin"

urlpatterns = [
    path("framework/", views.framework_edit, name="framework"),
    *picture_admin_urls.urlpatterns,
]
