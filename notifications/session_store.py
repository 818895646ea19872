"""The session store (accounts.session_store), whose one statement for the session and its
person also counts the person's unread notifications, which the header of every page shows
(`notifications.context_processors.unread`): a statement fewer on every page.

The count is the one as the request began. A request that marks notifications read answers
with a redirect, so the page after it counts again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.session_store import SessionStore as PersonSessionStore
from accounts.session_store import unexpired
from core.compiled import compiled_query
from notifications.models import Notification

# The attribute of the request's person that holds the count read with the session.
UNREAD = "unread_notifications"


class SessionStore(PersonSessionStore):
    def _read(self, session_key: str | None, now: datetime) -> list[Any]:
        found = _unexpired_counting_unread(session_key=session_key, now=now)
        for row in found:
            if row.user is not None:  # a session before login names nobody
                setattr(row.user, UNREAD, row.unread)
        return found


@compiled_query
def _unexpired_counting_unread(session_key: str, now: datetime) -> QuerySet[Any]:
    # The person's own notifications, as `unread()` has them (the context processor's count).
    unread = (
        Notification.objects.unread()
        .filter(recipient_id=OuterRef("user_id"))
        .order_by()
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    counted: QuerySet[Any] = unexpired(session_key, now).annotate(
        unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
    )
    return counted
