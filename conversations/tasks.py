"""Imported at start-up by the notifications app, so the worker runs our periodic tasks and the
settings page lists our kinds."""

from datetime import datetime

from conversations import kinds, reminders  # noqa: F401
from conversations.models import DevelopmentTotal
from conversations.selectors import CLOCKS_APART, TOTAL_COUNTED_EVERY
from conversations.services import development_total_count
from notifications.scheduler import periodic


@periodic("development_total")
def run_development_total(now: datetime) -> None:
    """Count the whole organisation for the administrators' overview when the last count is
    older than five minutes (or from more than a minute ahead: a clock set back)."""
    last = DevelopmentTotal.objects.values_list("counted_at", flat=True).first()
    if last is None or not (now - TOTAL_COUNTED_EVERY < last <= now + CLOCKS_APART):
        development_total_count(now)
