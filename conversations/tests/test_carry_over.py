"""Agreements that carry over: an open action or talking point appears in the thread's next
conversations of any kind, marked with the day it was raised, until it is done or dropped;
a held conversation keeps the agenda it was held with."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Conversation, Item, Kind
from conversations.selectors import agenda_of
from conversations.services import ConversationError

NOW = FROZEN_AT


def _plan(cast: Cast, kind: str, starts_at: datetime, now: datetime) -> Conversation:
    return services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=kind,
        starts_at=starts_at,
        duration_minutes=60,
        now=now,
    )


def test_open_items_carry_over_across_three_kinds_until_done(cast: Cast) -> None:
    one_on_one = _plan(cast, Kind.ONE_ON_ONE, NOW + timedelta(days=1), NOW)
    action = services.item_add(
        conversation=one_on_one,
        by=cast.lena,
        text="Find a course in user research",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=(NOW + timedelta(days=30)).date(),
        now=NOW,
    )
    point = services.item_add(
        conversation=one_on_one, by=cast.alice, text="Too many meetings", now=NOW
    )
    discussed = services.item_add(
        conversation=one_on_one, by=cast.alice, text="The new colleague", now=NOW
    )
    later = NOW + timedelta(days=1, hours=1)
    services.item_close(
        item=discussed, conversation=one_on_one, by=cast.alice, status="done", now=later
    )
    services.conversation_hold(conversation=one_on_one, by=cast.lena, now=later)

    mus = _plan(cast, Kind.MUS, NOW + timedelta(days=20), later)
    agenda = agenda_of(mus)
    assert [entry.id for entry in agenda] == [action.pk, point.pk]
    assert all(entry.carried_from == (NOW + timedelta(days=1)).date() for entry in agenda)

    services.item_close(item=point, conversation=mus, by=cast.lena, status="done", now=later)
    held_mus = NOW + timedelta(days=20, hours=1)
    services.conversation_hold(conversation=mus, by=cast.alice, now=held_mus)

    free = _plan(cast, Kind.FREE, NOW + timedelta(days=40), held_mus)
    agenda = agenda_of(free)
    assert [entry.id for entry in agenda] == [action.pk]
    assert agenda[0].carried_from == (NOW + timedelta(days=1)).date()
    services.item_close(item=action, conversation=free, by=cast.alice, status="done", now=held_mus)
    services.conversation_hold(conversation=free, by=cast.alice, now=NOW + timedelta(days=41))

    fourth = _plan(cast, Kind.ONE_ON_ONE, NOW + timedelta(days=50), NOW + timedelta(days=41))
    assert agenda_of(fourth) == []
    # The held ones keep the agenda they were held with.
    one_on_one.refresh_from_db()
    mus.refresh_from_db()
    assert [(e.id, e.status) for e in agenda_of(one_on_one)] == [
        (action.pk, "open"),
        (point.pk, "open"),
        (discussed.pk, "done"),
    ]
    assert [(e.id, e.status) for e in agenda_of(mus)] == [(action.pk, "open"), (point.pk, "done")]


def test_a_held_conversation_is_frozen(cast: Cast) -> None:
    conversation = _plan(cast, Kind.ONE_ON_ONE, NOW + timedelta(days=1), NOW)
    services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW)
    with pytest.raises(ConversationError):
        services.item_add(conversation=conversation, by=cast.alice, text="Late", now=NOW)
    with pytest.raises(ConversationError):
        services.shared_note_add(conversation=conversation, by=cast.alice, text="Late", now=NOW)
    assert Item.objects.count() == 0
    services.addendum_add(conversation=conversation, by=cast.alice, text="Later", now=NOW)
    assert conversation.addenda.count() == 1


def test_a_stranger_gets_404(cast: Cast, client_for) -> None:
    conversation = _plan(cast, Kind.ONE_ON_ONE, NOW + timedelta(days=1), NOW)
    for person in (cast.bob, cast.eve, cast.ada):
        client = client_for(person)
        assert client.get(conversation.get_absolute_url()).status_code == 404
        assert client.get(conversation.thread.get_absolute_url()).status_code == 404
    assert client_for(cast.alice).get(conversation.get_absolute_url()).status_code == 200
