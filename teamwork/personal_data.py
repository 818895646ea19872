"""The kinds of personal data of teamwork (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, register
from teamwork.models import AgreementChange, Goal, GoalNote, HelpOffer, HelpRequest

register(
    _("Help, goals and agreements"),
    Kind("help_requests", _("Help you asked for"), HelpRequest, "asker"),
    Kind("help_offers", _("Help you offered"), HelpOffer, "helper"),
    Kind("goals", _("Team goals you keep moving"), Goal, "owner"),
    Kind("goal_notes", _("Your progress notes on goals"), GoalNote, "author"),
    Kind(
        "agreement_changes", _("Your changes to working agreements"), AgreementChange, "changed_by"
    ),
)
