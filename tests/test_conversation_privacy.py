"""Private preparation and private notes are read by their author and nobody else: not the
other participant, not a leader above, not a new leader, not a colleague, not an
administrator. The test opens every page of the project as each of them (every URL pattern,
found by itself, like the access sweep) and looks for the words in every response, then in
every notification and e-mail the conversation and its reminders made."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from conftest import Cast
from conversations import services
from conversations.models import Conversation, Item, Kind, Plan
from notifications.models import Notification
from tests.privacy_crawl import every_page, outsiders, reader, words

# Every page, asked as each person: a sweep, on SQLite in CI (`make test-database` leaves it
# out), as the access sweep is.
pytestmark = pytest.mark.sweep

# The clock stands at the cast's frozen moment in every test here (the `clock` fixture).
UNSHARED = "Forberedelse-som-kun-Alice-ser"
SHARED = "Forberedelse-som-Alice-har-delt"
ALICE_PRIVATE = "Privat-note-som-kun-Alice-ser"
LENA_PRIVATE = "Privat-note-som-kun-Lena-ser"
PRIVATE = (UNSHARED, ALICE_PRIVATE)


def _conversations(cast: Cast, now: datetime) -> dict[str, Any]:
    """A MUS of lena's with alice that alice has prepared (one answer shared, one not), both
    with private notes, and a held 1:1 of theirs with the same: markers on every kind of page
    a conversation has."""
    plan = Plan.objects.create(
        leader=cast.lena,
        unit=cast.team,
        title="MUS 2027 i Sekretariatet",
        starts_on=now.date(),
        ends_on=(now + timedelta(days=30)).date(),
    )
    held = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=now + timedelta(hours=1),
        duration_minutes=30,
        now=now,
    )
    mus = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=now + timedelta(days=2),
        duration_minutes=60,
        now=now,
        plan=plan,
    )
    for conversation in (held, mus):
        first, second = list(conversation.template.questions.all()[:2])
        services.preparation_save(
            conversation=conversation,
            by=cast.alice,
            answers={first.pk: f"{SHARED} {conversation.pk}", second.pk: UNSHARED},
            now=now,
        )
        services.preparation_share(
            conversation=conversation, by=cast.alice, now=now, question_ids=[first.pk]
        )
        services.private_note_save(conversation=conversation, by=cast.alice, text=ALICE_PRIVATE)
        services.private_note_save(conversation=conversation, by=cast.lena, text=LENA_PRIVATE)
        services.item_add(
            conversation=conversation,
            by=cast.lena,
            text="Et kursus i brugerundersøgelser",
            type=Item.Type.ACTION,
            owner=cast.alice,
            now=now,
        )
        services.shared_note_add(
            conversation=conversation, by=cast.alice, text="En fælles note", now=now
        )
    services.conversation_hold(conversation=held, by=cast.lena, now=now + timedelta(hours=2))
    services.summary_save(conversation=mus, by=cast.lena, text="Et fælles referat", now=now)
    return {"held": held, "mus": mus, "plan": plan}


def _urls(cast: Cast, made: dict[str, Any]) -> list[str]:
    """Every GET-able page of the project, the conversations' pages pointed at ours."""
    ours = {
        "conversation_id": [made["held"].pk, made["mus"].pk],
        "conversation_thread_id": [made["mus"].thread_id],
        "plan_id": [made["plan"].pk],
        "item_id": list(Item.objects.values_list("pk", flat=True)),
    }
    return every_page(cast, ours)


@pytest.mark.parametrize("viewer", ["lena", "olga", "nina", "bob", "ada"])
def test_private_words_are_in_no_page_for_anyone_else(
    viewer: str, cast: Cast, client_for: Any, clock: Any
) -> None:
    made = _conversations(cast, clock.now())
    person = outsiders(cast)[viewer]
    client = client_for(person)
    read = reader(client, person)
    hidden = PRIVATE if viewer == "lena" else (*PRIVATE, LENA_PRIVATE, SHARED)
    pages = 0
    for url in _urls(cast, made):
        response = read(url)
        text = words(response)
        for word in hidden:
            assert word not in text, f"{viewer} read {word!r} on {url}"
        pages += 1
    # Still logged in at the end: every page above was read as the viewer.
    assert client.get(reverse("home:index")).status_code == 200
    assert pages > 100


def test_the_author_reads_their_own_and_the_other_the_shared(
    cast: Cast, client_for: Any, clock: Any
) -> None:
    """The other side of the test above, so that it can fail: the words are on the pages."""
    made = _conversations(cast, clock.now())
    url = made["mus"].get_absolute_url()
    alices = words(client_for(cast.alice).get(url))
    assert UNSHARED in alices and ALICE_PRIVATE in alices and LENA_PRIVATE not in alices
    lenas = words(client_for(cast.lena).get(url))
    assert SHARED in lenas and LENA_PRIVATE in lenas
    assert UNSHARED not in lenas and ALICE_PRIVATE not in lenas


def test_private_words_are_in_no_notification_or_email(cast: Cast, clock: Any) -> None:
    from notifications.delivery import deliver_due
    from notifications.scheduler import run_periodic_tasks

    now = clock.now()
    made = _conversations(cast, now)
    # Every periodic task at moments around the conversations: reminders to prepare, about
    # open actions, about new employees; then every e-mail delivered.
    for moment in [now + timedelta(hours=h) for h in (0, 24, 30, 47, 24 * 9, 24 * 40)]:
        clock.move_to(moment)
        run_periodic_tasks(moment)
        deliver_due(clock=clock.now)
    conversation: Conversation = made["mus"]
    services.conversation_cancel(conversation=conversation, by=cast.lena, now=clock.now())
    deliver_due(clock=clock.now)
    told = [n.text for n in Notification.objects.all()]
    written = [f"{m.subject}\n{m.body}\n{m.attachments}" for m in mail.outbox]
    # Invitations, reminders and the cancellation were told and written: there is text to read.
    assert len(told) >= 4 and len(written) >= 4
    for word in (*PRIVATE, LENA_PRIVATE):
        assert not any(word in text for text in told)
        assert not any(word in text for text in written)
