"""Writes about people's accounts: login attempts, deactivation, ending sessions."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
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


def _locked(attempts: QuerySet[LoginAttempt], limit: int) -> bool:
    """`limit` failures in a row lock for the lock-out period, counted from the failure that
    reached the limit. Tries while locked do not prolong it, so nobody can keep another
    person locked out by trying now and then."""
    window = timedelta(minutes=settings.SPARRING_LOCKOUT_MINUTES)
    now = timezone.now()
    streak, locked_until = 0, None
    for at, succeeded in (
        attempts.filter(at__gte=now - timedelta(days=1))
        .order_by("at")[:5000]
        .values_list("at", "succeeded")
    ):
        if locked_until is not None:
            if at < locked_until:
                continue
            locked_until = None
        if succeeded:
            streak = 0
            continue
        streak += 1
        if streak >= limit:
            locked_until, streak = at + window, 0
    return locked_until is not None and now < locked_until


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Locked for this username (guessing one person's password), or for this address
    (trying one password on many people)."""
    if _locked(
        LoginAttempt.objects.filter(username=username.lower()),
        settings.SPARRING_LOCKOUT_ATTEMPTS,
    ):
        return True
    return ip_address is not None and _locked(
        LoginAttempt.objects.filter(ip_address=ip_address),
        settings.SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS,
    )


def login_attempt_record(*, username: str, ip_address: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username=username.lower()[:150], ip_address=ip_address, succeeded=succeeded
    )
    logger.info(
        "login %s for %r from %s", "succeeded" if succeeded else "failed", username, ip_address
    )


@transaction.atomic
def person_reactivate(*, actor: User | None, person: User) -> None:
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit_record(actor=actor, action="person.reactivate", target=person)


def people_deactivate(*, ids: list[int]) -> int:
    """Leavers: kept (their history stays theirs), but they cannot log in, belong nowhere, and
    every session they have ends. The caller audits. Returns how many sessions ended."""
    from organisation.models import Membership

    ended = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        User.objects.filter(pk__in=chunk).update(is_active=False)
        Membership.objects.filter(user_id__in=chunk).delete()
        ended += Session.objects.filter(user_id__in=chunk).delete()[0]
    return ended


@transaction.atomic
def person_deactivate(*, actor: User | None, person: User, reason: str = "") -> None:
    ended = people_deactivate(ids=[person.pk])
    person.is_active = False
    audit_record(
        actor=actor,
        action="person.deactivate",
        target=person,
        summary=reason,
        data={"sessions_ended": ended},
    )
