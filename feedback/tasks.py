"""Imported at start-up by the notifications app, so the settings page lists our kinds."""

from feedback import kinds  # noqa: F401
