"""Reads of profile notes for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.selectors import name_columns, named
from core.access import Visibility, can_read, reader
from core.compiled import compiled_query
from core.links import link
from organisation.selectors import active_memberships
from profiles.models import ProfileNote


@compiled_query
def _latest_own(owner_id: int) -> QuerySet[ProfileNote]:
    return ProfileNote.objects.filter(owner_id=owner_id)[:5]


def for_min_side(user: Any) -> list[ProfileNote]:
    """Min side: the person's own latest notes."""
    return _latest_own(owner_id=user.pk)


@dataclass(frozen=True)
class TeamNote:
    """A note on the team page: a link by its title, and who wrote it."""

    url: str
    title: str
    owner_name: str


@compiled_query
def _shared_in_unit(reader_id: int, unit_id: int) -> QuerySet[Any]:
    return (
        ProfileNote.objects.visible_to(reader(reader_id))
        .filter(
            owner_id__in=active_memberships(unit_id).values("user_id"),
            visibility__in=[Visibility.TEAM, Visibility.ORGANISATION],
        )
        .values_list("pk", "title", *name_columns("owner"))[:20]
    )


def for_team_page(*, user: Any, unit_id: int) -> list[TeamNote]:
    """The notes the unit's active people shared with their team or the organisation that
    `user` may read, as links: the columns the page writes, compiled once."""
    if not can_read(user):
        return []
    return [
        TeamNote(
            url=link("profiles:detail", note_id=pk),
            title=title,
            owner_name=named(*owner).display_name,
        )
        for pk, title, *owner in _shared_in_unit(reader_id=user.pk, unit_id=unit_id)
    ]
