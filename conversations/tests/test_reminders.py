"""Reminders about conversations, run as the worker runs them: each at its time, and once,
however many ticks there are. Every `now` is fixed; nothing reads the wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from conftest import FROZEN_AT, Cast, _person
from conversations import reminders, services
from conversations.models import Conversation, Item, Kind
from notifications.models import Notification, OutgoingEmail
from notifications.scheduler import registered_tasks, run_periodic_tasks
from organisation.models import ImportJob, Membership

NOW = FROZEN_AT


def _told(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "text"))


def _plan(cast: Cast, starts_at: datetime, kind: str = Kind.ONE_ON_ONE) -> Conversation:
    return services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=kind,
        starts_at=starts_at,
        duration_minutes=30,
        now=NOW,
    )


def test_the_worker_runs_the_reminders() -> None:
    assert {"conversation_prepare", "conversation_actions", "conversation_follow_up"} <= set(
        registered_tasks()
    )


def test_each_participant_is_reminded_to_prepare_the_day_before_once(cast: Cast) -> None:
    starts_at = NOW + timedelta(days=3)
    conversation = _plan(cast, starts_at)
    for now in (NOW, starts_at - timedelta(hours=24, minutes=1)):
        reminders.remind_to_prepare(now)
        assert _told("conversation_prepare") == []
    reminders.remind_to_prepare(starts_at - timedelta(hours=23))
    when = "4. dec. 2026 kl. 10.00"
    assert _told("conversation_prepare") == [
        ("alice", f"1:1 med Lena Lund {when}: tag et par minutter til at forberede dig."),
        ("lena", f"1:1 med Alice Andersen {when}: tag et par minutter til at forberede dig."),
    ]
    assert OutgoingEmail.objects.filter(kind="conversation_prepare").count() == 2
    subject = OutgoingEmail.objects.filter(kind="conversation_prepare").first().subject  # type: ignore[union-attr]
    assert subject.startswith("Forbered din samtale: 1:1 med")
    # Every later tick, by any worker, tells nobody again.
    for hours in (22, 2, 0.5):
        run_periodic_tasks(starts_at - timedelta(hours=hours))
    assert len(_told("conversation_prepare")) == 2

    # Moved, it is reminded of again at its new time; cancelled or held, not at all.
    services.conversation_schedule(
        conversation=conversation,
        by=cast.alice,
        starts_at=starts_at + timedelta(days=7),
        duration_minutes=30,
        place="",
        now=starts_at - timedelta(hours=1),
    )
    reminders.remind_to_prepare(starts_at + timedelta(days=6, hours=1))
    assert len(_told("conversation_prepare")) == 4
    cancelled = _plan(cast, NOW + timedelta(days=20))
    services.conversation_cancel(conversation=cancelled, by=cast.lena, now=NOW)
    reminders.remind_to_prepare(NOW + timedelta(days=19, hours=1))
    assert len(_told("conversation_prepare")) == 4


def test_open_actions_are_recalled_a_week_after_once(cast: Cast) -> None:
    conversation = _plan(cast, NOW + timedelta(days=1))
    services.item_add(
        conversation=conversation,
        by=cast.lena,
        text="Find et kursus i brugerundersøgelser",
        type=Item.Type.ACTION,
        owner=cast.alice,
        now=NOW,
    )
    services.item_add(
        conversation=conversation,
        by=cast.alice,
        text="Send udkastet til Bob",
        type=Item.Type.ACTION,
        owner=cast.alice,
        now=NOW,
    )
    held_at = NOW + timedelta(days=1, hours=1)
    services.conversation_hold(conversation=conversation, by=cast.lena, now=held_at)

    reminders.remind_of_open_actions(held_at + timedelta(days=6, hours=23))
    assert _told("conversation_actions") == []
    for hours in (0, 1, 30):
        reminders.remind_of_open_actions(held_at + timedelta(days=7, hours=hours))
    # Only alice owns actions; the text says how many, never what they are.
    assert _told("conversation_actions") == [
        ("alice", "Dine åbne handlinger fra samtalen med Lena Lund (1:1): 2")
    ]
    email = OutgoingEmail.objects.get(kind="conversation_actions")
    assert "kursus" not in email.subject + email.body

    # A conversation whose actions are all done reminds nobody.
    second = _plan(cast, held_at + timedelta(days=10))
    for item in Item.objects.filter(thread=conversation.thread):
        services.item_close(
            item=item, conversation=second, by=cast.alice, status="done", now=held_at
        )
    services.conversation_hold(conversation=second, by=cast.alice, now=held_at + timedelta(days=11))
    Notification.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    reminders.remind_of_open_actions(held_at + timedelta(days=18, hours=1))
    assert _told("conversation_actions") == []


@pytest.fixture
def first_import(cast: Cast) -> datetime:
    """The organisation's first import, which brought the cast, finished on 1 June 2026."""
    finished = datetime(2026, 6, 1, 12, 0, tzinfo=NOW.tzinfo)
    ImportJob.objects.create(status=ImportJob.Status.DONE, finished_at=finished)
    for person in (cast.alice, cast.bob, cast.lena, cast.eve):
        person.date_joined = finished - timedelta(minutes=5)
        person.save(update_fields=["date_joined"])
    return finished


def _newcomer(cast: Cast, username: str, joined: datetime) -> Any:
    person = _person(username, username.capitalize(), "Nielsen")
    person.date_joined = joined
    person.save(update_fields=["date_joined"])
    Membership.objects.create(user=person, unit=cast.team)
    return person


def test_a_leader_is_reminded_of_the_follow_up_with_a_newcomer(
    cast: Cast, first_import: datetime
) -> None:
    joined = datetime(2026, 9, 1, 9, 0, tzinfo=NOW.tzinfo)
    nina = _newcomer(cast, "nina", joined)
    reminders.remind_of_follow_up(joined + timedelta(days=90))
    assert _told("conversation_follow_up") == []
    for days in (91, 92, 100):
        reminders.remind_of_follow_up(joined + timedelta(days=days))
    assert _told("conversation_follow_up") == [
        (
            "lena",
            "Nina Nielsen startede 1. september 2026: tid til en opfølgningssamtale om "
            "roller, ansvar og forventninger.",
        )
    ]
    notification = Notification.objects.get(kind="conversation_follow_up")
    assert notification.url == f"/conversations/new/?with={nina.pk}&kind=expectations"
    # The cast came in the first import: none of them is new, long after it too.
    assert not Notification.objects.filter(text__contains="Alice").exists()


def test_no_follow_up_reminder_when_one_is_planned_or_too_late(
    cast: Cast, first_import: datetime
) -> None:
    joined = datetime(2026, 8, 3, 9, 0, tzinfo=NOW.tzinfo)
    ole = _newcomer(cast, "ole", joined)
    services.conversation_plan(
        by=cast.lena,
        people=[ole],
        kind=Kind.EXPECTATIONS,
        starts_at=joined + timedelta(days=100),
        duration_minutes=60,
        now=joined + timedelta(days=80),
    )
    reminders.remind_of_follow_up(joined + timedelta(days=95))
    # Someone who joined half a year ago is past the reminder's month.
    _newcomer(cast, "per", joined - timedelta(days=90))
    reminders.remind_of_follow_up(joined + timedelta(days=95))
    assert _told("conversation_follow_up") == []


def test_without_an_import_the_first_month_is_the_setup(cast: Cast) -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=NOW.tzinfo)
    # The administrator set up Sparring; the others came with their first login that month.
    for days, person in enumerate((cast.ada, cast.lena, cast.alice, cast.bob, cast.eve)):
        person.date_joined = start + timedelta(days=days * 6)
        person.save(update_fields=["date_joined"])
    assert reminders.organisation_start() == start + reminders.SETUP_PERIOD
    joined = datetime(2026, 3, 2, 9, 0, tzinfo=NOW.tzinfo)
    _newcomer(cast, "kim", joined)
    reminders.remind_of_follow_up(joined + timedelta(days=91))
    assert [name for name, _text in _told("conversation_follow_up")] == ["lena"]
