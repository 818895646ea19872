"""Bringing items into a conversation (issue 12, point 3): a participant brings what they own
or what was shared with them (a check-in with its replies, feedback kept for their
development, a reflection, a team action), each read again through its own app's access
layer; what they bring, the other participants read. Replies marked "take this up at our next
1:1" go on the agenda of a conversation between the two, each once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from checkins.models import CheckIn, Reflection, Reply, Thread, current_week
from checkins.services import checkin_write, replies_taken_up, reply_create
from conftest import Cast
from conversations import services
from conversations.models import Conversation, Item, Kind
from conversations.selectors import for_bring
from core.access import Visibility
from development.models import Rating, SelfAssessment
from development.services import framework_current
from feedback.models import Feedback
from feedback.services import feedback_give, feedback_keep
from pulse.models import Action, Question
from teamwork.services import goal_create

pytestmark = pytest.mark.usefixtures("clock")

HTMX = {"HX-Request": "true"}
CHECKIN_TEXT = "Budgettet fylder alt-4b1c"
REPLY_TEXT = "Lad os tale om det-7e2d"
FEEDBACK_TEXT = "Dit overblik på mødet-9a3f"
REFLECTION_TEXT = "Jeg vil lære mere om brugerundersøgelser-2c8e"
ACTION_TEXT = "Færre møder om fredagen-6d0a"
ASSESSMENT_TEXT = "Jeg vil blive bedre til at lede workshops-5e1b"
NOT_BRINGABLE = "Det er ikke blandt det, du kan tage med ind i samtalen."


def _plan(cast: Cast, *people: Any, by: Any = None) -> Conversation:
    now = timezone.now()
    return services.conversation_plan(
        by=by or cast.lena,
        people=list(people) or [cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=now + timedelta(days=2),
        duration_minutes=30,
        now=now,
    )


def _checkin(owner: Any, visibility: str = Visibility.LEADER, text: str = CHECKIN_TEXT) -> CheckIn:
    return checkin_write(
        owner=owner,
        week=current_week(),
        energy=4,
        went_well=text,
        is_hard="",
        priorities="",
        help_needed="",
        visibility=visibility,
    )


def _feedback(giver: Any, receiver: Any, *, kept: bool = True) -> Feedback:
    feedback = feedback_give(
        giver=giver, receiver=receiver, works_well=FEEDBACK_TEXT, even_better=""
    )
    return feedback_keep(feedback=feedback, by=receiver, kept=True) if kept else feedback


def _action(unit: Any, owner: Any) -> Action:
    goal = goal_create(unit=unit, title=ACTION_TEXT, owner=owner, due_date=None, status="on_track")
    question = Question.objects.create(theme="trust", text_da="Tillid", text_en="Trust")
    return Action.objects.create(goal=goal, question=question, round=None)


def _assessment(owner: Any, visibility: str = Visibility.PRIVATE) -> SelfAssessment:
    """A self-assessment of `owner` on the first area: level 2, would like to develop it."""
    framework = framework_current()
    assessment = SelfAssessment.objects.create(
        owner=owner,
        framework=framework,
        assessed_at=timezone.now(),
        note=ASSESSMENT_TEXT,
        visibility=visibility,
    )
    Rating.objects.create(
        assessment=assessment, area=framework.areas.all()[0], level=2, wants_to_develop=True
    )
    return assessment


def _bring(client: Any, conversation: Conversation, source: str, source_id: int) -> Any:
    return client.post(
        reverse("conversations:bring", args=[conversation.pk]),
        {"source": source, "source_id": str(source_id)},
        follow=True,
    )


# --- Each kind, brought in and read by the other participant -------------------------------------


def _alices_checkin_with_reply(cast: Cast) -> tuple[int, str]:
    checkin = _checkin(cast.alice)
    reply_create(checkin=checkin, author=cast.lena, text=REPLY_TEXT)
    return checkin.pk, CHECKIN_TEXT


KINDS = {
    "checkin": lambda cast: (Item.Source.CHECKIN, *_alices_checkin_with_reply(cast)),
    "feedback": lambda cast: (
        Item.Source.FEEDBACK,
        _feedback(cast.bob, cast.alice).pk,
        FEEDBACK_TEXT,
    ),
    "reflection": lambda cast: (
        Item.Source.REFLECTION,
        Reflection.objects.create(owner=cast.alice, text=REFLECTION_TEXT).pk,
        REFLECTION_TEXT,
    ),
    "team_action": lambda cast: (
        Item.Source.TEAM_ACTION,
        _action(cast.team, cast.bob).pk,
        ACTION_TEXT,
    ),
    # Private: bringing it in is how alice shares it into the conversation.
    "assessment": lambda cast: (
        Item.Source.ASSESSMENT,
        _assessment(cast.alice).pk,
        ASSESSMENT_TEXT,
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_what_alice_brings_in_lena_reads_on_the_conversation_page(cast, client_for, kind):
    source, source_id, text = KINDS[kind](cast)
    conversation = _plan(cast)
    alice = client_for(cast.alice)
    choices = alice.get(reverse("conversations:bring", args=[conversation.pk]), headers=HTMX)
    assert choices.status_code == 200
    assert f'name="source_id" value="{source_id}"' in choices.content.decode()

    response = _bring(alice, conversation, source, source_id)
    assert response.redirect_chain[-1][0].endswith(f"{conversation.get_absolute_url()}#agenda")
    item = Item.objects.get(raised_in=conversation)
    assert (item.source, item.source_id, item.author) == (source, source_id, cast.alice)
    assert text in item.quote

    page = client_for(cast.lena).get(conversation.get_absolute_url())
    assert page.status_code == 200
    assert item.text in page.content.decode()
    (entry,) = page.context["page"].agenda
    assert text in entry.quote and entry.source == source
    # Brought in, it is no longer offered.
    again = alice.get(reverse("conversations:bring", args=[conversation.pk]), headers=HTMX)
    assert f'name="source_id" value="{source_id}"' not in again.content.decode()


def test_a_checkin_brings_its_replies_and_never_its_energy(cast):
    conversation = _plan(cast)
    checkin_id, _text = _alices_checkin_with_reply(cast)
    item = services.item_bring(
        conversation=conversation,
        by=cast.alice,
        source=Item.Source.CHECKIN,
        source_id=checkin_id,
        now=timezone.now(),
    )
    assert item.text == f"Check-in, uge {current_week().isocalendar().week}, 2026"
    assert CHECKIN_TEXT in item.quote
    assert f"Lena Lund: {REPLY_TEXT}" in item.quote
    assert "God" not in item.quote  # energy 4, "Good"


def test_lena_brings_the_checkin_alice_shared_with_her(cast, client_for):
    conversation = _plan(cast)
    checkin_id, _text = _alices_checkin_with_reply(cast)
    _bring(client_for(cast.lena), conversation, Item.Source.CHECKIN, checkin_id)
    item = Item.objects.get(raised_in=conversation)
    assert item.text.startswith("Check-in fra Alice Andersen, uge")
    assert REPLY_TEXT in item.quote


# --- What one cannot read cannot be brought ------------------------------------------------------


def _bobs_private_checkin(cast: Cast) -> tuple[str, int]:
    return Item.Source.CHECKIN, _checkin(cast.bob, Visibility.PRIVATE).pk


def _shared_assessment(owner: Any, reader: Any) -> SelfAssessment:
    assessment = _assessment(owner, Visibility.SHARED)
    assessment.shared_with.add(reader)
    return assessment


CANNOT = {
    "someone else's private check-in": _bobs_private_checkin,
    "feedback alice gave": lambda cast: (
        Item.Source.FEEDBACK,
        _feedback(cast.alice, cast.bob).pk,
    ),
    "feedback not kept": lambda cast: (
        Item.Source.FEEDBACK,
        _feedback(cast.bob, cast.alice, kept=False).pk,
    ),
    "someone else's reflection": lambda cast: (
        Item.Source.REFLECTION,
        Reflection.objects.create(
            owner=cast.bob, text=REFLECTION_TEXT, visibility=Visibility.TEAM
        ).pk,
    ),
    "another unit's team action": lambda cast: (
        Item.Source.TEAM_ACTION,
        _action(cast.other_team, cast.eve).pk,
    ),
    "someone else's self-assessment, shared with her": lambda cast: (
        Item.Source.ASSESSMENT,
        _shared_assessment(cast.bob, cast.alice).pk,
    ),
    "something missing": lambda cast: (Item.Source.CHECKIN, 987654),
    "an unknown kind": lambda cast: ("recognition", 1),
    "a reply not marked": lambda cast: (
        Item.Source.REPLY,
        reply_create(checkin=_checkin(cast.alice), author=cast.lena, text=REPLY_TEXT).pk,
    ),
}


@pytest.mark.parametrize("case", CANNOT)
def test_what_alice_cannot_read_she_cannot_bring(cast, client_for, case):
    source, source_id = CANNOT[case](cast)
    conversation = _plan(cast)
    response = _bring(client_for(cast.alice), conversation, source, source_id)
    assert response.status_code == 200
    assert NOT_BRINGABLE in response.content.decode()
    assert not Item.objects.exists()
    assert not Reply.objects.filter(talked_about_at__isnull=False).exists()


def test_a_checkin_taken_back_to_private_can_no_longer_be_brought(cast):
    conversation = _plan(cast)
    checkin = _checkin(cast.alice)
    assert [c.id for c in for_bring(cast.lena, conversation).checkins] == [checkin.pk]
    _checkin(cast.alice, Visibility.PRIVATE)
    with pytest.raises(services.ConversationError):
        services.item_bring(
            conversation=conversation,
            by=cast.lena,
            source=Item.Source.CHECKIN,
            source_id=checkin.pk,
            now=timezone.now(),
        )
    assert not Item.objects.exists()


def test_bringing_twice_or_into_a_held_conversation_is_refused(cast, client_for):
    conversation = _plan(cast)
    reflection = Reflection.objects.create(owner=cast.alice, text=REFLECTION_TEXT)
    alice = client_for(cast.alice)
    _bring(alice, conversation, Item.Source.REFLECTION, reflection.pk)
    again = _bring(alice, conversation, Item.Source.REFLECTION, reflection.pk)
    assert "Det er allerede på dagsordenen." in again.content.decode()
    assert Item.objects.count() == 1

    services.conversation_hold(
        conversation=conversation, by=cast.lena, now=timezone.now() + timedelta(days=3)
    )
    other = Reflection.objects.create(owner=cast.alice, text="En anden")
    held = _bring(alice, conversation, Item.Source.REFLECTION, other.pk)
    assert "er låst" in held.content.decode() or "fastfrosset" in held.content.decode()
    assert Item.objects.count() == 1
    page = alice.get(reverse("conversations:bring", args=[conversation.pk]))
    assert other.text not in page.content.decode()


@pytest.mark.parametrize("viewer", ["bob", "eve", "ada"])
def test_a_stranger_to_the_conversation_gets_404_and_brings_nothing(cast, client_for, viewer):
    conversation = _plan(cast)
    person = getattr(cast, viewer)
    reflection = Reflection.objects.create(owner=person, text=REFLECTION_TEXT)
    client = client_for(person)
    url = reverse("conversations:bring", args=[conversation.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, headers=HTMX).status_code == 404
    response = client.post(url, {"source": Item.Source.REFLECTION, "source_id": reflection.pk})
    assert response.status_code == 404
    assert not Item.objects.exists()


# --- Talking points from the check-ins of the two ------------------------------------------------


def _talking_point(cast: Cast) -> Reply:
    """lena's reply to alice's check-in, which alice marked to take up at their next 1:1."""
    reply = reply_create(checkin=_checkin(cast.alice), author=cast.lena, text=REPLY_TEXT)
    Reply.objects.filter(pk=reply.pk).update(talking_point=True)
    return reply


def test_a_talking_point_is_offered_once(cast, client_for):
    conversation = _plan(cast)
    reply = _talking_point(cast)
    alice = client_for(cast.alice)
    url = reverse("conversations:bring", args=[conversation.pk])
    choices = alice.get(url, headers=HTMX).content.decode()
    assert "Fra jeres check-ins" in choices and REPLY_TEXT in choices
    assert "Sæt på dagsordenen" in choices

    _bring(alice, conversation, Item.Source.REPLY, reply.pk)
    item = Item.objects.get(raised_in=conversation)
    assert (item.source, item.source_id, item.quote) == (Item.Source.REPLY, reply.pk, REPLY_TEXT)
    assert item.text.startswith("Svar fra Lena Lund om check-in, uge")
    reply.refresh_from_db()
    assert reply.talked_about_at == timezone.now()

    offered = client_for(cast.lena).get(url, headers=HTMX).content.decode()
    assert "Fra jeres check-ins" not in offered
    again = _bring(client_for(cast.lena), conversation, Item.Source.REPLY, reply.pk)
    assert NOT_BRINGABLE in again.content.decode()
    assert Item.objects.count() == 1


def test_a_group_conversation_offers_no_talking_points(cast, client_for):
    from accounts.models import User
    from organisation.models import Membership

    carl = User.objects.create(username="carl", first_name="Carl", last_name="Carlsen")
    Membership.objects.create(user=carl, unit=cast.team)
    reply = _talking_point(cast)
    group = _plan(cast, cast.alice, cast.bob, carl)
    assert not Item.objects.exists()
    assert for_bring(cast.lena, group).talking_points == []
    response = _bring(client_for(cast.lena), group, Item.Source.REPLY, reply.pk)
    assert NOT_BRINGABLE in response.content.decode()
    assert not Item.objects.exists()


def test_planning_a_conversation_of_two_puts_their_talking_points_on_its_agenda(cast):
    reply = _talking_point(cast)
    first = _plan(cast)
    (item,) = Item.objects.filter(raised_in=first)
    assert (item.source, item.source_id, item.quote, item.author) == (
        Item.Source.REPLY,
        reply.pk,
        REPLY_TEXT,
        cast.lena,
    )
    reply.refresh_from_db()
    assert reply.talked_about_at is not None
    # The next conversation of the two does not take it up again (it carries over while open).
    second = services.conversation_plan(
        by=cast.alice,
        people=[cast.lena],
        kind=Kind.MUS,
        starts_at=timezone.now() + timedelta(days=9),
        duration_minutes=60,
        now=timezone.now(),
    )
    assert not Item.objects.filter(raised_in=second).exists()


def test_replies_taken_up_only_in_threads_one_reads(cast):
    reply = _talking_point(cast)
    now = timezone.now()
    assert replies_taken_up(reply_ids=[reply.pk], by=cast.bob, now=now) == 0
    assert replies_taken_up(reply_ids=[reply.pk], by=cast.eve, now=now) == 0
    reply.refresh_from_db()
    assert reply.talked_about_at is None
    assert replies_taken_up(reply_ids=[reply.pk], by=cast.alice, now=now) == 1
    assert replies_taken_up(reply_ids=[reply.pk], by=cast.alice, now=now) == 0


# --- The choices ---------------------------------------------------------------------------------


def test_the_choices_take_the_same_queries_however_many_there_are(
    cast, client_for, django_assert_max_num_queries
):
    conversation = _plan(cast)
    alice = client_for(cast.alice)
    url = reverse("conversations:bring", args=[conversation.pk])
    for week in range(6):
        checkin = checkin_write(
            owner=cast.alice,
            week=current_week() - timedelta(weeks=week),
            energy=None,
            went_well=f"Uge {week}",
            is_hard="",
            priorities="",
            help_needed="",
            visibility=Visibility.LEADER,
        )
        thread = Thread.objects.create(checkin=checkin, reader=cast.lena)
        Reply.objects.create(owner=cast.lena, thread=thread, text="Svar", visibility="shared")
        Reflection.objects.create(owner=cast.alice, text=f"Refleksion {week}")
        _feedback(cast.bob, cast.alice)
        _action(cast.team, cast.bob)
        _assessment(cast.alice)
    # Self-assessments: the assessments, their ratings and the ratings' areas.
    with django_assert_max_num_queries(22):
        response = alice.get(url, headers=HTMX)
    assert response.content.decode().count('name="source_id"') == 30
    with django_assert_max_num_queries(20):
        page = alice.get(url)
    assert page.status_code == 200
    assert "Det, du tager med, kan de andre deltagere i samtalen læse." in page.content.decode()


def test_the_agenda_partial_loads_the_choices_and_links_to_them_without_javascript(cast, rf):
    from django.template.loader import render_to_string

    from conversations.selectors import for_conversation_page

    conversation = _plan(cast)
    request = rf.get(conversation.get_absolute_url())
    request.user = cast.alice
    # Rendered outside a request's middleware: in Danish, whatever an earlier test left active.
    with translation.override("da"):
        html = render_to_string(
            "conversations/_bring.html",
            {"page": for_conversation_page(cast.alice, conversation)},
            request=request,
        )
    url = reverse("conversations:bring", args=[conversation.pk])
    assert f'hx-get="{url}"' in html and 'hx-trigger="load"' in html
    assert f'<a href="{url}">' in html
    assert "Det, du tager med, kan de andre deltagere i samtalen læse." in html
