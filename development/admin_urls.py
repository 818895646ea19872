from django.urls import include, path

app_name = "development_admin"

urlpatterns = [
    path("", include("development.picture_admin_urls")),
]
