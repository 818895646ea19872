"""Posting the chat outbox: the worker's half of the chat channels.

The same at-least-once delivery as e-mail (notifications.delivery): a message is claimed in a
short transaction that pushes its next attempt a lease into the future, posted outside any
transaction, then marked sent. A worker killed between the chat service's answer and that
mark posts the message again when the lease runs out.

Each message goes to its own webhook, often on another server than the last. A webhook that
fails once is left alone for the rest of the run, so a server that cannot be reached costs one
timeout per run, not one per message waiting for it, and the other channels are still posted.
"""

from __future__ import annotations

import json
import logging
import ssl
import urllib.request
from collections.abc import Callable, Collection
from urllib.error import HTTPError
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.chat import payload_for
from notifications.delivery import LEASE, retry_at
from notifications.models import WEBHOOK_SCHEMES, WebhookDelivery

logger = logging.getLogger("sparring.notifications")

USER_AGENT = "Sparring"


def deliver_due_webhooks(
    *, limit: int = 100, keep_going: Callable[[], bool] = lambda: True
) -> tuple[int, int]:
    """Post up to `limit` due chat messages; returns (sent, failed)."""
    sent = failed = 0
    failing: set[int] = set()
    for _ in range(limit):
        if not keep_going():
            break
        delivery = _claim_next(skip_webhooks=failing)
        if delivery is None:
            break
        if _post(delivery):
            sent += 1
        else:
            failed += 1
            failing.add(delivery.webhook_id)
    return sent, failed


def _claim_next(*, skip_webhooks: Collection[int] = ()) -> WebhookDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.due(now)
            .exclude(webhook_id__in=skip_webhooks)
            .select_related("webhook")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def _post(delivery: WebhookDelivery) -> bool:
    webhook = delivery.webhook
    if not webhook.is_active:
        # Switched off since the message was written: an administrator turned the channel off.
        _give_up(delivery, "Not sent: the webhook is switched off.")
        return False
    if urlsplit(webhook.url).scheme.lower() not in WEBHOOK_SCHEMES:
        _give_up(delivery, "Not sent: a webhook address must start with https:// or http://.")
        return False
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        webhook.url,
        data=json.dumps(payload_for(delivery)).encode(),
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=settings.SPARRING_WEBHOOK_TIMEOUT) as response:
            status = response.status
    except HTTPError as error:
        with error:
            _failed(delivery, _without_secret(f"HTTP {error.code}: {_answer(error)}", webhook.url))
        return False
    except Exception as error:
        # Refused, timed out, a name that does not resolve, a bad certificate, ...
        _failed(delivery, _without_secret(f"{type(error).__name__}: {error}", webhook.url))
        return False
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    logger.info(
        "Chat message %s posted to webhook %s (HTTP %s) on attempt %s",
        delivery.pk,
        webhook.pk,
        status,
        delivery.attempts,
    )
    return True


def _opener() -> urllib.request.OpenerDirector:
    """HTTP and HTTPS only (never file: or ftp:), an outbound proxy from the usual environment
    variables, and no redirects: a redirected POST turns into a GET that would look like
    success without posting anything, so a redirect is a failure the administrator sees."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


_OPENER = _opener()


def _answer(error: HTTPError) -> str:
    """The start of the chat service's answer, which usually says what is wrong."""
    try:
        body = error.read(300).decode("utf-8", errors="replace").strip()
    except Exception:
        body = ""
    return " ".join(body.split()) or str(error.reason)


def _without_secret(reason: str, url: str) -> str:
    """The reason as an administrator may read it: the address's path and query, where the
    webhook's secret lives, are cut out should an error message repeat them."""
    parts = urlsplit(url)
    for secret in (url, parts.path + (f"?{parts.query}" if parts.query else ""), parts.query):
        if len(secret) > 1:
            reason = reason.replace(secret, "…")
    return reason


def _give_up(delivery: WebhookDelivery, reason: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None, last_error=reason)
    logger.info("Chat message %s given up: %s", delivery.pk, reason)


def _failed(delivery: WebhookDelivery, reason: str) -> None:
    reason = reason[:2000]
    next_attempt_at = retry_at(delivery.attempts, settings.SPARRING_WEBHOOK_MAX_ATTEMPTS)
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
        next_attempt_at=next_attempt_at, last_error=reason
    )
