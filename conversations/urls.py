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
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    # Overviews for leaders and administrators.
    path("people/", views.people, name="people"),
]
