"""Reads: what reaches a person, kind by kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from notifications.kinds import Kind, all_kinds
from notifications.models import EmailOff, Notification, NotificationSetting, OutgoingEmail


@dataclass(frozen=True)
class Preference:
    kind: Kind
    in_app: bool
    email: bool


def preferences_of(user_ids: Iterable[int], kind: Kind) -> dict[int, Preference]:
    """Each person's choice for one kind, by primary key, in one query: what bulk telling
    needs."""
    ids = list(user_ids)
    default = Preference(kind, kind.in_app, kind.email)
    chosen = {
        user_id: Preference(kind, in_app, email)
        for user_id, in_app, email in NotificationSetting.objects.filter(
            user_id__in=ids, kind=kind.name
        ).values_list("user_id", "in_app", "email")
    }
    return {user_id: chosen.get(user_id, default) for user_id in ids}


def preferences_for(user: User) -> list[Preference]:
    """The person's choice for every registered kind, in one query."""
    rows = {row.kind: row for row in NotificationSetting.objects.filter(user=user)}
    preferences = []
    for kind in all_kinds():
        row = rows.get(kind.name)
        if row is None:
            preferences.append(Preference(kind, kind.in_app, kind.email))
        else:
            preferences.append(Preference(kind, row.in_app, row.email))
    return preferences


def email_is_on(user: User) -> bool:
    """False when the person has turned all notification e-mail off."""
    return not EmailOff.objects.filter(user=user).exists()


def chosen_by(kind: Kind, *, not_told_for: str) -> list[int]:
    """Ids of the active people who turned on a kind that is off by default (in Sparring or by
    e-mail), less those already told for the occasion `not_told_for` (a notify_once key), in
    one query: who a digest one asks for still goes to."""
    told_in_app = Notification.objects.filter(kind=kind.name, key=not_told_for)
    told_by_email = OutgoingEmail.objects.filter(kind=kind.name, key=not_told_for)
    return list(
        NotificationSetting.objects.filter(kind=kind.name, user__is_active=True)
        .filter(Q(in_app=True) | Q(email=True))
        .exclude(user_id__in=told_in_app.values("recipient_id"))
        .exclude(user_id__in=told_by_email.values("recipient_id"))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
