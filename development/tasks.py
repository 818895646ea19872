"""Imported at start-up by the notifications app, so the worker runs our periodic tasks and the
settings page lists our kinds."""

from development import plan_reminders  # noqa: F401
