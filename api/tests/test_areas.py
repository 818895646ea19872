"""The API's areas beyond check-ins: each reads what its page reads, for the person the token
is of, and no more. A leader reads only what was shared; what another did with one's words
stays theirs; the wellbeing results are the page's figures."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from api.tokens import READ, WRITE, scopes_of, token_create
from conversations.models import Conversation, PrivateNote, SharedNote
from core.access import Visibility
from feedback.models import Feedback
from profiles.models import ProfileNote
from pulse.tests.conftest import closed, pulse  # noqa: F401
from teamwork.models import Goal, GoalNote, HelpRequest, Team, WorkingAgreement

from .test_api import bearer


def token(person, clock, **access):
    _token, secret = token_create(
        person=person,
        name="Script",
        scopes=scopes_of(access),
        expires_at=clock.now() + timedelta(days=30),
        now=clock.now(),
    )
    return bearer(secret)


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_notes_a_leader_reads_only_what_was_shared(cast, client, clock):
    private = ProfileNote.objects.create(owner=cast.alice, title="Kun mig", body="b")
    shared = ProfileNote.objects.create(
        owner=cast.alice, title="Til lena", body="b", visibility=Visibility.LEADER
    )
    lena = token(cast.lena, clock, notes=READ)

    assert ids(client.get(reverse("api:notes"), **lena)) == [shared.pk]
    assert client.get(reverse("api:note", args=[private.pk]), **lena).status_code == 404
    assert ids(client.get(reverse("api:notes"), **token(cast.alice, clock, notes=READ))) == [
        shared.pk,
        private.pk,
    ]


def test_a_note_is_written_through_the_pages_service(cast, client, clock):
    body = {"title": "Sådan arbejder jeg", "body": "Bedst om morgenen", "visibility": "team"}
    url = reverse("api:note_new")

    refused = client.post(url, body, "application/json", **token(cast.alice, clock, notes=READ))
    assert refused.status_code == 403 and not ProfileNote.objects.exists()
    written = client.post(url, body, "application/json", **token(cast.alice, clock, notes=WRITE))
    assert written.status_code == 200
    note = ProfileNote.objects.get()
    assert (note.owner, note.title, note.visibility) == (cast.alice, body["title"], "team")
    # Shared with chosen people needs the people: the page does that.
    bad = client.post(
        url,
        {**body, "visibility": "shared"},
        "application/json",
        **token(cast.alice, clock, notes=WRITE),
    )
    assert bad.status_code == 422 and ProfileNote.objects.count() == 1


def test_feedback_what_the_receiver_did_with_it_is_theirs_alone(cast, client, clock):
    feedback = Feedback.objects.create(
        owner=cast.alice, giver=cast.bob, works_well="Godt møde", visibility=Visibility.LEADER
    )
    Feedback.objects.filter(pk=feedback.pk).update(kept=True)
    given = Feedback.objects.create(owner=cast.bob, giver=cast.alice, works_well="Tak")
    url = reverse("api:feedback_one", args=[feedback.pk])

    alice = client.get(url, **token(cast.alice, clock, feedback=READ)).json()
    assert (alice["visibility"], alice["kept"], alice["giver"]) == ("leader", True, cast.bob.pk)
    bob = client.get(url, **token(cast.bob, clock, feedback=READ)).json()
    assert (bob["works_well"], bob["visibility"], bob["kept"]) == ("Godt møde", None, None)
    lena = token(cast.lena, clock, feedback=READ)
    assert client.get(url, **lena).json()["kept"] is None
    assert ids(client.get(reverse("api:feedback_list"), **lena)) == [feedback.pk]
    # bob's feedback to alice was shared with her leader; alice's to bob was not.
    assert client.get(reverse("api:feedback_one", args=[given.pk]), **lena).status_code == 404

    mine = token(cast.alice, clock, feedback=READ)
    listing = reverse("api:feedback_list")
    assert ids(client.get(listing, {"role": "received"}, **mine)) == [feedback.pk]
    assert ids(client.get(listing, {"role": "given"}, **mine)) == [given.pk]
    assert ids(client.get(listing, {"role": "shared"}, **lena)) == [feedback.pk]
    assert ids(client.get(listing, {"role": "shared"}, **mine)) == []


@pytest.fixture
def conversation(cast, clock):
    from conversations.services import conversation_plan

    found: Conversation = conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind="one_on_one",
        starts_at=clock.now() + timedelta(days=1),
        duration_minutes=30,
        now=clock.now(),
    )
    SharedNote.objects.create(conversation=found, author=cast.lena, text="Dagsorden")
    for person, text in ((cast.alice, "Mine tanker"), (cast.lena, "Lenas tanker")):
        PrivateNote.objects.create(owner=person, conversation=found, text=text)
    return found


def test_a_conversation_is_its_participants_with_private_notes_their_own(
    cast, client, clock, conversation
):
    url = reverse("api:conversation", args=[conversation.pk])

    alice = client.get(url, **token(cast.alice, clock, conversations=READ)).json()
    assert sorted(alice["participants"]) == sorted([cast.alice.pk, cast.lena.pk])
    assert [note["text"] for note in alice["shared_notes"]] == ["Dagsorden"]
    assert alice["private_notes"] == "Mine tanker"
    lena = client.get(url, **token(cast.lena, clock, conversations=READ)).json()
    assert lena["private_notes"] == "Lenas tanker"
    for person in (cast.bob, cast.ada, cast.eve):
        reader = token(person, clock, conversations=READ)
        assert client.get(url, **reader).status_code == 404
        assert ids(client.get(reverse("api:conversations"), **reader)) == []
    listed = client.get(
        reverse("api:conversations"), **token(cast.alice, clock, conversations=READ)
    )
    assert ids(listed) == [conversation.pk]


def test_teams_goals_help_and_recognition_are_read_as_the_team_page_reads_them(cast, client, clock):
    from organisation.models import Value
    from recognition.services import recognition_create

    team = Team.objects.for_unit(cast.team)
    Team.objects.filter(pk=team.pk).update(purpose="Vi hjælper borgerne")
    WorkingAgreement.objects.create(team=team, text="Vi svarer inden for en dag.")
    goal = Goal.objects.create(team=team, title="Færre sager i kø", owner=cast.bob)
    GoalNote.objects.create(goal=goal, author=cast.bob, text="Halvvejs")
    asked = HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="Hjælp med Excel")
    thanks = recognition_create(
        author=cast.alice,
        recipients=[cast.bob],
        text="Tak for hjælpen",
        values=[Value.objects.get_or_create(name="Åbenhed")[0]],
        unit=cast.team,
    )
    everything = dict.fromkeys(("teams", "goals", "recognition"), READ)
    alice, eve = token(cast.alice, clock, **everything), token(cast.eve, clock, **everything)

    teams = client.get(reverse("api:teams"), **alice).json()["items"]
    [mine] = [item for item in teams if item["id"] == cast.team.pk]
    assert mine["purpose"] == "Vi hjælper borgerne"
    assert [a["text"] for a in mine["agreements"]] == ["Vi svarer inden for en dag."]
    [read] = client.get(reverse("api:goals"), **alice).json()["items"]
    assert (read["title"], read["unit"]) == ("Færre sager i kø", cast.team.pk)
    assert [note["text"] for note in read["notes"]] == ["Halvvejs"]
    assert ids(client.get(reverse("api:help_requests"), **alice)) == [asked.pk]
    [recognised] = client.get(reverse("api:recognitions"), **alice).json()["items"]
    assert recognised["recipients"] == [cast.bob.pk] and recognised["id"] == thanks.pk

    assert cast.team.pk not in ids(client.get(reverse("api:teams"), **eve))
    assert ids(client.get(reverse("api:goals"), **eve)) == []
    assert ids(client.get(reverse("api:help_requests"), **eve)) == []
    assert ids(client.get(reverse("api:recognitions"), **eve)) == []
    for name, pk in (
        ("api:team", cast.team.pk),
        ("api:goal", goal.pk),
        ("api:recognition", thanks.pk),
    ):
        assert client.get(reverse(name, args=[pk]), **eve).status_code == 404


def test_a_progress_note_is_written_by_the_teams_own_people(cast, client, clock):
    team = Team.objects.for_unit(cast.team)
    goal = Goal.objects.create(team=team, title="Mål", owner=cast.alice)
    url = reverse("api:goal_note_new", args=[goal.pk])
    body = {"text": "Vi er i gang"}

    read_only = client.post(url, body, "application/json", **token(cast.bob, clock, goals=READ))
    assert read_only.status_code == 403
    eve = client.post(url, body, "application/json", **token(cast.eve, clock, goals=WRITE))
    assert eve.status_code == 404
    written = client.post(url, body, "application/json", **token(cast.bob, clock, goals=WRITE))
    assert written.status_code == 200 and written.json()["author"] == cast.bob.pk
    assert list(GoalNote.objects.values_list("author", "text")) == [(cast.bob.pk, "Vi er i gang")]


def test_a_leader_above_reads_a_goal_but_writes_on_it_403(cast, client, clock):
    from organisation.models import Membership

    above = type(cast.alice).objects.create(username="chef", first_name="Chef")
    Membership.objects.create(user=above, unit=cast.organisation, role=Membership.Role.LEADER)
    goal = Goal.objects.create(team=Team.objects.for_unit(cast.team), title="Mål", owner=cast.alice)
    chef = token(above, clock, goals=WRITE)

    assert client.get(reverse("api:goal", args=[goal.pk]), **chef).status_code == 200
    response = client.post(
        reverse("api:goal_note_new", args=[goal.pk]), {"text": "Godt"}, "application/json", **chef
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not GoalNote.objects.exists()


def _instants(figures):
    """The figures with each round's closing as the moment it is, however it is written."""
    for survey in figures["surveys"]:
        for round_ in survey["rounds"]:
            round_["closed"] = datetime.fromisoformat(round_["closed"])
    return figures


def test_wellbeing_results_are_the_pages_figures(cast, client, client_for, clock, closed):  # noqa: F811
    _round, _six, four, small, _five = closed

    for person, unit in ((cast.alice, cast.team), (four[0], small)):
        page = client_for(person).get(reverse("pulse:results_json", args=[unit.pk])).json()
        api = client.get(
            reverse("api:wellbeing", args=[unit.pk]), **token(person, clock, wellbeing=READ)
        ).json()
        assert _instants(api) == _instants(page)
        assert api["surveys"][0]["rounds"][0]["respondents"] in (6, 15)
    # The team of four reads the organisation's figures, never its own.
    small_figures = client.get(
        reverse("api:wellbeing", args=[small.pk]), **token(four[0], clock, wellbeing=READ)
    ).json()
    [latest] = small_figures["surveys"][0]["rounds"]
    assert latest["shown_for"]["id"] == cast.organisation.pk
    eve = token(cast.eve, clock, wellbeing=READ)
    assert client.get(reverse("api:wellbeing", args=[cast.team.pk]), **eve).status_code == 404


def test_a_list_reads_in_the_same_queries_however_many_items_it_has(cast, client, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisation.models import Value
    from recognition.services import recognition_create

    team = Team.objects.for_unit(cast.team)
    value = Value.objects.get_or_create(name="Åbenhed")[0]

    def more() -> None:
        goal = Goal.objects.create(team=team, title="Mål", owner=cast.alice)
        GoalNote.objects.create(goal=goal, author=cast.bob, text="Fremskridt")
        WorkingAgreement.objects.create(team=team, text="Aftale")
        recognition_create(
            author=cast.bob, recipients=[cast.alice], text="Tak", values=[value], unit=cast.team
        )
        Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well="Godt")

    everything = dict.fromkeys(("teams", "goals", "recognition", "feedback", "conversations"), READ)
    alice = token(cast.alice, clock, **everything)
    names = ["api:teams", "api:goals", "api:recognitions", "api:feedback_list"]

    def counts() -> list[int]:
        found = []
        for name in names:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name), **alice).status_code == 200
            found.append(len(queries))
        return found

    # The token's last use is written on the first request, and not again within a minute.
    client.get(reverse("api:teams"), **alice)
    more()
    # The token; who the person leads; the rows; then a query per relation the items show.
    pinned = [4, 4, 6, 5]
    assert counts() == pinned
    for _ in range(3):
        more()
    assert counts() == pinned


def test_a_learning_entry_is_written_with_the_pages_rules(cast, client, clock):
    from learning.models import Entry

    url = reverse("api:entry_new")
    writer = token(cast.alice, clock, learning=WRITE)
    body = {
        "kind": "kursus",
        "title": "Klarsprog",
        "happened_on": (clock.now().date() - timedelta(days=1)).isoformat(),
        "learned": "Korte sætninger",
        "links": ["https://example.org/klarsprog"],
    }

    written = client.post(url, body, "application/json", **writer)
    assert written.status_code == 200, written.content
    entry = Entry.objects.get()
    assert (entry.owner, entry.links, entry.visibility) == (
        cast.alice,
        ["https://example.org/klarsprog"],
        "team",
    )
    tomorrow = {**body, "happened_on": (clock.now().date() + timedelta(days=2)).isoformat()}
    refused = client.post(url, tomorrow, "application/json", HTTP_ACCEPT_LANGUAGE="da", **writer)
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert "Datoen kan ikke ligge i fremtiden" in refused.json()["detail"]
    assert Entry.objects.count() == 1
    read_only = client.post(
        url, body, "application/json", **token(cast.alice, clock, learning=READ)
    )
    assert read_only.status_code == 403 and Entry.objects.count() == 1


def test_feedback_given_through_the_api_is_its_receivers(cast, client, clock):
    url = reverse("api:feedback_new")
    body = {"receiver": cast.bob.pk, "about": "Mødet", "works_well": "Klar dagsorden"}

    given = client.post(url, body, "application/json", **token(cast.alice, clock, feedback=WRITE))

    assert given.status_code == 200
    assert (given.json()["giver"], given.json()["visibility"]) == (cast.alice.pk, None)
    feedback = Feedback.objects.get()
    assert (feedback.owner, feedback.giver, feedback.visibility) == (
        cast.bob,
        cast.alice,
        "private",
    )
    # To no one, to oneself, or without words: 409 or 422, and nothing is made.
    writer = token(cast.alice, clock, feedback=WRITE)
    for wrong, status in (
        ({**body, "receiver": 2**31 - 1}, 409),
        ({**body, "receiver": cast.alice.pk}, 409),
        ({"receiver": cast.bob.pk}, 409),
        ({"works_well": "Godt"}, 422),
    ):
        assert client.post(url, wrong, "application/json", **writer).status_code == status
    assert Feedback.objects.count() == 1


def test_participants_write_shared_and_private_notes_and_no_one_else(
    cast, client, clock, conversation
):
    shared_url = reverse("api:conversation_note_new", args=[conversation.pk])
    private_url = reverse("api:conversation_private_notes", args=[conversation.pk])
    alice = token(cast.alice, clock, conversations=WRITE)

    added = client.post(shared_url, {"text": "Ferieplan"}, "application/json", **alice)
    assert added.status_code == 200 and added.json()["author"] == cast.alice.pk
    kept = client.post(private_url, {"text": "Husk at spørge"}, "application/json", **alice)
    assert kept.status_code == 200
    assert PrivateNote.objects.get(owner=cast.alice).text == "Husk at spørge"
    assert PrivateNote.objects.get(owner=cast.lena).text == "Lenas tanker"
    for person in (cast.bob, cast.ada, cast.eve):
        writer = token(person, clock, conversations=WRITE)
        for url in (shared_url, private_url):
            assert client.post(url, {"text": "x"}, "application/json", **writer).status_code == 404
    assert SharedNote.objects.filter(conversation=conversation).count() == 2


def test_an_archived_unit_is_no_longer_among_the_teams(cast, client, clock):
    from organisation.models import Unit

    Unit.objects.filter(pk=cast.team.pk).update(archived_at=clock.now())
    alice = token(cast.alice, clock, teams=READ)

    assert cast.team.pk not in ids(client.get(reverse("api:teams"), **alice))
    assert client.get(reverse("api:team", args=[cast.team.pk]), **alice).status_code == 404


def test_a_held_conversation_takes_no_new_shared_note_but_ones_private_notes(
    cast, client, clock, conversation
):
    from conversations.services import conversation_hold

    conversation_hold(conversation=conversation, by=cast.lena, now=clock.now())
    alice = token(cast.alice, clock, conversations=WRITE)

    refused = client.post(
        reverse("api:conversation_note_new", args=[conversation.pk]),
        {"text": "For sent"},
        "application/json",
        HTTP_ACCEPT_LANGUAGE="da",
        **alice,
    )
    assert refused.status_code == 409
    assert refused.json()["title"] == "Noten kan ikke tilføjes"
    assert SharedNote.objects.filter(conversation=conversation).count() == 1
    kept = client.post(
        reverse("api:conversation_private_notes", args=[conversation.pk]),
        {"text": "Efter samtalen"},
        "application/json",
        **alice,
    )
    assert kept.status_code == 200
    assert PrivateNote.objects.get(owner=cast.alice).text == "Efter samtalen"
