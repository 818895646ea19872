"""Telling people about things. Callers say what happened; what reaches a person, and how, is
decided here."""

from __future__ import annotations

from accounts.models import User
from notifications.models import Notification


def notify(*, recipient: User, kind: str, text: str, url: str = "") -> Notification | None:
    """Tell one person about something. Returns the in-app notification, or None when the
    person should not be told (deactivated)."""
    if not recipient.is_active:
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url)
