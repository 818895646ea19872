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
    path("<int:conversation_id>/live/", views.live, name="live"),
    path("<int:conversation_id>/preparation/", views.preparation_save, name="preparation"),
    path("<int:conversation_id>/items/", views.item_add, name="item_add"),
    path("<int:conversation_id>/items/<int:item_id>/move/", views.item_move, name="item_move"),
    path(
        "<int:conversation_id>/items/<int:item_id>/status/", views.item_status, name="item_status"
    ),
    path("<int:conversation_id>/notes/", views.shared_note_add, name="shared_note_add"),
    path(
        "<int:conversation_id>/notes/<int:shared_note_id>/",
        views.shared_note_edit,
        name="shared_note_edit",
    ),
    path("<int:conversation_id>/private-note/", views.private_note_save, name="private_note"),
    path("<int:conversation_id>/hold/", views.hold, name="hold"),
    path("<int:conversation_id>/addenda/", views.addendum_add, name="addendum_add"),
    path("<int:conversation_id>/summary/", views.summary_save, name="summary"),
    path("<int:conversation_id>/summary/approve/", views.summary_approve, name="summary_approve"),
    path(
        "<int:conversation_id>/development-plan/",
        views.development_plan,
        name="development_plan",
    ),
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
    path("people/", views.people, name="people"),
]
