from django.urls import path

from development import picture_views

urlpatterns = [
    path("picture/", picture_views.organisation_picture, name="picture"),
]
