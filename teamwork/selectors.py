"""Reads about teamwork for the pages that show it, each loading what it needs up front."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from organisation.models import Unit
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement


@dataclass(frozen=True)
class MinSideHelp:
    colleague_requests: list[HelpRequest]
    my_requests: list[HelpRequest]


def for_min_side(user: Any) -> MinSideHelp:
    """Min side: colleagues' open requests the person may read, and their own open ones."""
    return MinSideHelp(
        colleague_requests=list(
            HelpRequest.objects.visible_to(user)
            .open()
            .exclude(asker=user)
            .select_related("asker", "unit")[:5]
        ),
        my_requests=list(HelpRequest.objects.asked_by(user).open()[:5]),
    )


def team_of(unit: Unit) -> Team:
    """The unit's team settings when they were loaded with it (`select_related("team")`),
    otherwise read; defaults when the team has none."""
    try:
        return unit.team
    except Team.DoesNotExist:
        return Team(unit=unit)


@dataclass(frozen=True)
class TeamPageTeamwork:
    team: Team
    help_requests: list[HelpRequest]
    goals: list[Goal]
    agreements: list[WorkingAgreement]


def for_team_page(*, unit: Unit, user: Any) -> TeamPageTeamwork:
    """The team page's teamwork: purpose, open help requests, goals and agreements. The
    caller has checked that `user` may open the unit's page, which is what reading its goals
    and agreements takes; help requests keep their own, narrower, readers."""
    return TeamPageTeamwork(
        team=team_of(unit),
        help_requests=list(
            HelpRequest.objects.visible_to(user)
            .open()
            .filter(unit=unit)
            .select_related("asker")[:10]
        ),
        goals=list(
            Goal.objects.filter(team__unit=unit)
            .exclude(status=Goal.Status.DONE)
            .select_related("owner", "team")[:10]
        ),
        agreements=list(WorkingAgreement.objects.filter(team__unit=unit)),
    )
