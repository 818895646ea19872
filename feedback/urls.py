from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.index, name="index"),
    path("received/", views.received, name="received"),
    path("given/", views.given, name="given"),
    path("shared/", views.shared, name="shared"),
    path("ask/", views.request_new, name="ask"),
    path("give/", views.give, name="give"),
    path("overview/", views.overview, name="overview"),
    path("overview/export.csv", views.export, name="export"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/answer/", views.request_answer, name="answer"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="decline"),
    path("<int:feedback_id>/", views.detail, name="detail"),
    path("<int:feedback_id>/thank/", views.thank, name="thank"),
    path("<int:feedback_id>/keep/", views.keep, name="keep"),
    path("<int:feedback_id>/share/", views.share, name="share"),
    path("<int:feedback_id>/delete/", views.delete, name="delete"),
    path("sparring/", views.sparring_list, name="sparring_list"),
    path("sparring/new/", views.sparring_new, name="sparring_new"),
    path("sparring/<int:sparring_id>/", views.sparring_detail, name="sparring"),
    path("sparring/<int:sparring_id>/time/", views.sparring_schedule, name="sparring_schedule"),
    path("sparring/<int:sparring_id>/decline/", views.sparring_decline, name="sparring_decline"),
    path("sparring/<int:sparring_id>/cancel/", views.sparring_cancel, name="sparring_cancel"),
    path(
        "sparring/<int:sparring_id>/invitation.ics",
        views.sparring_invitation,
        name="sparring_invitation",
    ),
]
