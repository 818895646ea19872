"""Imported at start-up by the notifications app, so the worker runs our periodic tasks and the
settings page lists our kinds."""

from conversations import kinds, reminders  # noqa: F401
