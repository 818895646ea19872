from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    # Threads and the list of one's conversations.
    path("", views.index, name="index"),
    path("with/<int:conversation_thread_id>/", views.thread, name="thread"),
    # One conversation: preparation, agenda, notes, summary.
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    path("<int:conversation_id>/bring/", views.bring, name="bring"),
    # Planning, requests and calendar invitations.
    path("new/", views.new, name="new"),
    path("ask/", views.ask, name="ask"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("<int:conversation_id>/time/", views.schedule, name="schedule"),
    path("<int:conversation_id>/cancel/", views.cancel, name="cancel"),
    path("<int:conversation_id>/invitation.ics", views.invitation, name="invitation"),
    path("with/<int:conversation_thread_id>/rhythm/", views.rhythm, name="rhythm"),
    # Overviews for leaders and administrators.
]
