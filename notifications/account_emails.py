"""E-mails about a person's own account (an invitation, a link to set a password, a lock-out,
a changed address). They are not notifications: the person's settings do not turn them off,
and they never appear in the app.

A link that lets someone set a password must not rest in the outbox, where anyone who reads
the database could use it. Such an e-mail is queued with LINK in its text, and the worker
puts the link in as it sends, from the composer registered for the kind: the link exists
only in the message that leaves, and its lifetime counts from the sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from accounts.models import User
from notifications.models import OutgoingEmail

LINK = "[[link]]"

Composer = Callable[[User, datetime], str]
_COMPOSERS: dict[str, Composer] = {}


def register_link_composer(kind: str, compose: Composer) -> None:
    """compose(person, now) -> the link to put in an e-mail of this kind as it is sent."""
    _COMPOSERS[kind] = compose


@transaction.atomic
def account_email_queue(
    *, recipient: User, kind: str, subject: str, body: str, to_address: str = ""
) -> OutgoingEmail | None:
    """Queue an e-mail about the recipient's account, to their address or to `to_address`
    (an address they had until now). The subject says what it is about, never whose."""
    address = to_address or recipient.email
    if not address or not recipient.is_active:
        return None
    if LINK in body and kind not in _COMPOSERS:
        raise LookupError(f"No link composer is registered for {kind!r}")
    return OutgoingEmail.objects.create(
        recipient=recipient,
        kind=kind,
        to_address=address,
        subject=subject[:200],
        body=body,
    )


def body_for_sending(email: OutgoingEmail, now: datetime) -> str:
    """The text that goes out: with the link put in, for a kind that has one."""
    compose = _COMPOSERS.get(email.kind)
    if compose is None or LINK not in email.body:
        return email.body
    return email.body.replace(LINK, compose(email.recipient, now))
