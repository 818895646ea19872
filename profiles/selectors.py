"""Reads of profile notes for the pages that show them."""

from __future__ import annotations

from typing import Any

from core.access import Visibility
from profiles.models import ProfileNote


def for_min_side(user: Any) -> list[ProfileNote]:
    """Min side: the person's own latest notes."""
    return list(ProfileNote.objects.owned_by(user)[:5])


def for_team_page(*, user: Any, member_ids: list[int]) -> list[ProfileNote]:
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
