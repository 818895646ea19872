"""The kinds of personal data of learning (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, Rule, delete_rows, register, retention
from learning.models import Entry, RetroNote, RetroParticipation, Retrospective

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
retention(Rule("learning_entries", _("Learning entries"), Entry, "created_at"))
