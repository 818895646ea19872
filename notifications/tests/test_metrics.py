"""The outboxes in /metrics (notifications/metrics.py): how many e-mails and chat messages wait
for the worker, and since when the oldest of them, at the moment of the scrape; sent and
given-up messages do not count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from notifications.models import ChatWebhook, OutgoingEmail, WebhookDelivery

TOKEN = "the-scrapers-token-0123456789abcdef"


@pytest.fixture
def outbox(cast, clock, settings):
    """Read at each scrape: {(metric, outbox): value}."""
    settings.SPARRING_METRICS_TOKEN = TOKEN
    scraper = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    def read() -> dict[tuple[str, str], float]:
        response = scraper.get("/metrics")
        assert response.status_code == 200
        return {
            (sample.name, sample.labels["outbox"]): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples
            if family.name.startswith("sparring_outbox_")
        }

    return read


def _email(cast, **fields):
    return OutgoingEmail.objects.create(
        recipient=cast.alice,
        kind="test",
        to_address="alice@example.org",
        subject="Emne",
        body="Tekst",
        **fields,
    )


def test_empty_outboxes_wait_for_nothing(outbox):
    assert outbox() == {
        ("sparring_outbox_waiting", "email"): 0,
        ("sparring_outbox_waiting", "chat"): 0,
        ("sparring_outbox_oldest_age_seconds", "email"): 0,
        ("sparring_outbox_oldest_age_seconds", "chat"): 0,
    }


def test_only_what_waits_counts_with_the_age_of_the_oldest(cast, clock, settings, outbox):
    hook = ChatWebhook.objects.create(
        name="Kanal", format="slack", url="https://chat.example.org/hooks/abc"
    )
    start = clock.now()
    # Written first, and then: sent, given up, and tried the most times by a worker that died.
    _email(cast, sent_at=start, next_attempt_at=None, attempts=1)
    _email(cast, next_attempt_at=None, attempts=settings.SPARRING_EMAIL_MAX_ATTEMPTS)
    _email(cast, next_attempt_at=start, attempts=settings.SPARRING_EMAIL_MAX_ATTEMPTS)
    WebhookDelivery.objects.create(webhook=hook, text="x", link="https://x/", sent_at=start)
    WebhookDelivery.objects.create(webhook=hook, text="x", link="https://x/", next_attempt_at=None)
    clock.advance(timedelta(minutes=5))
    # Waiting: one e-mail to retry in an hour, and one chat message due now ...
    _email(cast, next_attempt_at=clock.now() + timedelta(hours=1), attempts=3)
    WebhookDelivery.objects.create(webhook=hook, text="x", link="https://x/")
    clock.advance(timedelta(minutes=2))
    # ... and one of each written later.
    _email(cast)
    WebhookDelivery.objects.create(webhook=hook, text="x", link="https://x/")
    clock.advance(timedelta(seconds=30))

    assert outbox() == {
        ("sparring_outbox_waiting", "email"): 2,
        ("sparring_outbox_waiting", "chat"): 2,
        ("sparring_outbox_oldest_age_seconds", "email"): 150,
        ("sparring_outbox_oldest_age_seconds", "chat"): 150,
    }
    clock.advance(timedelta(minutes=10))
    assert outbox()[("sparring_outbox_oldest_age_seconds", "email")] == 750
