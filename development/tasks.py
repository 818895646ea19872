"""The development app in the worker: the reminders of plans and the monthly count of the team
picture. Imported at start-up by the notifications app, so the worker runs our periodic tasks
and the settings page lists our kinds."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from django.db import IntegrityError

from development import plan_reminders  # noqa: F401
from development.models import PictureCount
from development.picture_services import picture_count, picture_month
from notifications.scheduler import periodic


@periodic("development_picture")
def run_picture_count(now: datetime) -> None:
    """Count the team picture once a month, on the first tick of the month: counted again as
    people assess themselves, two counts could differ by what one person changed."""
    if PictureCount.objects.filter(month=picture_month(now)).exists():
        return
    # Another worker may count the same month at the same moment; the unique month keeps one.
    with suppress(IntegrityError):
        picture_count(now=now)
