"""Reads that belong to no feature: whether the background worker is alive, and the audit
log as administrators filter it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from core.models import AuditEntry, WorkerHeartbeat

# How long without a tick the administrator's start calls the worker late, where
# /health/ready is told to leave the worker out (SPARRING_WORKER_STALE_SECONDS = 0).
DEFAULT_STALE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class AdministratorsStartWorker:
    # When a worker on any machine last began a tick; None if none ever did.
    last_seen: datetime | None
    late: bool
    # Seen in the last minute: "just now" reads better than "0 minutes ago".
    just_now: bool


def for_administrators_start(*, now: datetime) -> AdministratorsStartWorker:
    """The worker as the administrator's start shows it at `now`: when it was last seen, and
    whether that is longer ago than /health/ready allows."""
    last_seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    seconds = settings.SPARRING_WORKER_STALE_SECONDS
    stale_after = timedelta(seconds=seconds) if seconds > 0 else DEFAULT_STALE_AFTER
    late = last_seen is None or now - last_seen > stale_after
    just_now = last_seen is not None and now - last_seen < timedelta(minutes=1)
    return AdministratorsStartWorker(last_seen=last_seen, late=late, just_now=just_now)


# Who did it, in the audit log's filter: nobody, that is Sparring itself.
BY_THE_SYSTEM = "system"


def audit_entries(
    *, actor: str = "", action: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    """The audit log, newest first, of one actor (a person's id, or BY_THE_SYSTEM), one
    action, and the days from `since` to `until` in the organisation's time."""
    entries = AuditEntry.objects.select_related("actor")
    if actor == BY_THE_SYSTEM:
        entries = entries.filter(actor__isnull=True)
    elif actor:
        entries = entries.filter(actor_id=int(actor))
    if action:
        entries = entries.filter(action=action)
    if since is not None:
        entries = entries.filter(at__gte=_start_of(since))
    if until is not None:
        entries = entries.filter(at__lt=_start_of(until + timedelta(days=1)))
    return entries


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))
