"""Reads: what reaches a person, kind by kind; and the outbox and chat channels as the
administrator's start shows them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from core.compiled import compiled_query
from notifications.kinds import Kind, all_kinds
from notifications.models import (
    ChatWebhook,
    EmailOff,
    Notification,
    NotificationSetting,
    OutgoingEmail,
)


@dataclass(frozen=True)
class Preference:
    kind: Kind
    in_app: bool
    email: bool


def preferences_of(user_ids: Iterable[int], kind: Kind) -> dict[int, Preference]:
    """Each person's choice for one kind, by primary key, in one query: what bulk telling
    needs."""
    ids = list(user_ids)
    default = Preference(kind, kind.in_app, kind.email)
    chosen = {
        user_id: Preference(kind, in_app, email)
        for user_id, in_app, email in _choices(user_ids=ids, kind=kind.name)
    }
    return {user_id: chosen.get(user_id, default) for user_id in ids}


@compiled_query
def _choices(
    user_ids: list[int], kind: str
) -> QuerySet[NotificationSetting, tuple[int, bool, bool]]:
    return NotificationSetting.objects.filter(user_id__in=user_ids, kind=kind).values_list(
        "user_id", "in_app", "email"
    )


def preferences_for(user: User) -> list[Preference]:
    """The person's choice for every registered kind, in one query."""
    rows = {row.kind: row for row in NotificationSetting.objects.filter(user=user)}
    preferences = []
    for kind in all_kinds():
        row = rows.get(kind.name)
        if row is None:
            preferences.append(Preference(kind, kind.in_app, kind.email))
        else:
            preferences.append(Preference(kind, row.in_app, row.email))
    return preferences


def email_is_on(user: User) -> bool:
    """False when the person has turned all notification e-mail off."""
    return not EmailOff.objects.filter(user=user).exists()


# The kind of the test e-mail an administrator sends themselves from their start.
EMAIL_TEST = "email_test"


@dataclass(frozen=True)
class EmailTest:
    """The latest test e-mail an administrator sent themselves."""

    created_at: datetime
    sent_at: datetime | None
    attempts: int
    gave_up: bool


@dataclass(frozen=True)
class AdministratorsStartNotifications:
    # A test e-mail to an administrator has been delivered: e-mail works.
    email_tested: bool
    my_test_email: EmailTest | None
    emails_waiting: int
    emails_given_up: int
    chat_channels: int


def for_administrators_start(*, user: User) -> AdministratorsStartNotifications:
    """The administrator's start: whether e-mail has been shown to work, what waits in the
    outbox or was given up, and how many chat channels are set up."""
    # Only unsent e-mails, so the count stays on the outbox's partial index however many
    # have been sent over the years. A mail tried the most times with a lease still running
    # is given up on by the worker as well (OutgoingEmail.objects.due).
    tried_out = Q(attempts__gte=settings.SPARRING_EMAIL_MAX_ATTEMPTS)
    given_up = Q(next_attempt_at__isnull=True) | tried_out
    outbox = OutgoingEmail.objects.filter(sent_at__isnull=True).aggregate(
        waiting=Count("pk", filter=~given_up), given_up=Count("pk", filter=given_up)
    )
    # Through the administrators' own e-mails (the recipient's index), not every e-mail sent.
    tested = OutgoingEmail.objects.filter(
        recipient__is_administrator=True, kind=EMAIL_TEST, sent_at__isnull=False
    ).exists()
    latest = (
        OutgoingEmail.objects.filter(recipient=user, kind=EMAIL_TEST)
        .order_by("-created_at", "-pk")
        .values("created_at", "sent_at", "attempts", "next_attempt_at")
        .first()
    )
    my_test_email = None
    if latest is not None:
        my_test_email = EmailTest(
            created_at=latest["created_at"],
            sent_at=latest["sent_at"],
            attempts=latest["attempts"],
            gave_up=latest["sent_at"] is None
            and (
                latest["next_attempt_at"] is None
                or latest["attempts"] >= settings.SPARRING_EMAIL_MAX_ATTEMPTS
            ),
        )
    return AdministratorsStartNotifications(
        email_tested=tested,
        my_test_email=my_test_email,
        emails_waiting=outbox["waiting"],
        emails_given_up=outbox["given_up"],
        chat_channels=ChatWebhook.objects.filter(is_active=True).count(),
    )


def chosen_by(kind: Kind, *, not_told_for: str) -> list[int]:
    """Ids of the active people who turned on a kind that is off by default (in Sparring or by
    e-mail), less those already told for the occasion `not_told_for` (a notify_once key), in
    one query: who a digest one asks for still goes to."""
    told_in_app = Notification.objects.filter(kind=kind.name, key=not_told_for)
    told_by_email = OutgoingEmail.objects.filter(kind=kind.name, key=not_told_for)
    return list(
        NotificationSetting.objects.filter(kind=kind.name, user__is_active=True)
        .filter(Q(in_app=True) | Q(email=True))
        .exclude(user_id__in=told_in_app.values("recipient_id"))
        .exclude(user_id__in=told_by_email.values("recipient_id"))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
