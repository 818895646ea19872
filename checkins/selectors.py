"""Reads about check-ins for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from accounts.models import User
from checkins.models import CheckIn, week_of
from core.access import colleague_ids
from organisation.models import HOME_UNIT_ORDER, Membership, Unit


def leaders_of(person: Any) -> models.QuerySet[User]:
    """The active leaders of the units `person` is a member of: who "my leader" means."""
    my_units = Membership.objects.filter(user=person, role=Membership.Role.MEMBER).values("unit_id")
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Membership.Role.LEADER,
            memberships__unit_id__in=my_units,
        )
        .exclude(pk=person.pk)
        .distinct()
    )


def home_unit_of(person: Any) -> Unit | None:
    """The team a person's check-in help requests go to: their home unit."""
    membership = (
        Membership.objects.filter(user=person)
        .select_related("unit__team")
        .order_by(*HOME_UNIT_ORDER)
        .first()
    )
    return membership.unit if membership else None


@dataclass(frozen=True)
class MinSideCheckins:
    latest_checkins: list[CheckIn]
    this_weeks_checkin: CheckIn | None
    # Whether this week's check-in may still be changed at `now`.
    this_week_editable: bool


def for_min_side(user: Any, now: datetime) -> MinSideCheckins:
    """Min side: the latest check-ins, and whether the check-in for the week of `now` is
    written (and may still be changed), in one query."""
    latest = list(CheckIn.objects.owned_by(user).select_related("help_request")[:3])
    week = week_of(timezone.localdate(now))
    this_week = latest[0] if latest and latest[0].week == week else None
    return MinSideCheckins(
        latest_checkins=latest,
        this_weeks_checkin=this_week,
        this_week_editable=this_week is not None and this_week.is_editable(now),
    )


def shared_with_me(user: Any) -> models.QuerySet[CheckIn]:
    """Check-ins others have shared with `user`. A check-in is shared with a team or with the
    owner's leaders, both colleagues of the owner, so only colleagues' check-ins are looked at:
    without that, the access layer's conditions are tried on every check-in of everyone."""
    return (
        CheckIn.objects.visible_to(user)
        .filter(owner_id__in=colleague_ids(user))
        .exclude(owner=user)
        .select_related("owner")
    )


def for_team_page(*, user: Any, member_ids: list[int]) -> list[CheckIn]:
    """The latest check-ins the unit's people have shared with `user` (never their own)."""
    return list(
        CheckIn.objects.visible_to(user)
        .filter(owner_id__in=member_ids)
        .exclude(owner=user)
        .select_related("owner")[:10]
    )
