"""The pages that gather: each asks the apps whose content it shows for their part, through
their selectors, and puts the parts together."""

from __future__ import annotations

from typing import Any

from checkins.selectors import checkins_for_home, shared_on_team_page
from feedback.selectors import for_home as feedback_for_home
from organisation.models import Unit
from organisation.selectors import home_for
from organisation.selectors import team_page as organisation_for_team_page
from profiles.selectors import notes_for_home
from profiles.selectors import shared_on_team_page as notes_on_team_page
from recognition.selectors import for_team_page as recognitions_for_team_page
from teamwork.selectors import for_team_page as teamwork_for_team_page
from teamwork.selectors import help_for_home


def for_min_side(user: Any) -> dict[str, Any]:
    return {
        **home_for(user),
        "notes": notes_for_home(user),
        **checkins_for_home(user),
        **help_for_home(user),
        **feedback_for_home(user),
    }


def for_team_page(*, unit: Unit, user: Any) -> dict[str, Any]:
    """The caller has checked that `user` may open the unit's page."""
    page = organisation_for_team_page(unit=unit, user=user)
    member_ids = [m.user_id for m in page["leaders"] + page["members"]]
    return {
        **page,
        "notes": notes_on_team_page(user=user, member_ids=member_ids),
        "checkins": shared_on_team_page(user=user, member_ids=member_ids),
        "recognitions": recognitions_for_team_page(unit=unit, user=user),
        **teamwork_for_team_page(unit=unit, user=user),
    }
