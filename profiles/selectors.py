"""Reads of profile notes for the pages that show them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import Visibility
from profiles.models import ProfileNote


def notes_for_home(user: Any) -> QuerySet[ProfileNote]:
    """Min side: the person's own latest notes."""
    return ProfileNote.objects.owned_by(user)[:5]


def shared_on_team_page(*, user: Any, member_ids: list[int]) -> list[ProfileNote]:
    """The notes the unit's people shared with their team or the organisation that `user`
    may read."""
    return list(
        ProfileNote.objects.visible_to(user)
        .filter(
            owner_id__in=member_ids,
            visibility__in=[Visibility.TEAM, Visibility.ORGANISATION],
        )
        .select_related("owner")[:20]
    )
