"""Min side's conversations: the next ones with a way to prepare, those asked of me, and the
actions I own; and for a leader, how many of their people had no MUS in the last year."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import translation

from conversations import services
from conversations.models import Item, Kind
from conversations.selectors import for_min_side
from core.dates import date_label


def _plan(cast, clock, kind, days, people=None):
    return services.conversation_plan(
        by=cast.lena,
        people=people or [cast.alice],
        kind=kind,
        starts_at=clock.now() + timedelta(days=days),
        duration_minutes=60,
        now=clock.now(),
    )


def test_my_next_conversations_requests_and_actions(cast, clock, django_assert_num_queries):
    now = clock.now()
    mus = _plan(cast, clock, Kind.MUS, 3)
    one_on_one = _plan(cast, clock, Kind.ONE_ON_ONE, 1)
    questions = list(one_on_one.template.questions.all())
    services.preparation_save(
        conversation=one_on_one,
        by=cast.alice,
        answers={question.pk: "Svar" for question in questions},
        now=now,
    )
    # bob asks alice for a conversation; alice's own request to lena waits for lena, not her.
    asked = services.conversation_request(
        by=cast.bob, other=cast.alice, kind=Kind.FREE, message="Kaffe?", now=now
    )
    services.conversation_request(
        by=cast.alice, other=cast.lena, kind=Kind.MUS, message="", now=now
    )
    later = services.item_add(
        conversation=mus,
        by=cast.lena,
        text="Find et kursus",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=(now + timedelta(days=30)).date(),
        now=now,
    )
    sooner = services.item_add(
        conversation=one_on_one,
        by=cast.alice,
        text="Skriv til IT",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=(now + timedelta(days=5)).date(),
        now=now,
    )
    services.item_add(
        conversation=one_on_one,
        by=cast.alice,
        text="Lenas handling",
        type=Item.Type.ACTION,
        owner=cast.lena,
        now=now,
    )

    # The conversations and the actions; with conversations coming, who else takes part and
    # how many of each template's questions the person answered.
    with django_assert_num_queries(5):
        block = for_min_side(cast.alice, now)

    assert [(c.id, c.with_name, c.unanswered) for c in block.upcoming] == [
        (one_on_one.pk, "Lena Lund", 0),
        (mus.pk, "Lena Lund", len(mus.template.questions.all())),
    ]
    assert [(c.id, c.with_name) for c in block.requests] == [(asked.pk, "Bob Bertelsen")]
    assert [a.id for a in block.actions] == [sooner.pk, later.pk]
    # Lena sees the conversations from her side, and her own action.
    lenas = for_min_side(cast.lena, now)
    assert [c.with_name for c in lenas.upcoming] == ["Alice Andersen", "Alice Andersen"]
    assert [c.label for c in lenas.requests] == ["MUS"]
    assert [a.text for a in lenas.actions] == ["Lenas handling"]
    # Bob takes part in none of it but his own request.
    with django_assert_num_queries(2):
        bobs = for_min_side(cast.bob, now)
    assert (bobs.upcoming, bobs.requests, bobs.actions) == ([], [], [])


def test_min_side_shows_the_block_in_danish(cast, client_for, clock):
    mus = _plan(cast, clock, Kind.MUS, 3)
    services.item_add(
        conversation=mus,
        by=cast.lena,
        text="Find et kursus",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=(clock.now() + timedelta(days=30)).date(),
        now=clock.now(),
    )

    html = client_for(cast.alice).get("/").content.decode()

    assert "Mine samtaler" in html
    assert "Forbered dig" in html
    assert mus.get_absolute_url() in html
    assert "Find et kursus" in html
    due = (clock.now() + timedelta(days=30)).date()
    with translation.override("da"):
        assert f"Frist {date_label(due)}" in html
    # Nobody shows a leader's line to someone who leads nothing.
    assert reverse("conversations:people") not in html
    # In English for someone who chose it.
    cast.alice.language = "en"
    cast.alice.save(update_fields=["language"])
    english = client_for(cast.alice).get("/").content.decode()
    with translation.override("en"):
        assert f"Due {date_label(due)}" in english


def test_the_leaders_week_counts_people_without_a_mus(cast, client_for, clock):
    mus = _plan(cast, clock, Kind.MUS, 1)
    services.conversation_hold(conversation=mus, by=cast.lena, now=clock.now() + timedelta(days=1))
    clock.advance(timedelta(days=2))

    html = client_for(cast.lena).get("/").content.decode()

    assert "1 af dine medarbejdere har ikke haft MUS i de sidste 12 måneder" in html
    assert reverse("conversations:people") in html
    services.conversation_hold(
        conversation=_plan(cast, clock, Kind.MUS, 1, people=[cast.bob]),
        by=cast.lena,
        now=clock.now() + timedelta(days=1),
    )
    clock.advance(timedelta(days=2))
    html = client_for(cast.lena).get("/").content.decode()
    assert "Alle dine medarbejdere har haft MUS i de sidste 12 måneder" in html
