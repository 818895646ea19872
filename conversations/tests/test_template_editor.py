"""Administrators edit a kind's questions; each save is a new version, and a conversation
keeps the version it was planned (and held) with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Kind, Template
from conversations.selectors import for_conversation_page, for_template_editor, for_templates_page
from conversations.services import ConversationError

NOW = FROZEN_AT
URL = reverse("conversations_admin:template_edit", args=[Kind.ONE_ON_ONE])


def _form(rows: list[tuple[str, str, str, str]], action: str) -> dict[str, object]:
    return {
        "section_da": [row[0] for row in rows],
        "section_en": [row[1] for row in rows],
        "da": [row[2] for row in rows],
        "en": [row[3] for row in rows],
        "action": action,
    }


ROWS = [
    ("Ugen", "The week", "Hvad gik godt?", "What went well?"),
    ("Ugen", "The week", "Hvad var svært?", "What was hard?"),
    ("Aftaler", "Agreements", "Hvad aftaler vi?", "What do we agree?"),
]


def test_the_list_shows_each_kind_with_its_version_and_use(cast: Cast, client_for) -> None:
    services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=60,
        now=NOW,
    )
    versions = {version.kind: version for version in for_templates_page()}
    assert list(versions) == Kind.values
    assert (versions["mus"].version, versions["mus"].conversations) == (1, 1)
    assert (versions["grus"].version, versions["grus"].conversations) == (1, 0)

    response = client_for(cast.ada).get(reverse("conversations_admin:templates"))
    assert response.status_code == 200
    assert "Trivselssamtale" in response.content.decode()


def test_adding_moving_and_removing_rows_saves_nothing(cast: Cast, client_for) -> None:
    client = client_for(cast.ada)

    added = client.post(URL, _form(ROWS, "add"))
    assert added.status_code == 200
    assert added.context["rows"] == [*ROWS, ("Aftaler", "Agreements", "", "")]
    moved = client.post(URL, _form(ROWS, "down-0"))
    assert moved.context["rows"] == [ROWS[1], ROWS[0], ROWS[2]]
    moved = client.post(URL, _form(ROWS, "up-2"))
    assert moved.context["rows"] == [ROWS[0], ROWS[2], ROWS[1]]
    removed = client.post(URL, _form(ROWS, "remove-1"))
    assert removed.context["rows"] == [ROWS[0], ROWS[2]]
    # Moving past either end, or a row that is not there, changes nothing.
    assert client.post(URL, _form(ROWS, "up-0")).context["rows"] == ROWS
    assert client.post(URL, _form(ROWS, "remove-9")).context["rows"] == ROWS
    assert "Dine ændringer er ikke gemt endnu." in removed.content.decode()
    assert not Template.objects.filter(kind=Kind.ONE_ON_ONE).exists()


def test_saving_makes_a_new_version_and_a_held_conversation_keeps_its_questions(
    cast: Cast, client_for
) -> None:
    held = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=30,
        now=NOW,
    )
    services.conversation_hold(conversation=held, by=cast.lena, now=NOW + timedelta(days=1))
    before = [q.text_da for q in held.template.questions.all()]

    response = client_for(cast.ada).post(URL, _form(ROWS, "save"))

    assert response.status_code == 302 and response["Location"] == URL
    current = Template.objects.get(kind=Kind.ONE_ON_ONE, is_current=True)
    assert current.version == 2 and current.created_by == cast.ada
    assert [q.text_da for q in current.questions.all()] == [row[2] for row in ROWS]
    held.refresh_from_db()
    assert held.template.version == 1
    page = for_conversation_page(cast.alice, held)
    assert [answer.question.text_da for answer in page.answers] == before
    # A conversation planned now has the new questions.
    later = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=NOW + timedelta(days=8),
        duration_minutes=30,
        now=NOW,
    )
    assert later.template == current
    page = client_for(cast.ada).get(URL)
    assert "Version 2, 1 samtale bruger den." in page.content.decode()
    assert for_template_editor(Kind.ONE_ON_ONE).rows == ROWS  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("Ugen", "", "Hvad gik godt?", "What went well?")],
            "Hvert spørgsmål skal have sit afsnit og sin tekst på dansk og på engelsk.",
        ),
        ([("", "", "", "")], "En skabelon skal have mindst ét spørgsmål."),
        (
            [("Ugen", "The week", "x" * 501, "What went well?")],
            "Et spørgsmål må højst være på 500 tegn.",
        ),
    ],
)
def test_bad_input_says_why_in_danish_and_saves_nothing(
    cast: Cast, client_for, rows, message
) -> None:
    response = client_for(cast.ada).post(URL, _form(rows, "save"))

    assert response.status_code == 400
    assert message in response.content.decode()
    # A question begun but not filled in is marked where a field is empty.
    marked = response.content.decode().count('aria-invalid="true"')
    assert marked == (1 if rows[0][0] and not rows[0][1] else 0)
    assert not Template.objects.filter(kind=Kind.ONE_ON_ONE).exists()


def test_saving_the_same_questions_makes_no_new_version(cast: Cast) -> None:
    services.template_new_version(kind=Kind.FREE, questions=ROWS, by=cast.ada)
    with pytest.raises(ConversationError):
        services.template_new_version(kind=Kind.FREE, questions=ROWS, by=cast.ada)
    assert Template.objects.filter(kind=Kind.FREE).count() == 2
    with pytest.raises(ConversationError):
        services.template_new_version(kind=Kind.FREE, questions=ROWS[:1], by=cast.lena)
