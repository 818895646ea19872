"""Logging in with a password: Django's own backend, with the person of a session read with
the session's row (accounts.session_store), or else by a statement compiled once, since every
request reads them."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import get_user
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from core.compiled import compiled_query

# The session Django's `auth.get_user` is reading a request's person from, while it does
# (`person_of`): its row came with the person it names.
_reading: ContextVar[Any] = ContextVar("sparring_session_reading", default=None)


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = person_read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def person_read(user_id: Any) -> User | None:
    """The person of this id: the one read with the session's row, if the session being read
    names them, else read by a compiled statement. For the login backends' `get_user`."""
    user = getattr(_reading.get(), "person", None)
    if user is not None and str(user.pk) == str(user_id):
        return user  # type: ignore[no-any-return]
    found = _person(pk=user_id)
    return found[0] if found else None


def person_of(request: HttpRequest) -> Any:
    """Django's login middleware's person of the request (the session's hash checked as
    Django does, kept on the request), taking the person read with the session's row."""
    token = _reading.set(request.session)
    try:
        return get_user(request)
    finally:
        _reading.reset(token)


@compiled_query
def _person(pk: int) -> QuerySet[User]:
    return User._default_manager.filter(pk=pk)
