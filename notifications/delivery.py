"""Delivering the outbox: the worker's half of e-mail.

Delivery is at-least-once. A mail is claimed in a short transaction that pushes its next
attempt a lease into the future, sent outside any transaction (a slow mail server must not
hold the database), and then marked sent. A worker killed between the mail server's "OK"
and that mark sends the mail again when the lease runs out: a rare duplicate is the price of
never losing one. Two workers never hold the same claim: on PostgreSQL the claim skips rows
another worker has locked; on SQLite the claim's transaction starts IMMEDIATE, so claims
queue one after the other.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import Message
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.utils import timezone

from notifications.account_emails import body_for_sending
from notifications.models import OutgoingEmail

logger = logging.getLogger("sparring.notifications")


def lease() -> timedelta:
    """How long a claimed e-mail or chat message is the claiming worker's: longer than one
    attempt can take (connecting and sending are each bounded by a timeout). When a worker
    dies mid-send, another sends it once the lease has run out."""
    return timedelta(seconds=settings.SPARRING_DELIVERY_LEASE_SECONDS)


MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4, ... minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def retry_at(attempts: int, max_attempts: int, *, now: datetime | None = None) -> datetime | None:
    """When to try again after the `attempts`-th failure at `now`, or None: given up, the row
    kept so an administrator can see what never arrived, and why."""
    if attempts >= max_attempts:
        return None
    return (now or timezone.now()) + backoff(attempts)


class Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    # The mail server could not be reached: the other due e-mails wait for the next tick
    # instead of each waiting for its own timeout.
    UNREACHABLE = "unreachable"


def deliver_due(
    *,
    clock: Callable[[], datetime],
    limit: int = 100,
    keep_going: Callable[[], bool] = lambda: True,
) -> tuple[int, int]:
    """Send up to `limit` due e-mails over one connection; returns (sent, failed). Stops
    early when the mail server cannot be reached. `clock` is the tick's clock, asked afresh
    for every claim, so a lease taken a minute into a tick runs from that minute."""
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        for _ in range(limit):
            if not keep_going():
                break
            email = _claim_next(clock())
            if email is None:
                break
            outcome = _send(connection, email, clock)
            if outcome is Outcome.SENT:
                sent += 1
            else:
                failed += 1
            if outcome is Outcome.UNREACHABLE:
                break
    finally:
        _close_quietly(connection)
    return sent, failed


def _claim_next(now: datetime) -> OutgoingEmail | None:
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.due(now)
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        email.next_attempt_at = now + lease()
        email.save(update_fields=["attempts", "next_attempt_at"])
    return email


def _send(
    connection: BaseEmailBackend, email: OutgoingEmail, clock: Callable[[], datetime]
) -> Outcome:
    if not email.recipient.is_active:
        # Deactivated since the e-mail was written: deactivated people get nothing.
        OutgoingEmail.objects.filter(pk=email.pk).update(
            next_attempt_at=None, last_error="Not sent: the recipient was deactivated."
        )
        logger.info("E-mail %s (%s) not sent: the recipient was deactivated", email.pk, email.kind)
        return Outcome.FAILED
    try:
        message = EmailMessage(
            subject=email.subject,
            body=body_for_sending(email, clock()),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to_address],
            # Tells auto-responders ("out of office") not to answer a machine (RFC 3834).
            headers={"Auto-Submitted": "auto-generated"},
            connection=connection,
        )
        if email.attachment_name:
            message.attach(_attachment(email))
    except Exception as error:
        # This e-mail's failure, not the tick's: retried and given up on like any other,
        # while the e-mails behind it and the periodic tasks go on.
        _failed(email, error, clock())
        return Outcome.FAILED
    try:
        connection.open()
    except Exception as error:
        _failed(email, error, clock())
        _close_quietly(connection)
        return Outcome.UNREACHABLE
    try:
        if connection.send_messages([message]) != 1:
            raise RuntimeError("the mail backend did not accept the message")
    except Exception as error:
        _failed(email, error, clock())
        # The connection may be broken half-way; the next e-mail opens a fresh one.
        _close_quietly(connection)
        return Outcome.FAILED
    OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=clock(), next_attempt_at=None)
    logger.info("E-mail %s (%s) sent on attempt %s", email.pk, email.kind, email.attempts)
    return Outcome.SENT


def _attachment(email: OutgoingEmail) -> MIMEBase:
    """The attachment as a MIME part of its own, its type's parameters kept: a calendar client
    needs the `method` of `text/calendar; method=PUBLISH` to know what to do with the file.
    Django's attach(name, content, type) passes everything after the "/" on as the subtype,
    which keeps them only by accident and writes a charset given in the type twice."""
    parsed = Message()
    parsed["Content-Type"] = email.attachment_type
    params = [
        (name, value)
        for name, value in parsed.get_params(failobj=[])[1:]
        if name.lower() != "charset"
    ]
    part = SafeMIMEText(email.attachment_content, parsed.get_content_subtype(), "utf-8")
    # Written again in the order RFC 6047's examples use: `text/calendar; method=...; charset=...`.
    del part["Content-Type"]
    part["Content-Type"] = parsed.get_content_type()
    for name, value in params:
        part.set_param(name, value, requote=False)
    part.set_param("charset", "utf-8")
    filename: str | tuple[str, str, str] = email.attachment_name
    if not email.attachment_name.isascii():
        filename = ("utf-8", "", email.attachment_name)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _failed(email: OutgoingEmail, error: Exception, now: datetime) -> None:
    reason = f"{type(error).__name__}: {error}"[:2000]
    next_attempt_at = retry_at(email.attempts, settings.SPARRING_EMAIL_MAX_ATTEMPTS, now=now)
    if next_attempt_at is None:
        logger.error(
            "E-mail %s (%s) failed %s times; giving up: %s",
            email.pk,
            email.kind,
            email.attempts,
            reason,
        )
    else:
        logger.warning(
            "E-mail %s (%s) failed on attempt %s; next try at %s: %s",
            email.pk,
            email.kind,
            email.attempts,
            next_attempt_at.isoformat(timespec="seconds"),
            reason,
        )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=next_attempt_at, last_error=reason
    )


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except Exception:
        logger.debug("Closing the mail connection failed", exc_info=True)
