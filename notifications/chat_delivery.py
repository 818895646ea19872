"""Posting the chat outbox: the worker's half of the chat channels.

The same at-least-once delivery as e-mail (notifications.delivery): a message is claimed in a
short transaction that pushes its next attempt a lease into the future, posted outside any
transaction, then marked sent. A worker killed between the chat service's answer and that
mark posts the message again when the lease runs out.

Every post checks the address again, as it resolves now (notifications.webhook_network), and
connects to the very address it checked. The name is resolved and the post made with no
database transaction open.

Each message goes to its own webhook, often on another server than the last. A webhook that
fails rests, longer after each failure in a row (ChatWebhook.retry_after), so a server that
cannot be reached costs one attempt per pause, not one per message waiting for it, and the
other channels are still posted. What the administrator sees of a failure is a reason of
Sparring's own and the HTTP status, never the chat service's answer.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F

from notifications.chat import payload_for, webhook_target
from notifications.delivery import backoff, lease
from notifications.models import ChatWebhook, WebhookDelivery, WebhookFailure
from notifications.webhook_network import AddressRefused, pinned_connection

logger = logging.getLogger("sparring.notifications")

USER_AGENT = "Sparring"


def deliver_due_webhooks(
    *,
    clock: Callable[[], datetime],
    limit: int = 100,
    keep_going: Callable[[], bool] = lambda: True,
) -> tuple[int, int]:
    """Post up to `limit` due chat messages; returns (sent, failed). `clock` is the caller's
    (the worker's tick's) clock, asked afresh for every claim and every outcome, so a lease
    taken a minute into a batch runs from that minute."""
    sent = failed = 0
    for _ in range(limit):
        if not keep_going():
            break
        delivery = _claim_next(now=clock())
        if delivery is None:
            break
        if _post(delivery, clock=clock):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _claim_next(*, now: datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.due(now)
            .select_related("webhook")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + lease()
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


_REFUSED = {
    "internal": WebhookFailure.ADDRESS_INTERNAL,
    "metadata": WebhookFailure.ADDRESS_METADATA,
    "not_found": WebhookFailure.NAME_NOT_FOUND,
    "invalid": WebhookFailure.BAD_ADDRESS,
}


def _post(delivery: WebhookDelivery, *, clock: Callable[[], datetime]) -> bool:
    webhook = delivery.webhook
    if not webhook.is_active:
        # Switched off since the message was written: an administrator turned the channel off.
        _give_up(delivery, WebhookFailure.SWITCHED_OFF)
        return False
    try:
        target = webhook_target(webhook.url)
    except AddressRefused as refused:
        failure = _REFUSED[refused.reason]
        if failure is WebhookFailure.NAME_NOT_FOUND:
            # DNS may be down for a moment: tried again, like a server that does not answer.
            _failed(delivery, failure, now=clock())
        else:
            # Not posted, ever: the address is what is wrong, and it is checked again (and
            # the message queued anew) only when an administrator changes it.
            _give_up(delivery, failure)
            _webhook_failed(webhook, now=clock())
        return False
    # Each wait for the network is bounded, and so is the whole post: a service that answers
    # a byte at a time must not hold the worker and the e-mails behind it.
    connection = pinned_connection(
        target,
        timeout=settings.SPARRING_WEBHOOK_TIMEOUT,
        total=2 * settings.SPARRING_WEBHOOK_TIMEOUT,
    )
    try:
        connection.request(
            "POST",
            target.path,
            body=json.dumps(payload_for(delivery)).encode(),
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        # Only the status is read: the answer's body is never kept or shown.
        status = connection.getresponse().status
    except Exception as error:
        _failed(delivery, _failure_of(error), now=clock())
        return False
    finally:
        connection.close()
    if not 200 <= status < 300:
        # A redirect too: a redirected POST would turn into a GET that posts nothing, and it
        # might lead anywhere.
        _failed(delivery, WebhookFailure.HTTP_STATUS, now=clock(), status=status)
        return False
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        sent_at=clock(), next_attempt_at=None, last_error="", last_status=status
    )
    if webhook.failures or webhook.retry_after:
        ChatWebhook.objects.filter(pk=webhook.pk).update(failures=0, retry_after=None)
    logger.info(
        "Chat message %s posted to webhook %s (HTTP %s) on attempt %s",
        delivery.pk,
        webhook.pk,
        status,
        delivery.attempts,
    )
    return True


def _failure_of(error: Exception) -> WebhookFailure:
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return WebhookFailure.CERTIFICATE
    if isinstance(error, ConnectionRefusedError):
        return WebhookFailure.CONNECTION_REFUSED
    if isinstance(error, TimeoutError | socket.timeout):
        return WebhookFailure.TIMEOUT
    if isinstance(error, OSError | http.client.HTTPException):
        return WebhookFailure.NETWORK
    logger.exception("Posting a chat message failed unexpectedly")
    return WebhookFailure.NETWORK


def _give_up(delivery: WebhookDelivery, failure: WebhookFailure) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=None, last_error=failure, last_status=None
    )
    logger.info("Chat message %s given up: %s", delivery.pk, failure.value)


def _failed(
    delivery: WebhookDelivery,
    failure: WebhookFailure,
    *,
    now: datetime,
    status: int | None = None,
) -> None:
    next_attempt_at: datetime | None = None
    if delivery.attempts < settings.SPARRING_WEBHOOK_MAX_ATTEMPTS:
        next_attempt_at = now + backoff(delivery.attempts)
    reason = failure.value if status is None else f"{failure.value} {status}"
    if next_attempt_at is None:
        logger.error(
            "Chat message %s to webhook %s failed %s times; giving up: %s",
            delivery.pk,
            delivery.webhook_id,
            delivery.attempts,
            reason,
        )
    else:
        logger.warning(
            "Chat message %s to webhook %s failed on attempt %s; next try at %s: %s",
            delivery.pk,
            delivery.webhook_id,
            delivery.attempts,
            next_attempt_at.isoformat(timespec="seconds"),
            reason,
        )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=next_attempt_at, last_error=failure, last_status=status
    )
    _webhook_failed(delivery.webhook, now=now)


def _webhook_failed(webhook: ChatWebhook, *, now: datetime) -> None:
    """One more failure in a row: the webhook rests 1, 2, 4 ... minutes (at most an hour)."""
    failures = webhook.failures + 1
    ChatWebhook.objects.filter(pk=webhook.pk).update(
        failures=F("failures") + 1, retry_after=now + backoff(failures)
    )
    webhook.failures = failures
