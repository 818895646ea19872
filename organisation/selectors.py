"""Reads about the organisation, each loading what its page needs up front."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import NAME_COLUMNS, named
from core.access import can_read
from core.compiled import compiled_query
from organisation.models import ImportJob, Membership, Unit, Value


@dataclass(frozen=True)
class MinSideTeams:
    memberships: list[Membership]
    led_units: list[Unit]


def for_min_side(user: Any) -> MinSideTeams:
    """Min side: the person's teams, and those of them they lead."""
    memberships = for_teams_page(user)
    return MinSideTeams(
        memberships=memberships,
        led_units=[m.unit for m in memberships if m.role == Membership.Role.LEADER],
    )


def led_units_of(user: Any) -> list[Unit]:
    """The units in use that `user` leads now, by name."""
    return list(
        Unit.objects.filter(
            memberships__user=user,
            memberships__role=Membership.Role.LEADER,
            archived_at__isnull=True,
        ).order_by("name")
    )


@compiled_query
def _memberships_of(user_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user_id, unit__archived_at__isnull=True)
        .select_related("unit")
        .order_by("unit__name")
    )


@compiled_query
def _membership(user_id: int, unit_id: int) -> QuerySet[Membership, int]:
    return Membership.objects.filter(user_id=user_id, unit_id=unit_id).values_list("pk", flat=True)


def is_member(user: Any, unit: Unit) -> bool:
    """Whether `user` is in `unit`, as a member or its leader. Compiled once: every thanks to
    a team and every help request asks it."""
    return bool(_membership(user_id=user.pk, unit_id=unit.pk))


def for_teams_page(user: Any) -> list[Membership]:
    """The teams list: the person's memberships of units in use, by name. Compiled once:
    Min side reads them on every view."""
    return _memberships_of(user_id=user.pk)


@dataclass(frozen=True)
class TeamPagePeople:
    unit: Unit
    # The people as far as the page writes them: name, avatar and job title.
    leaders: list[User]
    members: list[User]
    in_unit: bool
    children: list[Unit]
    ancestors: list[tuple[Unit, bool]]


def active_memberships(unit_id: int) -> QuerySet[Membership]:
    """The places in the unit of its active people, members and leaders: whom its team page
    shows."""
    return Membership.objects.filter(unit_id=unit_id, user__is_active=True)


@compiled_query
def _people_of(unit_id: int) -> QuerySet[Any]:
    return (
        active_memberships(unit_id)
        .order_by("user__first_name", "user__last_name", "user_id")
        .values_list("role", "user__job_title", *NAME_COLUMNS)
    )


@dataclass(frozen=True)
class Reach:
    """The units whose team page a person may open, as `Unit.objects.visible_to` says, as
    facts to test units against without asking the database again: everything for an
    administrator; else their own units and every unit below one they lead. Held equal to
    `visible_to` unit for unit by a test."""

    everything: bool
    unit_ids: frozenset[int]
    led_paths: tuple[str, ...]

    def opens(self, unit: Unit) -> bool:
        return self.everything or unit.pk in self.unit_ids or unit.path.startswith(self.led_paths)


def reach_of(user: Any) -> Reach:
    if not can_read(user):
        return Reach(everything=False, unit_ids=frozenset(), led_paths=())
    if user.is_administrator:
        return Reach(everything=True, unit_ids=frozenset(), led_paths=())
    places = _places_of(user_id=user.pk)
    return Reach(
        everything=False,
        unit_ids=frozenset(unit_id for unit_id, _role, _path in places),
        led_paths=tuple(path for _id, role, path in places if role == Membership.Role.LEADER),
    )


@compiled_query
def _places_of(user_id: int) -> QuerySet[Any]:
    return Membership.objects.filter(user_id=user_id).values_list("unit_id", "role", "unit__path")


@compiled_query
def _unit_with_team(unit_id: int) -> QuerySet[Unit]:
    return Unit.objects.select_related("team").filter(pk=unit_id)


@compiled_query
def _around(ancestor_ids: list[int], unit_id: int) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(Q(pk__in=ancestor_ids) | Q(parent_id=unit_id, archived_at__isnull=True))
        .only("pk", "name", "path", "parent_id")
        .order_by("depth", "name")
    )


def for_team_page(*, unit_id: int, user: Any) -> TeamPagePeople:
    """The team page's part about the organisation: the unit, if `user` may open its page
    (404 otherwise), its people, leaders first, and the units around it that `user` may
    open. Which units `user` may open is read once for all three (`reach_of`), and the units
    around it (those above, and those below it in use) are read in one query."""
    reach = reach_of(user)
    found = _unit_with_team(unit_id=unit_id)
    if not found or not reach.opens(found[0]):
        raise Http404
    unit = found[0]
    # The columns the page writes, not each person's whole account.
    people: dict[str, list[User]] = {Membership.Role.LEADER: [], Membership.Role.MEMBER: []}
    for role, job_title, *name in _people_of(unit_id=unit.pk):
        person = named(*name)
        person.job_title = job_title
        people[role].append(person)
    leaders, members = people[Membership.Role.LEADER], people[Membership.Role.MEMBER]
    around = _around(ancestor_ids=unit.ancestor_ids(), unit_id=unit.pk)
    return TeamPagePeople(
        unit=unit,
        leaders=leaders,
        members=members,
        in_unit=any(person.pk == user.pk for person in leaders + members),
        children=[u for u in around if u.parent_id == unit.pk and reach.opens(u)],
        ancestors=[(u, reach.opens(u)) for u in around if u.parent_id != unit.pk],
    )


@dataclass(frozen=True)
class AdministratorsStartOrganisation:
    """What the administrator's start needs to know about the organisation."""

    # Units exist and people other than the administrator: imported, or entered by hand.
    imported: bool
    has_values: bool
    imports_under_way: list[ImportJob]


def for_administrators_start(*, user: User, now: datetime) -> AdministratorsStartOrganisation:
    """The administrator's start: whether the organisation and its values are in place, and
    the imports the worker is checking or applying at `now`."""
    imported = (
        Unit.objects.exists() and User.objects.filter(is_active=True).exclude(pk=user.pk).exists()
    )
    under_way = list(
        ImportJob.objects.under_way(now=now)
        # The kept files and the preview can be large; the start only names the job.
        .only("pk", "source", "status", "created_at", "updated_at")
        .order_by("-created_at", "-pk")
    )
    return AdministratorsStartOrganisation(
        imported=imported,
        has_values=Value.objects.filter(is_active=True).exists(),
        imports_under_way=under_way,
    )
