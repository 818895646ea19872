from django.urls import path

from checkins import views

app_name = "reflections"

urlpatterns = [
    path("", views.reflection_list, name="list"),
    path("new/", views.reflection_edit, name="new"),
    path("<int:reflection_id>/", views.reflection_detail, name="detail"),
    path("<int:reflection_id>/edit/", views.reflection_edit, name="edit"),
    path("<int:reflection_id>/delete/", views.reflection_remove, name="delete"),
]
