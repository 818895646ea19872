"""Writes about people's accounts: login attempts, deactivation, ending sessions."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import LoginAttempt, Session, User
from core.audit import audit_record

logger = logging.getLogger("sparring.accounts")


def unique_username(base: str) -> str:
    base = "".join(ch for ch in base.lower() if ch.isalnum() or ch in "._-")[:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def login_is_locked(*, username: str) -> bool:
    """True when the last failures for this username within the window reach the limit."""
    since = timezone.now() - timedelta(minutes=settings.SPARRING_LOCKOUT_MINUTES)
    recent = LoginAttempt.objects.filter(username=username.lower(), at__gte=since).order_by("-at")
    streak = 0
    for succeeded in recent.values_list("succeeded", flat=True)[
        : settings.SPARRING_LOCKOUT_ATTEMPTS
    ]:
        if succeeded:
            break
        streak += 1
    return streak >= settings.SPARRING_LOCKOUT_ATTEMPTS


def login_attempt_record(*, username: str, ip_address: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username=username.lower()[:150], ip_address=ip_address, succeeded=succeeded
    )
    logger.info(
        "login %s for %r from %s", "succeeded" if succeeded else "failed", username, ip_address
    )


def sessions_end(*, user: User) -> int:
    """End every session of this person on the server. Returns how many were ended."""
    deleted, _ = Session.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def person_deactivate(*, actor: User | None, person: User, reason: str = "") -> None:
    """A leaver: kept (their history stays theirs), but cannot log in and belongs nowhere."""
    from organisation.models import Membership

    person.is_active = False
    person.save(update_fields=["is_active"])
    Membership.objects.filter(user=person).delete()
    ended = sessions_end(user=person)
    audit_record(
        actor=actor,
        action="person.deactivate",
        target=person,
        summary=reason,
        data={"sessions_ended": ended},
    )
