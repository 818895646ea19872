from django.urls import path

from teamwork import views

app_name = "teamwork"

team = "teams/<int:unit_id>/"

urlpatterns = [
    path(f"{team}purpose/", views.purpose_edit, name="purpose"),
    path(f"{team}agreements/", views.agreement_list, name="agreements"),
    path(f"{team}agreements/new/", views.agreement_new, name="agreement_new"),
    path(f"{team}agreements/start/", views.agreement_templates, name="agreement_templates"),
    path(f"{team}agreements/revisit/", views.agreement_revisit, name="agreement_revisit"),
    path(f"{team}agreements/history/", views.agreement_history, name="agreement_history"),
    path(
        f"{team}agreements/<int:agreement_id>/edit/",
        views.agreement_edit,
        name="agreement_edit",
    ),
    path(
        f"{team}agreements/<int:agreement_id>/remove/",
        views.agreement_remove,
        name="agreement_remove",
    ),
    path(f"{team}goals/", views.goal_list, name="goals"),
    path(f"{team}goals/new/", views.goal_new, name="goal_new"),
    path(f"{team}goals/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path(f"{team}goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path(f"{team}goals/<int:goal_id>/notes/", views.goal_note_add, name="goal_note_add"),
    path(f"{team}help/", views.help_list, name="help_list"),
    path(f"{team}help/new/", views.help_new, name="help_new"),
    path("help/<int:help_request_id>/", views.help_detail, name="help_detail"),
    path("help/<int:help_request_id>/offer/", views.help_offer, name="help_offer"),
    path("help/<int:help_request_id>/accept/", views.help_accept, name="help_accept"),
    path("help/<int:help_request_id>/resolve/", views.help_resolve, name="help_resolve"),
]
