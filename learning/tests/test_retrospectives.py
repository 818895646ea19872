"""Retrospectives: a team (or a project group) runs one from a template through its phases;
anonymous or named is fixed before the first note; anonymous notes, votes and health answers
keep no author; actions become team goals and open the next retrospective; the health check
is shown over time through the anonymity engine; strangers get 404, and readers of the team
who did not take part read the summary and never a note."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from conftest import FROZEN_AT, Cast, _person
from learning import retro_selectors as selectors
from learning import retro_services as services
from learning.models import (
    HealthAnswer,
    RetroGroup,
    RetroNote,
    RetroParticipation,
    RetroPhase,
    Retrospective,
    RetroTemplate,
)
from learning.retro_services import RetroSetup
from learning.services import LearningError
from organisation.models import Membership
from teamwork.models import Goal

pytestmark = pytest.mark.usefixtures("clock", "english")

NOW = FROZEN_AT
HTMX = {"HTTP_HX_REQUEST": "true"}
# The board: the session with its person and the unread count of the menu's notifications,
# the retrospective, its progress rows with their people, its notes with their writers, and
# the team's last retrospective and its open actions.
QUERIES_BOARD_CHECKIN = 6
# A team's retrospectives: the session with its person and the unread count of the menu's
# notifications, the unit and the paths it may be read from (twice: for the page and for the
# summaries), those under way, the closed ones, their groups, actions and health answers, and
# whether the reader may start one.
QUERIES_TEAM_PAGE = 10


@pytest.fixture
def english() -> Iterator[None]:
    """The services' messages in English, which the checks below match; pages speak Danish,
    the people's language."""
    with translation.override("en"):
        yield


def _start(cast: Cast, **extra: Any) -> Retrospective:
    setup = RetroSetup(
        title=extra.pop("title", "Evaluering af intranetprojektet"),
        template=extra.pop("template", RetroTemplate.WELL_BETTER_LEARNED),
        participants=extra.pop("participants", (cast.bob, cast.lena)),
        **extra,
    )
    return services.retrospective_create(
        facilitator=cast.alice, unit=cast.team, setup=setup, now=NOW
    )


def _to(retro: Retrospective, cast: Cast, phase: RetroPhase) -> Retrospective:
    while retro.phase != phase:
        retro = services.phase_next(retro=retro, by=cast.alice, now=NOW)
    return retro


def _run_to_actions(cast: Cast, retro: Retrospective) -> tuple[Retrospective, RetroGroup]:
    retro = _to(retro, cast, RetroPhase.WRITING)
    services.note_add(retro=retro, person=cast.alice, column=0, text="Godt samarbejde")
    services.note_add(retro=retro, person=cast.bob, column=0, text="Vi hjalp hinanden")
    services.note_add(retro=retro, person=cast.bob, column=1, text="For mange møder")
    retro = _to(retro, cast, RetroPhase.GROUPING)
    # A change of phase writes the notes again, with new keys.
    first = retro.notes.get(text="Godt samarbejde")
    second = retro.notes.get(text="Vi hjalp hinanden")
    group = services.note_group(retro=retro, person=cast.bob, note=first, group=None, new=True)
    assert group is not None
    services.note_group(retro=retro, person=cast.alice, note=second, group=group, new=False)
    services.group_rename(retro=retro, person=cast.alice, group=group, title="Samarbejdet")
    retro = _to(retro, cast, RetroPhase.VOTING)
    services.vote(retro=retro, person=cast.alice, group=group)
    services.vote(retro=retro, person=cast.bob, group=group)
    retro = _to(retro, cast, RetroPhase.DISCUSSION)
    services.decision_set(
        retro=retro, person=cast.alice, group=group, text="Vi holder fast i parsparring."
    )
    retro = _to(retro, cast, RetroPhase.ACTIONS)
    return retro, group


def test_a_retrospective_runs_through_its_phases_into_team_goals(cast: Cast) -> None:
    with translation.override("da"):
        retro = _start(cast)
    # The questions are kept in the language they were started in, the handbook's words.
    assert retro.columns == ["Hvad gik godt", "Hvad kan blive endnu bedre", "Hvad lærte vi"]
    retro, group = _run_to_actions(cast, retro)
    # The loose note became a group of its own at the votes, named by number, never after it.
    titles = sorted(retro.groups.values_list("title", flat=True))
    assert titles[1] == "Samarbejdet"
    assert "For mange møder" not in titles
    action = services.action_add(
        retro=retro,
        person=cast.bob,
        title="Parsparring hver fredag",
        owner=cast.bob,
        due_date=NOW.date() + timedelta(days=30),
        group=group,
    )
    goal = Goal.objects.get(pk=action.goal_id)
    assert (goal.team.unit, goal.owner, goal.status) == (cast.team, cast.bob, "not_started")
    retro = services.phase_next(retro=retro, by=cast.alice, now=NOW)
    assert retro.is_closed and retro.closed_at == NOW

    summary = selectors.summaries_of([retro])[0]
    assert (summary.groups[0].group.title, summary.groups[0].group.votes) == (
        "Samarbejdet",
        2,
    )
    assert summary.groups[0].group.decision == "Vi holder fast i parsparring."
    assert [view.goal for view in summary.actions] == [goal]

    # The next retrospective of the team opens with the open actions of this one.
    following = _start(cast, title="Næste gang")
    board = selectors.for_board(cast.alice, following, set())
    assert board.earlier_actions == [goal]
    goal.status = Goal.Status.DONE
    goal.save()
    assert selectors.for_board(cast.alice, following, set()).earlier_actions == []


def test_anonymous_or_named_is_fixed_before_the_first_note(cast: Cast) -> None:
    retro = _start(cast, anonymous=True)
    services.retrospective_anonymity_set(retro=retro, by=cast.alice, anonymous=False)
    with pytest.raises(LearningError, match="facilitator"):
        services.retrospective_anonymity_set(retro=retro, by=cast.bob, anonymous=True)
    retro = _to(retro, cast, RetroPhase.WRITING)
    services.note_add(retro=retro, person=cast.bob, column=0, text="Navngivet")
    retro.refresh_from_db()
    with pytest.raises(LearningError, match="no longer change"):
        services.retrospective_anonymity_set(retro=retro, by=cast.alice, anonymous=True)
    retro.refresh_from_db()
    assert retro.anonymous is False
    assert RetroNote.objects.get().author == cast.bob


def test_anonymous_notes_votes_and_health_answers_keep_no_author(cast: Cast) -> None:
    """Checked in the database, as the wellbeing answers are: no column links a note, a vote
    or a health answer to a person, nothing says when it was written, and the keys are
    random, so no order of rows says who wrote after whom."""
    retro = _start(cast, anonymous=True)
    for person in (cast.alice, cast.bob, cast.lena):
        services.health_answer(retro=retro, person=person, scores=[4, 4, 3, 5, 2])
    retro = _to(retro, cast, RetroPhase.WRITING)
    written = [
        services.note_add(retro=retro, person=person, column=0, text=f"Note {number}")
        for number, person in enumerate((cast.alice, cast.bob, cast.lena, cast.alice) * 5)
    ]
    retro = _to(retro, cast, RetroPhase.VOTING)
    group = retro.groups.first()
    assert group is not None
    services.vote(retro=retro, person=cast.bob, group=group)

    for model in (RetroNote, HealthAnswer, RetroGroup):
        names = {field.column for field in model._meta.concrete_fields}
        assert not names & {"created_at", "updated_at", "at", "person_id", "voter_id"}, model
    with connection.cursor() as cursor:
        cursor.execute("SELECT author_id FROM learning_retronote")
        assert {row[0] for row in cursor.fetchall()} == {None}
        cursor.execute("SELECT id FROM learning_retronote")
        stored = [row[0] for row in cursor.fetchall()]
    ids = [note.pk for note in written]
    # Random keys: not the order they were written in, and not small counters; and each
    # change of phase gave every note a new one.
    assert ids != sorted(ids) and min(stored) > 10**6
    assert len(stored) == len(ids) and not set(stored) & set(ids)
    # What is kept by name says how far each person is, never what they wrote or chose.
    progress = RetroParticipation.objects.get(retrospective=retro, person=cast.bob)
    assert (progress.answered_health, progress.votes_used) == (True, 1)
    assert HealthAnswer.objects.filter(retrospective=retro).count() == 3

    # After the next change of phase the rows lie in a random order, and on PostgreSQL every
    # row of the retrospective carries that one transaction, so no transaction id links a
    # note, a vote or a health answer to a person's progress.
    services.phase_next(retro=retro, by=cast.alice, now=NOW)
    writing_order = [f"Note {number}" for number in range(len(written))]
    with connection.cursor() as cursor:
        order = "ctid" if connection.vendor == "postgresql" else "rowid"
        cursor.execute(
            f"SELECT text FROM learning_retronote WHERE retrospective_id = %s ORDER BY {order}",
            [retro.pk],
        )
        physical = [row[0] for row in cursor.fetchall()]
        assert sorted(physical) == sorted(writing_order) and physical != writing_order
        if connection.vendor == "postgresql":
            xmins = set()
            for table in (
                "learning_retronote",
                "learning_healthanswer",
                "learning_retrogroup",
                "learning_retroparticipation",
            ):
                cursor.execute(
                    f"SELECT DISTINCT xmin::text FROM {table} WHERE retrospective_id = %s",
                    [retro.pk],
                )
                xmins |= {row[0] for row in cursor.fetchall()}
            assert len(xmins) == 1


def test_votes_are_limited_and_only_in_the_voting(cast: Cast) -> None:
    retro = _start(cast, votes_each=2)
    retro = _to(retro, cast, RetroPhase.WRITING)
    services.note_add(retro=retro, person=cast.bob, column=0, text="En")
    with pytest.raises(LearningError, match="phase"):
        services.vote(retro=retro, person=cast.bob, group=RetroGroup(retrospective=retro))
    retro = _to(retro, cast, RetroPhase.VOTING)
    group = retro.groups.get()
    assert services.vote(retro=retro, person=cast.bob, group=group) == 1
    assert services.vote(retro=retro, person=cast.bob, group=group) == 0
    with pytest.raises(LearningError, match="all your votes"):
        services.vote(retro=retro, person=cast.bob, group=group)
    with pytest.raises(LearningError, match="participants"):
        services.vote(retro=retro, person=cast.eve, group=group)
    group.refresh_from_db()
    assert group.votes == 2


def test_bad_input_is_refused_and_changes_nothing(cast: Cast) -> None:
    with pytest.raises(LearningError, match="title"):
        _start(cast, title="  ")
    with pytest.raises(LearningError, match="questions"):
        _start(cast, template=RetroTemplate.FREE, free_columns="\n \n")
    with pytest.raises(LearningError, match="participant"):
        _start(cast, participants=())
    with pytest.raises(LearningError, match="team's own people"):
        services.retrospective_create(
            facilitator=cast.eve,
            unit=cast.team,
            setup=RetroSetup(title="x", template=RetroTemplate.FOUR_L, participants=(cast.bob,)),
            now=NOW,
        )
    assert not Retrospective.objects.exists()
    retro = _start(cast, template=RetroTemplate.FREE, free_columns="Hvad virkede\nHvad ikke")
    assert retro.columns == ["Hvad virkede", "Hvad ikke"]
    with pytest.raises(LearningError, match="phase"):
        services.note_add(retro=retro, person=cast.bob, column=0, text="For tidligt")
    retro = _to(retro, cast, RetroPhase.WRITING)
    with pytest.raises(LearningError, match="questions"):
        services.note_add(retro=retro, person=cast.bob, column=5, text="Forkert kolonne")
    with pytest.raises(LearningError, match="Write the note"):
        services.note_add(retro=retro, person=cast.bob, column=0, text=" ")
    with pytest.raises(LearningError, match="phase"):
        services.health_answer(retro=retro, person=cast.bob, scores=[1, 2, 3, 4, 5])
    with pytest.raises(LearningError, match="facilitator"):
        services.phase_next(retro=retro, by=cast.bob, now=NOW)
    assert not RetroNote.objects.exists()


def test_a_project_group_takes_people_from_other_teams(cast: Cast) -> None:
    retro = _start(cast, participants=(cast.eve,))
    assert set(retro.participants.all()) == {cast.alice, cast.eve}
    # Actions are the home team's goals: their owner is one of its people.
    retro = _to(retro, cast, RetroPhase.ACTIONS)
    with pytest.raises(LearningError, match="team's people"):
        services.action_add(
            retro=retro,
            person=cast.eve,
            title="Fælles møde",
            owner=cast.eve,
            due_date=NOW.date(),
            group=None,
        )
    assert not Goal.objects.exists()


def test_an_anonymous_writer_sees_only_their_own_notes_until_the_reveal(
    cast: Cast, client_for: Any
) -> None:
    retro = _to(_start(cast, anonymous=True), cast, RetroPhase.WRITING)
    alice, bob = client_for(cast.alice), client_for(cast.bob)
    url = reverse("learning:retro_note_add", args=[retro.pk])
    alice.post(url, {"column": "0", "text": "Alices note"}, **HTMX)
    response = bob.post(url, {"column": "1", "text": "Bobs note"}, **HTMX)
    assert "Bobs note" in response.text and "Alices note" not in response.text
    board = alice.get(retro.get_absolute_url()).text
    assert "Alices note" in board and "Bobs note" not in board
    # Taking back works only for the writer's own note, known by their browser's signed list.
    bobs = RetroNote.objects.get(text="Bobs note")
    alice.post(reverse("learning:retro_note_delete", args=[retro.pk, bobs.pk]))
    assert RetroNote.objects.filter(pk=bobs.pk).exists()
    bob.post(reverse("learning:retro_note_delete", args=[retro.pk, bobs.pk]))
    assert not RetroNote.objects.filter(pk=bobs.pk).exists()
    retro = _to(retro, cast, RetroPhase.REVEAL)
    assert "Alices note" in bob.get(retro.get_absolute_url()).text


def test_the_live_board_answers_only_when_something_changed(cast: Cast, client_for: Any) -> None:
    retro = _start(cast)
    bob = client_for(cast.bob)
    live = reverse("learning:retrospective_live", args=[retro.pk])
    assert bob.get(live, {"revision": retro.revision}, **HTMX).status_code == 204
    services.ready_set(retro=retro, person=cast.alice)
    retro.refresh_from_db()
    response = bob.get(live, {"revision": retro.revision - 1}, **HTMX)
    assert response.status_code == 200
    assert 'id="retro-board"' in response.text and "1 af 3 er klar" in response.text


@override_settings(SPARRING_ANONYMITY_K=3)
def test_health_over_time_is_shown_only_where_k_answered(cast: Cast, client_for: Any) -> None:
    few = _start(cast, title="Få svar")
    for person in (cast.alice, cast.bob):
        services.health_answer(retro=few, person=person, scores=[5, 5, 5, 5, 5])
    _to(few, cast, RetroPhase.CLOSED)
    enough = _start(cast, title="Nok svar")
    for person, score in ((cast.alice, 2), (cast.bob, 3), (cast.lena, 4)):
        services.health_answer(retro=enough, person=person, scores=[score] * 5)
    _to(enough, cast, RetroPhase.CLOSED)

    page = selectors.for_team_retrospectives(cast.alice, cast.team.pk)
    assert [point.means for point in page.health] == [None, [3.0] * 5]
    assert page.health_rows[0].means == [None, 3.0]
    text = client_for(cast.alice).get(reverse("learning:retrospectives", args=[cast.team.pk])).text
    assert "3,0" in text and "5,0" not in text


def test_strangers_get_404_and_readers_of_the_team_get_the_summary_only(
    cast: Cast, client_for: Any
) -> None:
    retro, group = _run_to_actions(cast, _start(cast, anonymous=False, participants=(cast.bob,)))
    eve, lena = client_for(cast.eve), client_for(cast.lena)
    urls = [
        retro.get_absolute_url(),
        reverse("learning:retrospective_live", args=[retro.pk]),
    ]
    posts = [
        reverse("learning:retrospective_next", args=[retro.pk]),
        reverse("learning:retrospective_ready", args=[retro.pk]),
        reverse("learning:retro_note_add", args=[retro.pk]),
        reverse("learning:retro_group_vote", args=[retro.pk, group.pk]),
        reverse("learning:retro_group_decision", args=[retro.pk, group.pk]),
        reverse("learning:retro_action_add", args=[retro.pk]),
        reverse("learning:retrospective_publish", args=[retro.pk]),
    ]
    for client in (eve, lena):
        for url in urls:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, {"text": "x", "decision": "x"}).status_code == 404, url
    assert eve.get(reverse("learning:retrospectives", args=[cast.team.pk])).status_code == 404
    assert eve.get(reverse("learning:retrospective_new", args=[cast.team.pk])).status_code == 404
    services.phase_next(retro=retro, by=cast.alice, now=NOW)
    # Closed: lena, who leads the team but did not take part, reads what was agreed and no
    # note; eve still gets 404.
    summary = lena.get(retro.get_absolute_url())
    assert summary.status_code == 200
    assert "Samarbejdet" in summary.text and "Vi holder fast i parsparring." in summary.text
    assert "Godt samarbejde" not in summary.text and "For mange møder" not in summary.text
    assert eve.get(retro.get_absolute_url()).status_code == 404
    board = client_for(cast.bob).get(retro.get_absolute_url()).text
    assert "Godt samarbejde" in board and "Alice Andersen" in board


def test_starting_a_retrospective_by_the_form(cast: Cast, client_for: Any) -> None:
    alice = client_for(cast.alice)
    url = reverse("learning:retrospective_new", args=[cast.team.pk])
    page = alice.get(url)
    assert page.status_code == 200 and "Bob Bertelsen" in page.text
    bad = alice.post(url, {"title": "", "template": "4l", "anonymous": "1", "votes_each": "3"})
    assert bad.status_code == 400 and not Retrospective.objects.exists()
    response = alice.post(
        url,
        {
            "title": "Kvartalet",
            "template": "sejlbaaden",
            "anonymous": "0",
            "votes_each": "4",
            "participants": [cast.bob.pk, cast.eve.pk],
        },
    )
    retro = Retrospective.objects.get()
    assert response.status_code == 302 and response["Location"] == retro.get_absolute_url()
    assert (retro.anonymous, retro.votes_each, len(retro.columns)) == (False, 4, 4)
    assert set(retro.participants.all()) == {cast.alice, cast.bob, cast.eve}


def test_the_board_and_the_team_page_take_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    first, _group = _run_to_actions(cast, _start(cast))
    _to(first, cast, RetroPhase.CLOSED)
    retro = _start(cast, title="Anden")
    alice = client_for(cast.alice)
    alice.get(retro.get_absolute_url())  # the session and the organisation's settings, once
    with django_assert_num_queries(QUERIES_BOARD_CHECKIN):
        alice.get(retro.get_absolute_url())
    with django_assert_num_queries(QUERIES_TEAM_PAGE):
        alice.get(reverse("learning:retrospectives", args=[cast.team.pk]))
    for number in range(4):
        extra = _person(f"p{number}", "Per", f"Nummer {number}")
        Membership.objects.create(user=extra, unit=cast.team)
        _to(_start(cast, title=f"Flere {number}", participants=(extra,)), cast, RetroPhase.CLOSED)
    with django_assert_num_queries(QUERIES_TEAM_PAGE):
        alice.get(reverse("learning:retrospectives", args=[cast.team.pk]))
