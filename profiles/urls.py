from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.note_list, name="list"),
    path("new/", views.note_edit, name="new"),
    path("<int:note_id>/", views.note_detail, name="detail"),
    path("<int:note_id>/edit/", views.note_edit, name="edit"),
    path("<int:note_id>/delete/", views.note_remove, name="delete"),
]
