from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("search/", views.search, name="search"),
    path("<int:learning_entry_id>/", views.entry, name="entry"),
    path("<int:learning_entry_id>/edit/", views.edit, name="edit"),
    path("<int:learning_entry_id>/delete/", views.delete, name="delete"),
    path("from-activity/<int:activity_id>/", views.from_activity, name="from_activity"),
    path("team/<int:unit_id>/", views.team, name="team"),
    path("team/<int:unit_id>/handbook/", views.handbook, name="handbook"),
    path("organisation/", views.organisation, name="organisation"),
]
