"""Imported at start-up by the notifications app, so the worker runs our periodic tasks and
the choices page lists our kinds."""

from home import weekly  # noqa: F401
