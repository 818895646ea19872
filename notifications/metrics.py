"""What waits in the outboxes, read at each scrape of `/metrics` (core/metrics.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min, QuerySet
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from core.metrics import reading, seconds_since
from notifications.models import OutgoingEmail, WebhookDelivery


def _waiting(
    queryset: QuerySet[OutgoingEmail] | QuerySet[WebhookDelivery], *, max_attempts: int
) -> tuple[int, datetime | None]:
    """How many are waiting, and when the oldest of them was written."""
    # Not sent and not given up (`gave_up`: no next attempt; `due`: tried the most times), due
    # now or later: on the outbox's partial index of unsent rows, however many were sent.
    row = queryset.filter(
        sent_at__isnull=True, next_attempt_at__isnull=False, attempts__lt=max_attempts
    ).aggregate(count=Count("pk"), oldest=Min("created_at"))
    return row["count"], row["oldest"]


@reading
def outboxes(now: datetime) -> Iterator[Metric]:
    waiting = GaugeMetricFamily(
        "sparring_outbox_waiting",
        "E-mails and chat messages waiting for the worker: not sent and not given up.",
        labels=["outbox"],
    )
    oldest = GaugeMetricFamily(
        "sparring_outbox_oldest_age_seconds",
        "Seconds since the oldest waiting message was written; 0 when none waits.",
        labels=["outbox"],
    )
    counts = {
        "email": _waiting(
            OutgoingEmail.objects.all(), max_attempts=settings.SPARRING_EMAIL_MAX_ATTEMPTS
        ),
        "chat": _waiting(
            WebhookDelivery.objects.all(), max_attempts=settings.SPARRING_WEBHOOK_MAX_ATTEMPTS
        ),
    }
    for name, (count, since) in counts.items():
        waiting.add_metric([name], count)
        oldest.add_metric([name], 0.0 if since is None else seconds_since(since, now=now))
    yield waiting
    yield oldest
