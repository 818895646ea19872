"""Reads: what reaches a person, kind by kind."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from notifications.kinds import Kind, all_kinds, get_kind
from notifications.models import NotificationSetting


@dataclass(frozen=True)
class Preference:
    kind: Kind
    in_app: bool
    email: bool


def preference_for(user: User, kind: str) -> Preference:
    """The person's choice for one kind: their own row, or the kind's defaults."""
    registered = get_kind(kind)
    row = NotificationSetting.objects.filter(user=user, kind=kind).first()
    if row is None:
        return Preference(registered, registered.in_app, registered.email)
    return Preference(registered, row.in_app, row.email)


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
