"""Imported at start-up by the notifications app, so the worker runs our periodic tasks."""

from teamwork import reminders  # noqa: F401
