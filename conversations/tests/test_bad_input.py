"""Bad input, through the real pages, in Danish and in English (issue 12): a time in the past,
a participant outside the organisation, an empty talking point, a change to a held
conversation, and their neighbours. Each says why in the person's language, and changes
nothing: every row of every conversations table (and the notifications and e-mail waiting to
go) is the same after as before.

test_page.py and test_planning.py check some of these in Danish alone, with their own
fixtures; here every case is one row of a table, posted as a plain form (PRG, redirects
followed) by a person who reads Danish and again by one who reads English."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import User
from conftest import FROZEN_AT, Cast, _person
from conversations import services
from conversations.models import Conversation, Kind
from development.models import DevelopmentPlan
from notifications.models import Notification, OutgoingEmail
from organisation.models import Membership

# Views read the frozen clock (conftest.py): Tuesday 1 December 2026, 10:00 in Copenhagen.
pytestmark = pytest.mark.usefixtures("clock")

NOW = FROZEN_AT


@dataclass
class World:
    """An open MUS of lena and alice, with a point, a note, an answer and a summary changed
    once (revision 2); a MUS of lena and bob held today, its summary approved by both and
    locked; and carl, who has left the organisation."""

    cast: Cast
    open_mus: Conversation
    held_mus: Conversation
    point_id: int
    held_point_id: int
    held_note_id: int
    question_id: int
    held_question_id: int
    carl: User


@pytest.fixture
def world(cast: Cast) -> World:
    def mus_with(person: User) -> Conversation:
        return services.conversation_plan(
            by=cast.lena,
            people=[person],
            kind=Kind.MUS,
            starts_at=NOW + timedelta(days=1),
            duration_minutes=60,
            now=NOW,
        )

    open_mus = mus_with(cast.alice)
    question = open_mus.template.questions.first()
    assert question is not None
    point = services.item_add(conversation=open_mus, by=cast.alice, text="Kursus", now=NOW)
    services.shared_note_add(conversation=open_mus, by=cast.alice, text="Aftalt", now=NOW)
    services.preparation_save(
        conversation=open_mus, by=cast.alice, answers={question.pk: "Mit svar"}, now=NOW
    )
    services.summary_save(conversation=open_mus, by=cast.lena, text="Første", now=NOW)
    services.summary_save(conversation=open_mus, by=cast.lena, text="Anden", now=NOW)

    held_mus = mus_with(cast.bob)
    held_point = services.item_add(conversation=held_mus, by=cast.bob, text="Løn", now=NOW)
    held_note = services.shared_note_add(conversation=held_mus, by=cast.bob, text="Ja", now=NOW)
    services.preparation_save(
        conversation=held_mus, by=cast.bob, answers={question.pk: "Bobs svar"}, now=NOW
    )
    held_mus = services.conversation_hold(conversation=held_mus, by=cast.lena, now=NOW)
    services.summary_save(conversation=held_mus, by=cast.lena, text="Bob tager kurset", now=NOW)
    for person in (cast.lena, cast.bob):
        services.summary_approve(conversation=held_mus, by=person, revision=1, now=NOW)

    carl = _person("carl", "Carl", "Carlsen", is_active=False)
    Membership.objects.create(user=carl, unit=cast.team)
    return World(
        cast=cast,
        open_mus=open_mus,
        held_mus=held_mus,
        point_id=point.pk,
        held_point_id=held_point.pk,
        held_note_id=held_note.pk,
        question_id=question.pk,
        held_question_id=question.pk,
        carl=carl,
    )


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every conversations table (the sharing tables too), and the notifications
    and e-mail waiting to go: what bad input must leave as it was."""
    models: list[type[Model]] = [
        *apps.get_app_config("conversations").get_models(include_auto_created=True),
        DevelopmentPlan,
        Notification,
        OutgoingEmail,
    ]
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


# --- The table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Who posts what where, and what they are told in Danish and in English."""

    who: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, str]]
    danish: str
    english: str


def _in(name: str, of: str = "open_mus", **ids: str) -> Callable[[World], str]:
    """A URL of one of the world's conversations; `ids` names the world's attributes to fill
    in (such as item_id="point_id")."""

    def url(world: World) -> str:
        conversation: Conversation = getattr(world, of)
        kwargs = {key: getattr(world, attribute) for key, attribute in ids.items()}
        return reverse(
            f"conversations:{name}", kwargs={"conversation_id": conversation.pk, **kwargs}
        )

    return url


def _plain(name: str) -> Callable[[World], str]:
    return lambda world: reverse(f"conversations:{name}")


def _new(**change: str | None) -> Callable[[World], dict[str, str]]:
    """The form that plans one conversation, as lena fills it in, with `change` (None leaves a
    field out; "alice", "bob", "carl" name the world's people)."""

    def data(world: World) -> dict[str, str]:
        cast = world.cast
        names = {"alice": cast.alice, "bob": cast.bob, "carl": world.carl, "lena": cast.lena}
        filled: dict[str, str | None] = {
            "people": "alice",
            "kind": "one_on_one",
            "title": "",
            "day": "2027-01-05",
            "start": "10:00",
            "duration": "30",
            "place": "",
            **change,
        }
        return {
            name: str(names[value].pk) if value in names else value
            for name, value in filled.items()
            if value is not None
        }

    return data


def _time(**change: str) -> Callable[[World], dict[str, str]]:
    """The form that moves the open MUS, with `change`."""
    return lambda world: {
        "day": "2027-01-05",
        "start": "10:00",
        "duration": "60",
        "place": "",
        **change,
    }


def _data(**fields: str) -> Callable[[World], dict[str, str]]:
    """Fields as given; a value such as "{cast.eve.pk}" is formatted with the world."""
    return lambda world: {
        name: value.format(cast=world.cast, world=world) for name, value in fields.items()
    }


HELD_DA = "Samtalen blev afholdt 1. december 2026 og er låst: skriv en tilføjelse i stedet."
HELD_EN = "The conversation was held on 1 December 2026 and is frozen: add an addendum instead."
PAST_DA = "Vælg et tidspunkt, der ikke er passeret."
PAST_EN = "Choose a time in the future."
LEFT_DA = "En person, du har valgt, er fratrådt og kan ikke længere vælges."
LEFT_EN = "A person you chose has left the organisation and can no longer be chosen."
UNKNOWN_DA = "En person, du har valgt, kunne ikke findes. Søg efter personen igen."
UNKNOWN_EN = "A person you chose could not be found. Search for them again."

CASES: dict[str, Case] = {
    # A time in the past, and times that are not times.
    "new: a time in the past": Case(
        "lena", _plain("new"), _new(day="2026-12-01", start="09:00"), PAST_DA, PAST_EN
    ),
    "new: a time that is not a time": Case(
        "lena", _plain("new"), _new(start="25:00"), "Indtast en gyldig tid.", "Enter a valid time."
    ),
    "new: a day that does not exist": Case(
        "lena",
        _plain("new"),
        _new(day="2027-02-30"),
        "Indtast en gyldig dato.",
        "Enter a valid date.",
    ),
    "new: a duration not offered": Case(
        "lena",
        _plain("new"),
        _new(duration="17"),
        "Marker en gyldig valgmulighed. 17 er ikke en af de tilgængelige valgmuligheder.",
        "Select a valid choice. 17 is not one of the available choices.",
    ),
    "move: a time in the past": Case(
        "alice", _in("schedule"), _time(day="2026-11-30", start="09:00"), PAST_DA, PAST_EN
    ),
    "move: a time that is not a time": Case(
        "alice",
        _in("schedule"),
        _time(start="9.75"),
        "Indtast en gyldig tid.",
        "Enter a valid time.",
    ),
    "move: a duration not offered": Case(
        "alice",
        _in("schedule"),
        _time(duration="5"),
        "Marker en gyldig valgmulighed. 5 er ikke en af de tilgængelige valgmuligheder.",
        "Select a valid choice. 5 is not one of the available choices.",
    ),
    # Participants outside the organisation, and groups that are not a GRUS.
    "new: a person who has left": Case(
        "lena", _plain("new"), _new(people="carl"), LEFT_DA, LEFT_EN
    ),
    "new: a person who does not exist": Case(
        "lena", _plain("new"), _new(people="999999"), UNKNOWN_DA, UNKNOWN_EN
    ),
    "new: nobody": Case(
        "lena",
        _plain("new"),
        _new(people=None),
        "Vælg, hvem samtalen er med.",
        "Choose who the conversation is with.",
    ),
    "new: oneself": Case(
        "lena",
        _plain("new"),
        _new(people="lena"),
        "Vælg, hvem samtalen er med.",
        "Choose who the conversation is with.",
    ),
    "new: a GRUS of two": Case(
        "lena",
        _plain("new"),
        _new(kind="grus", people="alice"),
        "En GRUS er en leder med en gruppe på 3 til 8 personer.",
        "A GRUS is a leader with a group of 3 to 8 people.",
    ),
    "ask: a person who has left": Case(
        "alice", _plain("ask"), _data(other="{world.carl.pk}", kind="mus"), LEFT_DA, LEFT_EN
    ),
    "ask: oneself": Case(
        "alice",
        _plain("ask"),
        _data(other="{cast.alice.pk}", kind="mus"),
        "Vælg, hvem samtalen er med.",
        "Choose who the conversation is with.",
    ),
    # The agenda.
    "an empty talking point": Case(
        "alice",
        _in("item_add"),
        _data(type="point", **{"point-text": "   "}),
        "Skriv punktet.",
        "Write the talking point.",
    ),
    "an action owner outside the conversation": Case(
        "alice",
        _in("item_add"),
        _data(type="action", **{"action-text": "Ring", "action-owner": "{cast.eve.pk}"}),
        "Den ansvarlige for en handling skal deltage i samtalen.",
        "The owner of an action takes part in the conversation.",
    ),
    "an action due in the past": Case(
        "alice",
        _in("item_add"),
        _data(
            type="action",
            **{
                "action-text": "Ring",
                "action-owner": "{cast.alice.pk}",
                "action-due_on": "2026-11-30",
            },
        ),
        "Vælg en frist, der ikke er passeret.",
        "Choose a due date that has not passed.",
    ),
    "an item's fate that does not exist": Case(
        "alice",
        _in("item_status", item_id="point_id"),
        _data(status="forgotten"),
        "Vælg, hvad der blev af punktet.",
        "Choose what became of the item.",
    ),
    "an empty shared note": Case(
        "alice",
        _in("shared_note_add"),
        _data(**{"note-text": " "}),
        "Skriv noten.",
        "Write the note.",
    ),
    "something one may not bring": Case(
        "alice",
        _in("bring"),
        _data(source="feedback", source_id="999999"),
        "Det er ikke blandt det, du kan tage med ind i samtalen.",
        "This is not among what you can bring into the conversation.",
    ),
    "a rhythm not offered": Case(
        "alice",
        lambda world: reverse("conversations:rhythm", args=[world.open_mus.thread_id]),
        _data(rhythm="hourly"),
        "Vælg, hvor ofte I holder 1:1.",
        "Choose how often you hold a 1:1.",
    ),
    # The summary and addenda.
    "approving a summary changed since it was read": Case(
        "alice",
        _in("summary_approve"),
        _data(revision="1"),
        "Referatet blev ændret, mens du læste det. Læs det igen, før du godkender.",
        "The summary was changed while you read it. Read it again before you approve.",
    ),
    "saving over a summary changed since": Case(
        "alice",
        _in("summary"),
        _data(revision="1", **{"summary-text": "Min udgave"}),
        "Referatet blev ændret af en anden, mens du skrev. Læs det ovenfor, og gem så din "
        "tekst igen.",
        "The summary was changed by someone else while you wrote. Read it above, then save "
        "your text again.",
    ),
    "an addendum on an open conversation": Case(
        "alice",
        _in("addendum_add"),
        _data(**{"addendum-text": "For tidligt"}),
        "Tilføjelser er til afholdte samtaler; skriv en note i stedet.",
        "Addenda are for held conversations; write a note instead.",
    ),
    "an empty addendum": Case(
        "bob",
        _in("addendum_add", of="held_mus"),
        _data(**{"addendum-text": " "}),
        "Skriv tilføjelsen.",
        "Write the addendum.",
    ),
    "a change to a locked summary": Case(
        "bob",
        _in("summary", of="held_mus"),
        _data(revision="1", **{"summary-text": "Ændret"}),
        "Referatet er godkendt af alle og låst: skriv en tilføjelse i stedet.",
        "The summary was approved by everyone and is locked: add an addendum instead.",
    ),
    # The development plan agreed in a MUS: the employee's, from a held MUS everyone approved.
    "a development plan from an open MUS": Case(
        "alice",
        _in("development_plan"),
        _data(),
        "En udviklingsplan laves af medarbejderen ud fra en afholdt MUS, hvis referat alle har "
        "godkendt.",
        "A development plan is made by the employee from a held MUS whose summary everyone "
        "approved.",
    ),
    "a development plan made by the leader": Case(
        "lena",
        _in("development_plan", of="held_mus"),
        _data(),
        "En udviklingsplan laves af medarbejderen ud fra en afholdt MUS, hvis referat alle har "
        "godkendt.",
        "A development plan is made by the employee from a held MUS whose summary everyone "
        "approved.",
    ),
    # A change to a held conversation, by every way in.
    "held: a talking point": Case(
        "bob",
        _in("item_add", of="held_mus"),
        _data(type="point", **{"point-text": "Nyt"}),
        HELD_DA,
        HELD_EN,
    ),
    "held: an action": Case(
        "bob",
        _in("item_add", of="held_mus"),
        _data(type="action", **{"action-text": "Ny", "action-owner": "{cast.bob.pk}"}),
        HELD_DA,
        HELD_EN,
    ),
    "held: moving an item": Case(
        "bob",
        _in("item_move", of="held_mus", item_id="held_point_id"),
        _data(direction="up"),
        HELD_DA,
        HELD_EN,
    ),
    "held: an item done": Case(
        "bob",
        _in("item_status", of="held_mus", item_id="held_point_id"),
        _data(status="done"),
        HELD_DA,
        HELD_EN,
    ),
    "held: a shared note": Case(
        "bob",
        _in("shared_note_add", of="held_mus"),
        _data(**{"note-text": "Ny"}),
        HELD_DA,
        HELD_EN,
    ),
    "held: a shared note changed": Case(
        "bob",
        _in("shared_note_edit", of="held_mus", shared_note_id="held_note_id"),
        _data(**{"note-text": "Ændret"}),
        HELD_DA,
        HELD_EN,
    ),
    "held: the preparation saved and shared": Case(
        "bob",
        _in("preparation", of="held_mus"),
        _data(**{"answer_{world.held_question_id}": "Efter", "share": "all"}),
        HELD_DA,
        HELD_EN,
    ),
    "held: something brought in": Case(
        "bob",
        _in("bring", of="held_mus"),
        _data(source="feedback", source_id="1"),
        HELD_DA,
        HELD_EN,
    ),
    "held: held again": Case("bob", _in("hold", of="held_mus"), _data(), HELD_DA, HELD_EN),
    "held: cancelled": Case(
        "bob",
        _in("cancel", of="held_mus"),
        _data(**{"cancel-message": "Nej"}),
        HELD_DA,
        HELD_EN,
    ),
}


def _language(user: User, code: str) -> None:
    user.language = code
    user.save(update_fields=["language"])


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_says_why_in_the_persons_language_and_changes_nothing(
    world: World, client_for: Any, name: str, language: str
) -> None:
    case = CASES[name]
    person: User = getattr(world.cast, case.who)
    _language(person, language)
    client: Client = client_for(person)
    url, data = case.url(world), case.data(world)
    # Field names may be formatted too (the preparation's answer field).
    data = {key.format(world=world): value for key, value in data.items()}
    expected = case.danish if language == "da" else case.english
    before = _snapshot()

    response = client.post(url, data, follow=True)

    assert response.status_code == 200, name
    page = html.unescape(response.content.decode())
    assert expected in page, f"{name}: {expected!r} not on the page"
    # Said once, for this post: the page as it is read next does not say it again.
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    if response.redirect_chain:
        assert expected not in html.unescape(client.get(final).content.decode()), name
    assert _snapshot() == before, f"{name}: the database changed"
