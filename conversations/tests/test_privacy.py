"""Who reads a conversation: its participants, for good. Not a leader above, not a new leader,
not an administrator; a leader who leaves keeps what they took part in; deactivating or trying
to delete a person takes nothing away from the others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import ProtectedError

from accounts.models import User
from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import (
    Conversation,
    ConversationThread,
    Item,
    Kind,
    Preparation,
    PrivateNote,
    SharedNote,
)
from organisation.models import Membership

NOW = FROZEN_AT


@pytest.fixture
def mus(cast: Cast) -> Conversation:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=60,
        now=NOW,
    )
    first, second = list(conversation.template.questions.all()[:2])
    services.preparation_save(
        conversation=conversation,
        by=cast.alice,
        answers={first.pk: "Delt svar", second.pk: "Ikke delt"},
        now=NOW,
    )
    services.preparation_share(
        conversation=conversation, by=cast.alice, now=NOW, question_ids=[first.pk]
    )
    services.private_note_save(conversation=conversation, by=cast.alice, text="Kun Alice")
    services.shared_note_add(conversation=conversation, by=cast.lena, text="Fælles", now=NOW)
    services.item_add(conversation=conversation, by=cast.lena, text="Et punkt", now=NOW)
    return conversation


def _reads(user: Any, conversation: Conversation) -> dict[str, int]:
    return {
        "thread": ConversationThread.objects.visible_to(user).count(),
        "conversation": Conversation.objects.visible_to(user).count(),
        "items": Item.objects.visible_to(user).count(),
        "notes": SharedNote.objects.visible_to(user).count(),
        "answers": Preparation.objects.visible_to(user).count(),
        "private": PrivateNote.objects.visible_to(user).count(),
    }


def test_participants_read_what_is_theirs_and_shared(cast: Cast, mus: Conversation) -> None:
    assert _reads(cast.alice, mus) == {
        "thread": 1,
        "conversation": 1,
        "items": 1,
        "notes": 1,
        "answers": 2,
        "private": 1,
    }
    assert _reads(cast.lena, mus) == {
        "thread": 1,
        "conversation": 1,
        "items": 1,
        "notes": 1,
        "answers": 1,
        "private": 0,
    }


def test_leader_above_new_leader_colleague_and_administrator_read_nothing(
    cast: Cast, mus: Conversation
) -> None:
    above = User.objects.create(username="olga", first_name="Olga")
    Membership.objects.create(user=above, unit=cast.organisation, role=Membership.Role.LEADER)
    new = User.objects.create(username="nina", first_name="Nina")
    Membership.objects.create(user=new, unit=cast.team, role=Membership.Role.LEADER)
    nothing = dict.fromkeys(_reads(cast.alice, mus), 0)
    for person in (above, new, cast.bob, cast.ada, cast.eve):
        assert _reads(person, mus) == nothing, person


def test_a_leader_who_leaves_keeps_the_conversation(cast: Cast, mus: Conversation) -> None:
    before = _reads(cast.lena, mus)
    Membership.objects.filter(user=cast.lena).delete()
    assert _reads(cast.lena, mus) == before


def test_deactivating_a_person_takes_nothing_from_the_other(cast: Cast, mus: Conversation) -> None:
    before = _reads(cast.lena, mus)
    cast.alice.is_active = False
    cast.alice.save()
    assert _reads(cast.lena, mus) == before
    # A deactivated person reads nothing at all.
    assert set(_reads(cast.alice, mus).values()) == {0}
    with pytest.raises(ProtectedError):
        cast.alice.delete()
    assert _reads(cast.lena, mus) == before


def test_nobody_plans_with_a_person_who_has_left(cast: Cast) -> None:
    cast.alice.is_active = False
    cast.alice.save()
    with pytest.raises(services.ConversationError):
        services.conversation_plan(
            by=cast.lena,
            people=[cast.alice],
            kind=Kind.ONE_ON_ONE,
            starts_at=NOW + timedelta(days=1),
            duration_minutes=30,
            now=NOW,
        )
    assert not Conversation.objects.exists()
