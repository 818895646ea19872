from django.urls import path

from checkins import views

app_name = "checkins"

urlpatterns = [
    path("", views.checkin_list, name="list"),
    path("new/", views.checkin_edit, name="new"),
    path("shared/", views.checkin_shared, name="shared"),
    path("<int:checkin_id>/", views.checkin_detail, name="detail"),
    path("<int:checkin_id>/edit/", views.checkin_edit, name="edit"),
]
