"""Database sessions that record their user (see accounts.models.Session)."""

from typing import Any

from django.contrib.auth import SESSION_KEY
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
