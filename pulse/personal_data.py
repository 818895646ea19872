"""The kinds of personal data of the wellbeing pulse (see core.personal_data). The answers are
none: nothing links an answer to the person who gave it (PRODUCT.md, anonymity rule 4)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, not_personal, register
from pulse.models import Action, OpenParticipation, Participation

register(
    _("Wellbeing"),
    Kind(
        "wellbeing_participation",
        _("Wellbeing rounds you took part in"),
        Participation,
        "user",
        "pulse:index",
    ),
    # Without its row's id: ids grow in the order people answer, and sealing moves the rows
    # in random order so that none of that order is kept; a copy made while the round is open
    # must not keep it either.
    Kind(
        "wellbeing_open_participation",
        _("Open wellbeing rounds you have answered"),
        OpenParticipation,
        "user",
        "pulse:index",
        withheld=("id",),
    ),
)
not_personal(
    Action,
    reason="Which wellbeing question and round a team goal came from; the goal is the team's.",
)
