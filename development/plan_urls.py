"""The development plan's pages, under /development/plans/ in the `development` namespace. The
ids are named for what they are (`development_plan_id`, not `plan_id`, which is a planning
of conversations), so the access sweep gives each URL an object of its own kind."""

from django.urls import path

from development import plan_views as views

urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:development_plan_id>/", views.plan, name="plan"),
    path("plans/<int:development_plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:development_plan_id>/goals/new/", views.goal_add, name="goal_add"),
    path("plans/goals/<int:development_goal_id>/", views.goal_edit, name="goal_edit"),
    path(
        "plans/<int:development_plan_id>/activities/new/",
        views.activity_add,
        name="activity_add",
    ),
    path("plans/activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path(
        "plans/activities/<int:activity_id>/status/",
        views.activity_status,
        name="activity_status",
    ),
    path(
        "plans/activities/<int:activity_id>/reflection/",
        views.activity_reflection,
        name="activity_reflection",
    ),
]
