"""Reads about teamwork for the pages that show it, each loading what it needs up front."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.access import led_unit_ids
from organisation.models import Unit
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement

# A goal or an agreement comes up on someone's week this long before its date, and stays
# there once its date has passed until it is done or given a new date.
DUE_WITHIN = timedelta(days=14)


def _due_by(now: datetime) -> Any:
    return timezone.localdate(now) + DUE_WITHIN


@dataclass(frozen=True)
class MemberWeekTeamwork:
    colleague_requests: list[HelpRequest]
    my_requests: list[HelpRequest]
    goals_due: list[Goal]


def for_member_week(user: Any, now: datetime) -> MemberWeekTeamwork:
    """A member's week: colleagues' open requests the person may read, their own open ones,
    and the team goals they own (team actions from wellbeing results among them) that are due
    within two weeks of `now` or overdue. Three queries for someone who owns no goal that is
    due, five for someone who does (the units they may open are read then)."""
    due = Q(owner=user, due_date__lte=_due_by(now)) & ~Q(status=Goal.Status.DONE)
    return MemberWeekTeamwork(
        colleague_requests=list(
            HelpRequest.objects.visible_to(user)
            .open()
            .exclude(asker=user)
            .select_related("asker", "unit")[:5]
        ),
        my_requests=list(HelpRequest.objects.asked_by(user).open()[:5]),
        # Most people own no goal that is due: a plain query says so before the access
        # layer's conditions (the units the person may open) are put together.
        goals_due=list(
            Goal.objects.visible_to(user).filter(due).select_related("owner", "team__unit")[:5]
        )
        if Goal.objects.filter(due).exists()
        else [],
    )


@dataclass(frozen=True)
class LeadersWeekTeamwork:
    help_requests: list[HelpRequest]
    goals_due: list[Goal]
    agreements_to_revisit: list[Team]


def for_leaders_week(user: Any, now: datetime) -> LeadersWeekTeamwork:
    """The leader's week in the units `user` leads now: open help requests (as far as the
    leader may read them), goals and team actions due within two weeks of `now` or overdue,
    whoever owns them, and teams whose agreements are to be revisited by then. Three
    queries, however many units."""
    led = led_unit_ids(user)
    due_by = _due_by(now)
    return LeadersWeekTeamwork(
        help_requests=list(
            HelpRequest.objects.visible_to(user)
            .open()
            .filter(unit_id__in=led)
            .exclude(asker=user)
            .select_related("asker", "unit")[:10]
        ),
        goals_due=list(
            Goal.objects.filter(team__unit_id__in=led, due_date__lte=due_by)
            .exclude(status=Goal.Status.DONE)
            .select_related("owner", "team__unit")[:10]
        ),
        agreements_to_revisit=list(
            Team.objects.filter(unit_id__in=led, agreements_revisit_on__lte=due_by)
            .select_related("unit")
            .order_by("agreements_revisit_on", "unit__name")[:10]
        ),
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
