"""The benchmark's five years of conversations are what the services would have left: one
thread per person and leader, frozen agendas that say what was carried over, items closed in
held conversations, the open ones on the next conversation's agenda, summaries locked when
both approved, and preparation read only as shared."""

from __future__ import annotations

from typing import Any

from bench.conversation_history import conversation_history_create
from conftest import Cast
from conversations.models import (
    Conversation,
    ConversationThread,
    Item,
    Kind,
    Preparation,
    PrivateNote,
    Summary,
    thread_key,
)
from conversations.selectors import agenda_of, conversation_day


def test_every_person_has_five_years_with_their_leader(cast: Cast, clock: Any) -> None:
    counts = conversation_history_create(years=5)

    # alice and bob with lena; lena and eve have nobody leading them.
    keys = set(ConversationThread.objects.values_list("key", flat=True))
    assert keys == {
        thread_key([cast.alice.pk, cast.lena.pk]),
        thread_key([cast.bob.pk, cast.lena.pk]),
    }
    assert counts["threads"] == 2
    assert counts["conversations"] == Conversation.objects.count()
    for thread in ConversationThread.objects.all():
        conversations = list(thread.conversations.all())
        mus = [c for c in conversations if c.kind == Kind.MUS]
        assert len(mus) == 5
        assert 19 <= len(conversations) - len(mus) <= 22
        assert all(c.leader_id == cast.lena.pk for c in conversations)
        planned = [c for c in conversations if c.status == Conversation.Status.PLANNED]
        assert all(c.starts_at > clock.now() for c in planned)
        assert all(
            c.held_at < clock.now() for c in conversations if c.status == Conversation.Status.HELD
        )


def test_the_records_and_the_items_agree(cast: Cast, clock: Any) -> None:
    conversation_history_create(years=5)
    held = Conversation.objects.filter(status=Conversation.Status.HELD)
    assert held.exists()
    for conversation in held:
        record = {entry.id: entry for entry in agenda_of(conversation)}
        raised = set(conversation.raised_items.values_list("pk", flat=True))
        closed = set(conversation.closed_items.values_list("pk", flat=True))
        assert raised | closed <= set(record)
        for entry in record.values():
            item = Item.objects.select_related("raised_in").get(pk=entry.id)
            carried = item.raised_in_id != conversation.pk
            assert entry.carried_from == (conversation_day(item.raised_in) if carried else None)
            if item.closed_in_id == conversation.pk:
                assert entry.status == item.status != Item.Status.OPEN
            else:
                assert entry.status == Item.Status.OPEN
    for item in Item.objects.exclude(status=Item.Status.OPEN).select_related("closed_in"):
        assert item.closed_in is not None and item.closed_in.is_held
        assert item.closed_at == item.closed_in.held_at
    # What is open is on the agenda of each thread's next 1:1, carried over.
    for thread in ConversationThread.objects.all():
        upcoming = thread.conversations.get(
            kind=Kind.ONE_ON_ONE, status=Conversation.Status.PLANNED
        )
        carried = {entry.id for entry in agenda_of(upcoming) if entry.carried_from}
        assert carried == set(
            Item.objects.filter(
                thread=thread,
                status=Item.Status.OPEN,
                raised_in__status=Conversation.Status.HELD,
            ).values_list("pk", flat=True)
        )


def test_summaries_preparation_and_private_notes(cast: Cast, clock: Any) -> None:
    conversation_history_create(years=5)
    for summary in Summary.objects.all():
        approvers = set(
            summary.approvals.filter(revision=summary.revision).values_list("user_id", flat=True)
        )
        assert summary.conversation.kind == Kind.MUS
        assert summary.is_locked == (approvers == {cast.lena.pk, _person_of(summary)})
    alice_answers = Preparation.objects.filter(owner=cast.alice)
    assert alice_answers.filter(shared_at__isnull=False).exists()
    assert alice_answers.filter(shared_at__isnull=True).exists()
    seen_by_lena = set(Preparation.objects.visible_to(cast.lena).values_list("pk", flat=True))
    for answer in alice_answers:
        assert (answer.pk in seen_by_lena) == (answer.shared_at is not None)
    assert not Preparation.objects.visible_to(cast.bob).filter(owner=cast.alice).exists()
    assert PrivateNote.objects.filter(owner=cast.lena).exists()
    assert not PrivateNote.objects.visible_to(cast.alice).filter(owner=cast.lena).exists()


def _person_of(summary: Summary) -> int:
    """The participant the MUS was with: the one who is not its leader."""
    (person,) = summary.conversation.thread.participants.values_list("user_id", flat=True).exclude(
        user_id=summary.conversation.leader_id or 0
    )
    return int(person)
