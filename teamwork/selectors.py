"""Reads about teamwork for the pages that show it, each loading what it needs up front."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.access import can_read, led_unit_ids, reader
from core.compiled import compiled_query
from organisation.models import Unit
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement

# A goal or an agreement comes up on someone's week this long before its date, and stays
# there once its date has passed until it is done or given a new date.
DUE_WITHIN = timedelta(days=14)


def _due_by(now: datetime) -> date:
    return timezone.localdate(now) + DUE_WITHIN


@dataclass(frozen=True)
class MemberWeekTeamwork:
    colleague_requests: list[HelpRequest]
    my_requests: list[HelpRequest]
    goals_due: list[Goal]


# Min side's reads, compiled once (core.compiled): every view of it runs them.


@compiled_query
def _colleague_requests(reader_id: int) -> QuerySet[HelpRequest]:
    # The five newest are chosen before their people and units are joined: joined first,
    # PostgreSQL expected hundreds of requests and read thousands of people to join them.
    newest = (
        HelpRequest.objects.visible_to(reader(reader_id))
        .open()
        .exclude(asker_id=reader_id)
        .values("pk")[:5]
    )
    return HelpRequest.objects.filter(pk__in=newest).select_related("asker", "unit")


@compiled_query
def _my_requests(asker_id: int) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(asker_id=asker_id).open()[:5]


def _due(owner_id: int, due_by: date) -> Q:
    return Q(owner_id=owner_id, due_date__lte=due_by) & ~Q(status=Goal.Status.DONE)


@compiled_query
def _any_goal_due(owner_id: int, due_by: date) -> QuerySet[Any]:
    return Goal.objects.filter(_due(owner_id, due_by)).values_list("pk", flat=True)[:1]


def for_member_week(user: Any, now: datetime) -> MemberWeekTeamwork:
    """A member's week: colleagues' open requests the person may read, their own open ones,
    and the team goals they own (team actions from wellbeing results among them) that are due
    within two weeks of `now` or overdue. Three queries for someone who owns no goal that is
    due, five for someone who does (the units they may open are read then)."""
    if not can_read(user):
        return MemberWeekTeamwork([], [], [])
    due_by = _due_by(now)
    return MemberWeekTeamwork(
        colleague_requests=_colleague_requests(reader_id=user.pk),
        my_requests=_my_requests(asker_id=user.pk),
        # Most people own no goal that is due: a plain query says so before the access
        # layer's conditions (the units the person may open, which depend on whether the
        # person is an administrator) are put together.
        goals_due=list(
            Goal.objects.visible_to(user)
            .filter(_due(user.pk, due_by))
            .select_related("owner", "team__unit")[:5]
        )
        if _any_goal_due(owner_id=user.pk, due_by=due_by)
        else [],
    )


@dataclass(frozen=True)
class LeadersWeekTeamwork:
    help_requests: list[HelpRequest]
    goals_due: list[Goal]
    agreements_to_revisit: list[Team]


@compiled_query
def _help_in_led_units(reader_id: int) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.visible_to(reader(reader_id))
        .open()
        .filter(unit_id__in=led_unit_ids(reader(reader_id)))
        .exclude(asker_id=reader_id)
        .select_related("asker", "unit")[:10]
    )


@compiled_query
def _goals_due_in_led_units(leader_id: int, due_by: date) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(team__unit_id__in=led_unit_ids(reader(leader_id)), due_date__lte=due_by)
        .exclude(status=Goal.Status.DONE)
        .select_related("owner", "team__unit")[:10]
    )


@compiled_query
def _agreements_due_in_led_units(leader_id: int, due_by: date) -> QuerySet[Team]:
    return (
        Team.objects.filter(
            unit_id__in=led_unit_ids(reader(leader_id)), agreements_revisit_on__lte=due_by
        )
        .select_related("unit")
        .order_by("agreements_revisit_on", "unit__name")[:10]
    )


def for_leaders_week(user: Any, now: datetime) -> LeadersWeekTeamwork:
    """The leader's week in the units `user` leads now: open help requests (as far as the
    leader may read them), goals and team actions due within two weeks of `now` or overdue,
    whoever owns them, and teams whose agreements are to be revisited by then. Three
    queries, however many units."""
    if not can_read(user):
        return LeadersWeekTeamwork([], [], [])
    due_by = _due_by(now)
    return LeadersWeekTeamwork(
        help_requests=_help_in_led_units(reader_id=user.pk),
        goals_due=_goals_due_in_led_units(leader_id=user.pk, due_by=due_by),
        agreements_to_revisit=_agreements_due_in_led_units(leader_id=user.pk, due_by=due_by),
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
        help_requests=_help_in_unit(reader_id=user.pk, unit_id=unit.pk) if can_read(user) else [],
        goals=_open_goals(unit_id=unit.pk),
        agreements=_agreements(unit_id=unit.pk),
    )


# The team page's reads, compiled once.


@compiled_query
def _help_in_unit(reader_id: int, unit_id: int) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.visible_to(reader(reader_id))
        .open()
        .filter(unit_id=unit_id)
        .select_related("asker")[:10]
    )


@compiled_query
def _open_goals(unit_id: int) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(team__unit_id=unit_id)
        .exclude(status=Goal.Status.DONE)
        .select_related("owner", "team")[:10]
    )


@compiled_query
def _agreements(unit_id: int) -> QuerySet[WorkingAgreement]:
    return WorkingAgreement.objects.filter(team__unit_id=unit_id)
