"""Logging in with a password: Django's own backend, with the person of a session read by a
statement compiled once, since every request reads it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from accounts.models import User
from core.compiled import compiled_query


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        found = _person(pk=user_id)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None


@compiled_query
def _person(pk: int) -> QuerySet[User]:
    return User._default_manager.filter(pk=pk)
