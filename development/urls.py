from django.urls import include, path

app_name = "development"

urlpatterns = [
    path("", include("development.picture_urls")),
]
