"""The thread page reads the same number of queries however long the thread's history is: a
thread of five years of 1:1s and MUS is one page (docs/benchmarks.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Conversation, ConversationThread, Item, Kind

# The session with its person and the unread notifications the menu counts; the thread, its
# participants, its conversations and its open items.
THREAD_PAGE_QUERIES = 5


def _thread_with(cast: Cast, held: int) -> ConversationThread:
    """A thread of lena and alice with `held` conversations held (every fourth a MUS with an
    approved summary), each with an action left open and a point discussed, and the next 1:1
    planned."""
    now = FROZEN_AT
    for n in range(held):
        kind = Kind.MUS if n % 4 == 3 else Kind.ONE_ON_ONE
        starts_at = now + timedelta(days=1)
        conversation = services.conversation_plan(
            by=cast.lena,
            people=[cast.alice],
            kind=kind,
            starts_at=starts_at,
            duration_minutes=60,
            now=now,
        )
        services.item_add(
            conversation=conversation,
            by=cast.lena,
            text=f"Action {n}",
            type=Item.Type.ACTION,
            owner=cast.alice,
            now=now,
        )
        point = services.item_add(
            conversation=conversation, by=cast.alice, text=f"Point {n}", now=now
        )
        now = starts_at + timedelta(hours=1)
        services.item_close(
            item=point, conversation=conversation, by=cast.alice, status="done", now=now
        )
        services.conversation_hold(conversation=conversation, by=cast.lena, now=now)
        if kind == Kind.MUS:
            summary = services.summary_save(
                conversation=conversation, by=cast.lena, text="We agreed on a course.", now=now
            )
            for person in (cast.lena, cast.alice):
                services.summary_approve(
                    conversation=conversation, by=person, revision=summary.revision, now=now
                )
        now += timedelta(days=30)
    upcoming = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=now + timedelta(days=1),
        duration_minutes=30,
        now=now,
    )
    return upcoming.thread


@pytest.mark.parametrize("held", [1, 20])
def test_the_thread_page_takes_the_same_queries_however_long_the_thread(
    cast: Cast, client_for: Any, clock: Any, held: int
) -> None:
    thread = _thread_with(cast, held)
    client = client_for(cast.lena)
    client.get(thread.get_absolute_url())  # the session's first read is not the page's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["page"].conversations) == held + 1
    assert len(response.context["page"].open_items) == held
    assert len(queries.captured_queries) == THREAD_PAGE_QUERIES, [
        query["sql"] for query in queries.captured_queries
    ]


def test_a_stranger_gets_404_on_the_thread(cast: Cast, client_for: Any, clock: Any) -> None:
    thread = _thread_with(cast, 1)
    for stranger in (cast.bob, cast.ada, cast.eve):
        assert client_for(stranger).get(thread.get_absolute_url()).status_code == 404
    assert Conversation.objects.filter(thread=thread).count() == 2
