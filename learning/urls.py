from django.urls import path

from learning import retro_views, views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("search/", views.search, name="search"),
    path("<int:learning_entry_id>/", views.entry, name="entry"),
    path("<int:learning_entry_id>/edit/", views.edit, name="edit"),
    path("<int:learning_entry_id>/delete/", views.delete, name="delete"),
    path("from-activity/<int:activity_id>/", views.from_activity, name="from_activity"),
    path("team/<int:unit_id>/", views.team, name="team"),
    path("team/<int:unit_id>/handbook/", views.handbook, name="handbook"),
    path("organisation/", views.organisation, name="organisation"),
    # Retrospectives
    path("team/<int:unit_id>/retrospectives/", retro_views.team, name="retrospectives"),
    path("team/<int:unit_id>/retrospectives/new/", retro_views.new, name="retrospective_new"),
    path(
        "retrospectives/<int:retrospective_id>/",
        retro_views.retrospective,
        name="retrospective",
    ),
    path(
        "retrospectives/<int:retrospective_id>/live/",
        retro_views.live,
        name="retrospective_live",
    ),
    path(
        "retrospectives/<int:retrospective_id>/next/",
        retro_views.next_phase,
        name="retrospective_next",
    ),
    path(
        "retrospectives/<int:retrospective_id>/anonymity/",
        retro_views.anonymity,
        name="retrospective_anonymity",
    ),
    path(
        "retrospectives/<int:retrospective_id>/ready/",
        retro_views.ready,
        name="retrospective_ready",
    ),
    path(
        "retrospectives/<int:retrospective_id>/health/",
        retro_views.health,
        name="retrospective_health",
    ),
    path(
        "retrospectives/<int:retrospective_id>/notes/",
        retro_views.note_add,
        name="retro_note_add",
    ),
    path(
        "retrospectives/<int:retrospective_id>/notes/<int:retro_note_id>/delete/",
        retro_views.note_delete,
        name="retro_note_delete",
    ),
    path(
        "retrospectives/<int:retrospective_id>/notes/<int:retro_note_id>/group/",
        retro_views.note_group,
        name="retro_note_group",
    ),
    path(
        "retrospectives/<int:retrospective_id>/groups/<int:retro_group_id>/title/",
        retro_views.group_rename,
        name="retro_group_rename",
    ),
    path(
        "retrospectives/<int:retrospective_id>/groups/<int:retro_group_id>/vote/",
        retro_views.vote,
        name="retro_group_vote",
    ),
    path(
        "retrospectives/<int:retrospective_id>/groups/<int:retro_group_id>/decision/",
        retro_views.decision,
        name="retro_group_decision",
    ),
    path(
        "retrospectives/<int:retrospective_id>/actions/",
        retro_views.action_add,
        name="retro_action_add",
    ),
    path(
        "retrospectives/<int:retrospective_id>/publish/",
        retro_views.publish,
        name="retrospective_publish",
    ),
]
