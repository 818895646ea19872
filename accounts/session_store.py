"""Database sessions that record their user (see accounts.models.Session)."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from accounts.models import Session

        return Session

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
        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
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
