"""Database sessions that record their user (see accounts.models.Session), read with it."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import DatabaseError, IntegrityError, connections, router
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
        found = self._read(self.session_key, timezone.now())
        if found:
            self.person = found[0].user
            return found[0]
        self._session_key = None
        return None

    def _read(self, session_key: str | None, now: datetime) -> list[Any]:
        """The unexpired session row of `session_key` with its person (a list of one or
        none): what a store that reads more with it changes."""
        return _unexpired(session_key=session_key, now=now)

    def save(self, must_create: bool = False) -> None:
        """Django's, without its transaction where none is open: the session's one statement
        (an UPDATE, or an INSERT for a new session) is atomic by itself, and the transaction
        around it cost two more round trips on PostgreSQL, for every renewal (each person's
        first request after a minute away). Inside a transaction, Django's own: its savepoint
        keeps a failure from spoiling the transaction around it."""
        if self.session_key is None:
            self.create()
            return
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        obj = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=obj)
        if not connections[using].get_autocommit():
            super().save(must_create=must_create)
            return
        try:
            obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError from None
            raise

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


def unexpired(session_key: str, now: datetime) -> QuerySet[Any]:
    """The session row of `session_key` unless it expired by `now`, with its person."""
    from accounts.models import Session

    return Session.objects.select_related("user").filter(
        session_key=session_key, expire_date__gt=now
    )


_unexpired = compiled_query(unexpired)
