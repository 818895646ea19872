"""Reads of the learning log, each through `Entry.objects.visible_to(user)`: a person's own
log, one entry, a team's shared learning and the organisation's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from accounts.models import User
from core.access import Visibility, can_read, get_owned_or_404, get_visible_or_404, reader
from core.compiled import compiled_query
from core.planner import planned_each_time
from development.models import Activity
from development.plan_selectors import area_names_current
from learning.links import Link, link_of
from learning.models import Entry
from learning.retro_selectors import Summary, handbook_summaries, handbook_summaries_of_units
from learning.search import entries_found, fts_expression, fts_matches, many_match
from organisation.models import Membership, Unit
from teamwork.access import readable_unit_or_404

PAGE_SIZE = 20


@dataclass(frozen=True)
class EntryView:
    """An entry as a page shows it: the entry, its links named by where they lead, and the
    names of its focus areas in the reader's language."""

    entry: Entry
    links: list[Link]
    areas: list[str]


def _views(entries: list[Entry]) -> list[EntryView]:
    names = area_names_current()
    return [
        EntryView(
            entry,
            [link_of(url) for url in entry.links],
            [names[key] for key in entry.area_keys if key in names],
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class Slice:
    """The newest entries from a point on, and the point the next older slice starts from
    (`?older=`), or "" when there are no older ones. No count: a list of shared learning can
    be long, and counting it costs as much again as the slice."""

    entries: list[EntryView]
    older: str = ""


def _position(value: str | None) -> tuple[date, int] | None:
    """`?older=` as (date, id); anything else is the start of the list."""
    day, _sep, pk = (value or "").partition("_")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


@compiled_query
def _entries_with_owners(ids: list[int]) -> QuerySet[Entry]:
    return Entry.objects.filter(pk__in=ids).select_related("owner")


def _newest_first(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.order_by("-happened_on", "-pk")


def _newest_ids(entries: QuerySet[Entry]) -> QuerySet[Any]:
    return _newest_first(entries).values_list("pk", flat=True)[: PAGE_SIZE + 1]


def _slice(entries: QuerySet[Entry], older: str | None, *, ids_first: bool = False) -> Slice:
    """`ids_first`: for entries the database sorts rather than reads in order (what a search
    found), the slice's ids are sorted first and only its entries read: sorting thousands of
    found entries with their texts and owners took three times as long."""
    after = _position(older)
    if after is not None:
        day, pk = after
        entries = entries.filter(Q(happened_on__lt=day) | Q(happened_on=day, pk__lt=pk))
    if ids_first:
        return _slice_of_ids(list(_newest_ids(entries)))
    return _slice_of(list(_newest_first(entries).select_related("owner")[: PAGE_SIZE + 1]))


def _slice_of_ids(ids: list[int]) -> Slice:
    by_pk = {entry.pk: entry for entry in _entries_with_owners(ids=ids)}
    return _slice_of([by_pk[pk] for pk in ids if pk in by_pk])  # one deleted meanwhile is left out


def _slice_of(found: list[Entry]) -> Slice:
    """The first PAGE_SIZE of the newest PAGE_SIZE + 1 entries, and where the next slice starts."""
    shown = found[:PAGE_SIZE]
    more = len(found) > PAGE_SIZE
    last = shown[-1] if shown else None
    return Slice(
        _views(shown),
        f"{last.happened_on.isoformat()}_{last.pk}" if more and last is not None else "",
    )


@dataclass(frozen=True)
class LogPage:
    slice: Slice
    # The units the person is in, for the links to their teams' shared learning.
    units: list[Unit]


def for_log_page(user: User, older: str | None) -> LogPage:
    units = list(Unit.objects.filter(memberships__user=user).order_by("name").distinct())
    return LogPage(_slice(Entry.objects.owned_by(user), older), units)


def entry_or_404(user: User, entry_id: int) -> EntryView:
    entry: Entry = get_visible_or_404(
        Entry.objects.select_related("owner", "from_activity"), user, pk=entry_id
    )
    return _views([entry])[0]


def owned_entry_or_404(user: User, entry_id: int) -> Entry:
    entry: Entry = get_owned_or_404(Entry.objects, user, pk=entry_id)
    return entry


def activity_to_share_or_404(user: User, activity_id: int) -> Activity:
    """An activity of `user`'s own development plan."""
    activity: Activity = get_visible_or_404(
        Activity.objects.select_related("plan", "goal"),
        user,
        pk=activity_id,
        plan__owner=user,
    )
    return activity


def entry_from(user: User, activity: Activity) -> Entry | None:
    """The entry `user` already made from `activity`, if any."""
    return Entry.objects.owned_by(user).filter(from_activity=activity).first()


@dataclass(frozen=True)
class SearchPage:
    query: str
    slice: Slice


def for_search_page(user: User, query: str, older: str | None) -> SearchPage:
    """The entries `user` may read that match `query`; nothing asked before a query is given."""
    query = query.strip()
    if not query:
        return SearchPage("", Slice([]))
    if connection.vendor == "sqlite" and _position(older) is None:
        return SearchPage(query, _first_found_sqlite(user, query))
    # Planned for its words each time: with a generic plan the page took a fifth to a half longer.
    with planned_each_time():
        return SearchPage(query, _slice(entries_found(user, query), older, ids_first=True))


# The first slice of what a search found on SQLite, compiled once (core.compiled): the access
# layer's conditions took a millisecond to put together on every search. The same condition as
# `entries_found`'s, for few matches and for many.


@compiled_query
def _newest_found_few(reader_id: int, expression: str) -> QuerySet[Any]:
    readable = Entry.objects.visible_to(reader(reader_id))
    return _newest_ids(readable.filter(fts_matches(expression, many=False)))


@compiled_query
def _newest_found_many(reader_id: int, expression: str) -> QuerySet[Any]:
    readable = Entry.objects.visible_to(reader(reader_id))
    return _newest_ids(readable.filter(fts_matches(expression, many=True)))


def _first_found_sqlite(user: User, query: str) -> Slice:
    expression = fts_expression(query)
    if not expression or not can_read(user):
        return Slice([])
    newest = _newest_found_many if many_match(expression) else _newest_found_few
    return _slice_of_ids(list(newest(reader_id=user.pk, expression=expression)))


@dataclass(frozen=True)
class SharedPage:
    """Shared learning: of a team (`unit`), or of the whole organisation (`unit` None)."""

    unit: Unit | None
    slice: Slice


def for_team_page(user: User, unit_id: int, older: str | None) -> SharedPage:
    """What the people of a unit have learned, as far as `user` may read it; 404 for a unit
    whose team page `user` may not open."""
    unit = readable_unit_or_404(user, unit_id)
    people = Membership.objects.filter(unit=unit).values("user_id")
    entries = Entry.objects.visible_to(user).filter(owner_id__in=people)
    return SharedPage(unit, _slice(entries, older))


def for_organisation_page(user: User, older: str | None) -> SharedPage:
    """What is shared with the whole organisation."""
    entries = Entry.objects.visible_to(user).filter(visibility=Visibility.ORGANISATION)
    return SharedPage(None, _slice(entries, older))


@dataclass(frozen=True)
class HandbookPage:
    """A team's entries that may go into the handbook: those shared with the whole
    organisation, of the people in the unit, as far as the reader may read them."""

    unit: Unit
    entries: list[Entry]
    # Closed retrospectives whose facilitator approved the summary for the handbook.
    summaries: list[Summary]


def for_handbook_page(user: User, unit_id: int) -> HandbookPage:
    unit = readable_unit_or_404(user, unit_id)
    return HandbookPage(unit, list(_handbook_entries(user, unit)), handbook_summaries(unit))


def _handbook_entries(user: User, unit: Unit) -> QuerySet[Entry]:
    people = Membership.objects.filter(unit=unit).values("user_id")
    return (
        Entry.objects.visible_to(user)
        .filter(visibility=Visibility.ORGANISATION, owner_id__in=people)
        .order_by("-happened_on", "-pk")
    )


def handbook_entries_chosen(user: User, unit: Unit, ids: list[int]) -> list[Entry]:
    """Of the entries the handbook page offers, those chosen."""
    return list(_handbook_entries(user, unit).filter(pk__in=ids))


def handbook_summaries_chosen(unit: Unit, ids: list[int]) -> list[Summary]:
    """Of the summaries the handbook page offers, those chosen."""
    return [summary for summary in handbook_summaries(unit) if summary.retro.pk in ids]


def handbook_units() -> list[tuple[Unit, list[Entry], list[Summary]]]:
    """Every unit with entries shared with the whole organisation or retrospective summaries
    approved for the handbook, and those: what an operator's export writes (`manage.py
    handbook_export`). Only what may go to every person in the organisation, so no reader is
    needed to decide."""
    entries = Entry.objects.filter(visibility=Visibility.ORGANISATION, owner__is_active=True)
    by_owner: dict[int, list[Entry]] = {}
    for entry in entries.order_by("happened_on", "pk"):
        by_owner.setdefault(entry.owner_id, []).append(entry)
    people_of: dict[int, list[int]] = {}
    for unit_id, owner in Membership.objects.filter(user_id__in=list(by_owner)).values_list(
        "unit_id", "user_id"
    ):
        people_of.setdefault(unit_id, []).append(owner)
    summarised = handbook_summaries_of_units()
    units = Unit.objects.filter(pk__in=[*people_of, *summarised]).order_by("path")
    return [
        (
            unit,
            sorted(
                (entry for owner in people_of.get(unit.pk, []) for entry in by_owner[owner]),
                key=lambda entry: (entry.happened_on, entry.pk),
            ),
            summarised.get(unit.pk, []),
        )
        for unit in units
    ]
