"""Reads of profile notes for the pages that show them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import Visibility, can_read, reader
from core.compiled import compiled_query
from organisation.selectors import active_memberships
from profiles.models import ProfileNote


@compiled_query
def _latest_own(owner_id: int) -> QuerySet[ProfileNote]:
    return ProfileNote.objects.filter(owner_id=owner_id)[:5]


def for_min_side(user: Any) -> list[ProfileNote]:
    """Min side: the person's own latest notes."""
    return _latest_own(owner_id=user.pk)


@compiled_query
def _shared_in_unit(reader_id: int, unit_id: int) -> QuerySet[ProfileNote]:
    return (
        ProfileNote.objects.visible_to(reader(reader_id))
        .filter(
            owner_id__in=active_memberships(unit_id).values("user_id"),
            visibility__in=[Visibility.TEAM, Visibility.ORGANISATION],
        )
        .select_related("owner")[:20]
    )


def for_team_page(*, user: Any, unit_id: int) -> list[ProfileNote]:
    """The notes the unit's active people shared with their team or the organisation that
    `user` may read. Compiled once."""
    if not can_read(user):
        return []
    return _shared_in_unit(reader_id=user.pk, unit_id=unit_id)
