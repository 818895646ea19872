from django.urls import path

from checkins import views

app_name = "checkins"

urlpatterns = [
    path("", views.checkin_list, name="list"),
    path("new/", views.checkin_edit, name="new"),
    path("shared/", views.checkin_shared, name="shared"),
    path("<int:checkin_id>/", views.checkin_detail, name="detail"),
    path("<int:checkin_id>/edit/", views.checkin_edit, name="edit"),
    path("<int:checkin_id>/reply/", views.reply_to_checkin, name="reply"),
    path("threads/<int:thread_id>/reply/", views.thread_reply, name="thread_reply"),
    path("replies/<int:reply_id>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:reply_id>/delete/", views.reply_remove, name="reply_delete"),
    path(
        "replies/<int:reply_id>/talking-point/",
        views.reply_talking_point,
        name="reply_talking_point",
    ),
]
