from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.forms import PAST_DATE
from teamwork.models import Goal, GoalNote, Team
from teamwork.tests.helpers import in_language, speaking, too_long

# Dates in these tests are the frozen clock's (conftest.py), so they pass on any day.
pytestmark = pytest.mark.usefixtures("clock")


def url(name, cast, **kwargs):
    return reverse(f"teamwork:{name}", kwargs={"unit_id": cast.team.pk, **kwargs})


def goal_form(cast, **fields):
    data = {"title": "Ny hjemmeside", "owner": cast.bob.pk, "due_date": "", "status": "on_track"}
    data.update(fields)
    return data


def test_a_team_keeps_goals_with_an_owner_and_progress_notes(cast, client_for):
    alice = client_for(cast.alice)
    due = timezone.localdate() + timedelta(days=60)
    response = alice.post(url("goal_new", cast), goal_form(cast, due_date=due.isoformat()))
    goal = Goal.objects.get()
    assert response["Location"] == goal.get_absolute_url()
    assert (goal.title, goal.owner, goal.due_date, goal.status) == (
        "Ny hjemmeside",
        cast.bob,
        due,
        Goal.Status.ON_TRACK,
    )
    client_for(cast.bob).post(
        url("goal_note_add", cast, goal_id=goal.pk), {"text": "Designet er godkendt."}
    )
    note = GoalNote.objects.get()
    assert (note.goal, note.author, note.text) == (goal, cast.bob, "Designet er godkendt.")
    for person in (cast.alice, cast.lena, cast.ada):
        html = client_for(person).get(goal.get_absolute_url()).content.decode()
        assert "Designet er godkendt." in html
        team_page = client_for(person).get(cast.team.get_absolute_url()).content.decode()
        assert goal.get_absolute_url() in team_page


def test_a_goal_may_keep_a_date_that_has_passed(cast, client_for):
    past = timezone.localdate() - timedelta(days=3)
    goal = Goal.objects.create(
        team=Team.objects.for_unit(cast.team), title="Gammel", owner=cast.alice, due_date=past
    )
    client_for(cast.alice).post(
        url("goal_edit", cast, goal_id=goal.pk),
        goal_form(cast, title="Gammel", owner=cast.alice.pk, due_date=past, status="at_risk"),
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.AT_RISK and goal.due_date == past


@pytest.mark.parametrize("language", ["da", "en"])
def test_invalid_goals_get_a_clear_message_and_change_nothing(cast, client_for, language):
    client = speaking(client_for(cast.alice), language)
    yesterday = timezone.localdate() - timedelta(days=1)
    html = client.post(url("goal_new", cast), goal_form(cast, due_date=yesterday)).content.decode()
    assert in_language(PAST_DATE, language) in html
    html = client.post(url("goal_new", cast), goal_form(cast, title="x" * 201)).content.decode()
    assert too_long(200, language) in html
    # The owner is one of the team's people.
    response = client.post(url("goal_new", cast), goal_form(cast, owner=cast.eve.pk))
    assert response.status_code == 200
    assert not Goal.objects.exists()

    goal = Goal.objects.create(team=Team.objects.for_unit(cast.team), title="Mål", owner=cast.bob)
    response = client.post(
        url("goal_edit", cast, goal_id=goal.pk), goal_form(cast, due_date=yesterday)
    )
    assert in_language(PAST_DATE, language) in response.content.decode()
    response = client.post(url("goal_note_add", cast, goal_id=goal.pk), {"text": "x" * 1001})
    assert too_long(1000, language) in response.content.decode()
    goal.refresh_from_db()
    assert goal.due_date is None and not GoalNote.objects.exists()


def test_outsiders_may_read_but_not_change_goals(cast, client_for):
    goal = Goal.objects.create(team=Team.objects.for_unit(cast.team), title="Mål", owner=cast.bob)
    ada = client_for(cast.ada)
    assert ada.get(goal.get_absolute_url()).status_code == 200
    assert ada.get(url("goal_edit", cast, goal_id=goal.pk)).status_code == 404
    assert ada.post(url("goal_note_add", cast, goal_id=goal.pk), {"text": "x"}).status_code == 404
    assert ada.post(url("goal_new", cast), goal_form(cast)).status_code == 404
    eve = client_for(cast.eve)
    assert eve.get(goal.get_absolute_url()).status_code == 404
    assert eve.get(url("goals", cast)).status_code == 404
    # A goal is only found under its own team.
    other = reverse(
        "teamwork:goal_detail", kwargs={"unit_id": cast.other_team.pk, "goal_id": goal.pk}
    )
    assert client_for(cast.eve).get(other).status_code == 404
    assert Goal.objects.count() == 1 and not GoalNote.objects.exists()
