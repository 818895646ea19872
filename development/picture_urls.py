from django.urls import path

from development import picture_views

urlpatterns = [
    path("team/<int:unit_id>/", picture_views.team_picture, name="team_picture"),
]
