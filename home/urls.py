from django.urls import path

from home import views

app_name = "home"

# The paths are those of the pages before they gathered here: links in e-mails already sent
# keep working.
urlpatterns = [
    path("", views.index, name="index"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:unit_id>/", views.team, name="team"),
]
