"""Database sessions that record their user (see accounts.models.Session), read with it."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db.models import QuerySet
from django.utils import timezone

from core.compiled import compiled_query


class SessionStore(DBStore):
    # The person the session row names, read with it (one statement for both on every
    # request); accounts.backends.PersonBackend takes it when the session's data names them too.
    person: Any = None

    @classmethod
    def get_model_class(cls) -> Any:
        from accounts.models import Session

        return Session

    def _get_session_from_db(self) -> Any:
        """The session, unexpired, read by a statement compiled once: every request reads
        it. None, and no key, when there is none."""
        found = _unexpired(session_key=self.session_key, now=timezone.now())
        if found:
            self.person = found[0].user
            return found[0]
        self._session_key = None
        return None

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        obj: Any = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        obj.user_id = int(user_id) if user_id is not None else None
        return obj


def logged_in_session(user: Any, *, now: datetime, lifetime: timedelta) -> Any:
    """A session row for `user` as logging in with a password makes it, not yet saved: for
    the load benchmark and the tests that drive the app as many people at once, where a
    login's password hash for each would be all they measured."""
    from accounts.middleware import LOGIN_AT, SEEN_AT
    from accounts.models import Session

    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        LOGIN_AT: now.timestamp(),
        SEEN_AT: now.timestamp(),
    }
    return Session(
        session_key=secrets.token_hex(16),
        session_data=SessionStore().encode(data),
        expire_date=now + lifetime,
        user=user,
    )


@compiled_query
def _unexpired(session_key: str, now: datetime) -> QuerySet[Any]:
    from accounts.models import Session

    return Session.objects.select_related("user").filter(
        session_key=session_key, expire_date__gt=now
    )
