"""The kinds of personal data of learning (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, Rule, delete_rows, not_personal, register, retention
from learning.models import (
    Entry,
    HealthAnswer,
    RetroAction,
    RetroGroup,
    RetroNote,
    RetroParticipation,
    Retrospective,
)

register(
    _("Learning"),
    Kind("learning_entries", _("Learning entries"), Entry, "owner", "learning:index", delete_rows),
    Kind(
        "retrospectives",
        _("Retrospectives you took part in or led"),
        Retrospective,
        ("facilitator", "participants"),
    ),
    Kind("retrospective_notes", _("Your notes in retrospectives"), RetroNote, "author"),
    Kind(
        "retrospective_progress",
        _("How far you came in retrospectives"),
        RetroParticipation,
        "person",
    ),
)
not_personal(
    HealthAnswer,
    reason="A participant's health check scores, kept with a random key and no author: nothing "
    "links them to anyone.",
)
not_personal(RetroGroup, reason="A heading the team put its notes under; the notes are a kind.")
not_personal(
    RetroAction, reason="Which retrospective a team goal came from; the goal is the team's."
)
retention(Rule("learning_entries", _("Learning entries"), Entry, "created_at"))
