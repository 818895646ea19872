from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("teams/<int:unit_id>/", views.team, name="team"),
]
