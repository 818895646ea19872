from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core.access import reader
from core.compiled import compiled_query
from notifications.models import Notification
from notifications.session_store import UNREAD


def unread(request: HttpRequest) -> dict[str, Any]:
    """The count shown in the header of every page: read with the session and its person
    (notifications.session_store), else one count on the (recipient, read_at) index,
    compiled once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(user, UNREAD, None)
    if counted is not None:
        return {"notifications_unread": counted}
    return {"notifications_unread": sum(_unread_count(recipient_id=user.pk))}


@compiled_query
def _unread_count(recipient_id: int) -> QuerySet[Notification, int]:
    # A person's own notifications alone, counted by recipient: one row, or none when nothing
    # is unread.
    return (
        Notification.objects.for_recipient(reader(recipient_id))
        .unread()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread", flat=True)
    )
