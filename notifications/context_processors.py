from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    """The count shown in the header of every page: one count on the (recipient, read_at)
    index."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": Notification.objects.for_recipient(user).unread().count()}
