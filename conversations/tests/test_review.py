"""What an independent review of the conversations app found wrong, each pinned by the test
that failed before the fix: the day a due date is checked against, the next 1:1 after a person
left, and the thread page without the agreements it promises."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Conversation, Item, Kind
from core.access import Visibility
from notifications.models import Notification, OutgoingEmail

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = FROZEN_AT
# The thread page: the session with its person, the thread, its participants, its conversations
# and its open agreements with their owners and where they were raised.
QUERIES_THREAD = 5


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


@pytest.mark.usefixtures("clock")
def test_the_thread_shows_its_open_agreements(cast: Cast, client_for: Any) -> None:
    """The thread is "every conversation, newest first, with its agreements" (issue 12), and
    Min side's open actions link to it: the open points and actions carried over are there,
    with who does them and when, and not those done, nor those of a conversation not held."""
    held = _one_on_one(cast, NOW + timedelta(hours=1))
    services.item_add(
        conversation=held,
        by=cast.lena,
        text="Book kurset",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=datetime(2027, 1, 15).date(),
        now=NOW,
    )
    services.item_add(conversation=held, by=cast.alice, text="Hjemmearbejde", now=NOW)
    done = services.item_add(conversation=held, by=cast.alice, text="Ferieplan", now=NOW)
    services.item_close(item=done, conversation=held, by=cast.alice, status="done", now=NOW)
    services.conversation_hold(conversation=held, by=cast.lena, now=NOW)
    following = _one_on_one(cast, NOW + timedelta(days=7))
    services.item_add(conversation=following, by=cast.alice, text="Ikke afholdt endnu", now=NOW)

    response = client_for(cast.alice).get(held.thread.get_absolute_url())

    html = response.content.decode()
    assert "Åbne aftaler" in html
    assert "Book kurset" in html and "Alice Andersen" in html and "15. januar 2027" in html
    assert "Hjemmearbejde" in html
    assert "Videreført fra 1. december 2026" in html
    assert "Ferieplan" not in html and "Ikke afholdt endnu" not in html


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("held", [1, 6])
def test_the_thread_reads_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any, held: int
) -> None:
    """However many conversations a thread holds, and agreements it carries."""
    for day in range(held):
        conversation = _one_on_one(cast, NOW + timedelta(days=day, hours=1))
        services.item_add(
            conversation=conversation,
            by=cast.lena,
            text=f"Handling {day}",
            type=Item.Type.ACTION,
            owner=cast.alice,
            now=NOW,
        )
        services.item_add(conversation=conversation, by=cast.alice, text=f"Punkt {day}", now=NOW)
        services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW)
    alice = client_for(cast.alice)
    url = conversation.thread.get_absolute_url()
    alice.get(url)
    with django_assert_num_queries(QUERIES_THREAD):
        html = alice.get(url).content.decode()
    assert all(f"Handling {day}" in html and f"Punkt {day}" in html for day in range(held))


@pytest.mark.usefixtures("clock")
def test_a_held_conversations_note_offers_no_form_to_change_it(cast: Cast, client_for: Any) -> None:
    """Held, a shared note is frozen: its own page leads back to the conversation's notes,
    like the confirmation to mark it held does, rather than offer a form that is refused."""
    conversation = _one_on_one(cast, NOW + timedelta(hours=1))
    note = services.shared_note_add(conversation=conversation, by=cast.alice, text="Ja", now=NOW)
    url = reverse("conversations:shared_note_edit", args=[conversation.pk, note.pk])
    alice = client_for(cast.alice)
    assert 'name="note-text"' in alice.get(url).content.decode()

    services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW)

    response = alice.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{conversation.get_absolute_url()}#notes"
    # Another participant's note is no page of theirs, held or not.
    assert client_for(cast.lena).get(url).status_code == 404


def test_the_next_one_on_one_keeps_the_time_of_day_across_summer_time(cast: Cast) -> None:
    """A weekly 1:1 on Thursday at 10 the week before the clocks go forward is next at 10 in
    Copenhagen, not at 11 (the same moment in UTC)."""
    conversation = _one_on_one(cast, datetime(2027, 3, 25, 10, 0, tzinfo=COPENHAGEN))
    services.thread_set_rhythm(thread=conversation.thread, by=cast.lena, rhythm="weekly")

    services.conversation_hold(
        conversation=conversation,
        by=cast.lena,
        now=datetime(2027, 3, 25, 10, 30, tzinfo=COPENHAGEN),
    )

    following = Conversation.objects.get(status=Conversation.Status.PLANNED)
    assert following.starts_at is not None
    assert following.starts_at.astimezone(COPENHAGEN) == datetime(
        2027, 4, 1, 10, 0, tzinfo=COPENHAGEN
    )


@pytest.mark.usefixtures("clock")
def test_a_checkin_shared_with_one_is_brought_only_into_a_conversation_with_its_owner(
    cast: Cast, client_for: Any
) -> None:
    """bob shared his check-in with his leader; lena may take it up with bob, but not carry it
    into her conversation with alice, nor alice hers (shared with the team) into one with
    eve: what is brought in, every participant reads, and bob chose who reads his."""
    from conversations.selectors import for_bring
    from conversations.tests.test_bring import _bring, _checkin, _plan

    bobs = _checkin(cast.bob, Visibility.LEADER, text="Bobs uge")
    alices = _checkin(cast.alice, Visibility.TEAM, text="Alices uge")
    with_alice = _plan(cast, cast.alice)
    with_bob = _plan(cast, cast.bob)
    bob_with_eve = _plan(cast, cast.eve, by=cast.bob)

    assert [c.id for c in for_bring(cast.lena, with_alice).checkins] == [alices.pk]
    assert [c.id for c in for_bring(cast.lena, with_bob).checkins] == [bobs.pk]
    # bob's own check-in he may take anywhere; alice's, shared with the team, not to eve.
    assert [c.id for c in for_bring(cast.bob, bob_with_eve).checkins] == [bobs.pk]
    response = _bring(client_for(cast.lena), with_alice, Item.Source.CHECKIN, bobs.pk)
    assert [str(m) for m in response.context["messages"]] == [
        "Det er ikke blandt det, du kan tage med ind i samtalen."
    ]
    _bring(client_for(cast.bob), bob_with_eve, Item.Source.CHECKIN, alices.pk)
    assert not Item.objects.exists()

    _bring(client_for(cast.lena), with_bob, Item.Source.CHECKIN, bobs.pk)
    assert list(Item.objects.values_list("raised_in", "quote")) == [
        (with_bob.pk, "Det gik godt: Bobs uge")
    ]


@pytest.mark.usefixtures("clock")
def test_a_cancelled_conversation_carries_nothing_over(cast: Cast, client_for: Any) -> None:
    """A cancelled conversation was never held: its page shows what was raised in it, not
    the thread's open agreements, which carry over to the conversations still to come."""
    held = _one_on_one(cast, NOW + timedelta(hours=1))
    services.item_add(conversation=held, by=cast.alice, text="Hjemmearbejde", now=NOW)
    services.conversation_hold(conversation=held, by=cast.lena, now=NOW)
    cancelled = _one_on_one(cast, NOW + timedelta(days=7))
    services.item_add(conversation=cancelled, by=cast.alice, text="Ferieplan", now=NOW)
    services.conversation_cancel(conversation=cancelled, by=cast.lena, now=NOW)
    coming = _one_on_one(cast, NOW + timedelta(days=14))

    html = client_for(cast.alice).get(cancelled.get_absolute_url()).content.decode()
    assert "Ferieplan" in html and "Hjemmearbejde" not in html
    html = client_for(cast.alice).get(coming.get_absolute_url()).content.decode()
    assert "Hjemmearbejde" in html
