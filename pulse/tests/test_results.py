"""From results to action, the results' API and CSV, and the check-in energy trend: the same
figures everywhere, through the anonymity engine, and nothing for a stranger."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn, current_week
from organisation.services import unit_update
from pulse.models import Action, EnergyWeek
from pulse.selectors import results_for
from pulse.services import energy_count, round_open, round_seal
from pulse.tasks import run_energy_count
from pulse.tests.conftest import answer_all, close, report_tree
from teamwork.models import Goal


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_page_api_and_csv_read_the_same(cast, client_for, closed):
    _round, _six, four, small, _five = closed
    alice = client_for(cast.alice)
    page = alice.get(reverse("pulse:results", args=[cast.team.pk])).content.decode()
    data = alice.get(reverse("pulse:results_json", args=[cast.team.pk])).json()
    rows = _csv(alice.get(reverse("pulse:results_csv", args=[cast.team.pk])))
    [latest] = data["surveys"][0]["rounds"]
    assert latest["shown_for"] == {"id": cast.team.pk, "name": cast.team.name}
    assert latest["respondents"] == 6
    for question, row in zip(latest["questions"], rows[1:], strict=True):
        assert question["counts"] == [0, 0, 0, 3, 3]
        assert question["average"] == 4.5
        assert row[7:12] == ["0", "0", "0", "3", "3"] and row[12] == "4,5"
        assert row[3] == cast.team.name and row[4] == "6"
    assert page.count(">4,5<") == 3  # each question's average, in the page's cells
    names = ["alice", "bob", *(f"six{i}" for i in range(4))]
    assert sorted(latest["comments"]) == sorted(f"Kommentar fra {name}" for name in names)
    # The team of four reads the organisation's figures everywhere, never its own.
    data = client_for(four[0]).get(reverse("pulse:results_json", args=[small.pk])).json()
    [latest] = data["surveys"][0]["rounds"]
    assert latest["shown_for"]["id"] == cast.organisation.pk and latest["respondents"] == 15
    # Their comments are among the organisation's fifteen, in an order that gives none away.
    assert len(latest["comments"]) == 15
    rows = _csv(client_for(four[0]).get(reverse("pulse:results_csv", args=[small.pk])))
    assert {row[4] for row in rows[1:]} == {"15"}


def test_comments_follow_the_tree_of_the_round_not_the_organisation_of_today(
    cast, client_for, closed
):
    """A unit moved after a round keeps its place in that round: its people's comments are not
    shown with the team it moved under, and still with the organisation's."""
    _round, _six, four, small, _five = closed
    unit_update(actor=None, unit=small, name=small.name, parent=cast.team)
    alice = client_for(cast.alice)
    [latest] = alice.get(reverse("pulse:results_json", args=[cast.team.pk])).json()["surveys"][0][
        "rounds"
    ]
    names = ["alice", "bob", *(f"six{i}" for i in range(4))]
    assert sorted(latest["comments"]) == sorted(f"Kommentar fra {name}" for name in names)
    # The team of four still reads the organisation's figures, its own comments among them.
    [latest] = (
        client_for(four[0])
        .get(reverse("pulse:results_json", args=[small.pk]))
        .json()["surveys"][0]["rounds"]
    )
    assert latest["shown_for"]["id"] == cast.organisation.pk
    assert len(latest["comments"]) == 15
    assert {f"Kommentar fra four{i}" for i in range(4)} <= set(latest["comments"])


def test_a_groups_comments_come_from_every_level_below_it_in_each_round(cast, closed):
    """Two rounds at once, one with units three levels below the organisation: each round's
    comments are its own, from the whole of its tree."""
    round_, six, four, _small, five = closed
    deep, _department = report_tree(cast)
    both = frozenset({round_.pk, deep.pk})
    comments = {
        result.round.pk: sorted(result.comments)
        for result in results_for([round_, deep], cast.organisation.pk, comments_for=both)
    }
    assert comments[round_.pk] == sorted(
        f"Kommentar fra {person.username}" for person in [*six, *four, *five]
    )
    below = [f"A{group}{i}" for group, size in ((1, 5), (2, 6), (3, 2)) for i in range(size)]
    assert comments[deep.pk] == sorted(f"Kommentar fra {name}" for name in ["alice", "bob", *below])


def test_a_stranger_gets_404_on_the_api_and_exports(cast, client_for, closed):
    round_, *_ = closed
    eve = client_for(cast.eve)
    for name in ("pulse:results_json", "pulse:results_csv"):
        assert eve.get(reverse(name, args=[cast.team.pk])).status_code == 404
    for person in (cast.eve, cast.alice):
        url = reverse("pulse:report_csv", args=[round_.pk])
        assert client_for(person).get(url).status_code == 404


def test_the_report_csv_has_the_pages_figures(cast, client_for, closed):
    round_, *_ = closed
    ada = client_for(cast.ada)
    page = ada.get(reverse("pulse:report", args=[round_.pk])).content.decode()
    rows = _csv(ada.get(reverse("pulse:report_csv", args=[round_.pk])))
    by_unit = {row[0]: row for row in rows[1:]}
    assert by_unit[cast.team.name][2:] == ["6", "4,5", "4,5", "4,5"]
    # The four and the five are hidden in the export as on the page.
    assert by_unit["Lille team"][2:] == ["", "", "", ""]
    assert by_unit[cast.other_team.name][2:] == ["", "", "", ""]
    assert by_unit[cast.organisation.name][2] == "15"
    for row in rows[1:]:
        for cell in row[3:]:
            assert cell == "" or f">{cell}<" in page


def test_the_team_makes_an_action_of_a_question(cast, client_for, closed):
    round_, *_ = closed
    question = round_.questions.order_by("pk").first()
    url = reverse("pulse:action_new", args=[cast.team.pk, round_.pk, question.pk])
    bob = client_for(cast.bob)
    assert (
        "Arbejd med dette"
        in bob.get(reverse("pulse:results", args=[cast.team.pk])).content.decode()
    )
    # A title is needed; nothing is saved without one.
    response = bob.post(url, {"title": "", "owner": cast.alice.pk, "status": "not_started"})
    assert response.status_code == 200 and not Goal.objects.exists()
    due = timezone.localdate() + timedelta(days=30)
    response = bob.post(
        url,
        {
            "title": "Fast ugentlig sparring",
            "owner": cast.alice.pk,
            "due_date": due.isoformat(),
            "status": "not_started",
        },
    )
    assert response["Location"] == reverse("pulse:results", args=[cast.team.pk])
    action = Action.objects.select_related("goal").get()
    assert (action.question, action.round, action.goal.owner) == (question, round_, cast.alice)
    assert action.goal.due_date == due and action.goal.team.unit == cast.team
    # The next round shows it beside the question's new figures.
    later = round_open(survey=round_.survey, opens_at=timezone.now() - timedelta(hours=1))
    answer_all(later, [cast.alice, cast.bob, *closed[1][2:]], 3)
    close(later)
    page = client_for(cast.lena).get(reverse("pulse:results", args=[cast.team.pk]))
    html = page.content.decode()
    assert "Runde 2" in html and "Fast ugentlig sparring" in html and "fra runde 1" in html
    # The leader sees it but, as a leader above a unit, an administrator or a stranger,
    # cannot add to another team's actions.
    for person in (cast.ada, cast.eve):
        assert client_for(person).post(url, {"title": "x"}).status_code == 404
    assert Action.objects.count() == 1


def test_no_action_from_an_open_round_or_a_question_it_did_not_ask(cast, client_for, pulse):
    round_, *_ = pulse
    question = round_.questions.first()
    bob = client_for(cast.bob)
    assert (
        bob.get(
            reverse("pulse:action_new", args=[cast.team.pk, round_.pk, question.pk])
        ).status_code
        == 404
    )
    close(round_)
    asked = set(round_.questions.values_list("pk", flat=True))
    other = round_.survey.items.model.question.field.related_model.objects.exclude(pk__in=asked)[0]
    assert (
        bob.get(reverse("pulse:action_new", args=[cast.team.pk, round_.pk, other.pk])).status_code
        == 404
    )


def _checkins(people, week, energy):
    for person in people:
        CheckIn.objects.create(owner=person, week=week, energy=energy, went_well="En god uge")


def test_the_energy_trend_goes_through_the_engine(cast, client_for, pulse):
    _round, six, four, small, five = pulse
    week = current_week() - timedelta(weeks=1)
    _checkins(six, week, 4)
    _checkins(four, week, 1)
    _checkins(five[:4], week, 2)  # four of the five gave their energy
    energy_count(week=week)
    data = client_for(cast.alice).get(reverse("pulse:results_json", args=[cast.team.pk])).json()
    [team] = data["energy"]
    assert team["shown_for"]["id"] == cast.team.pk and team["counts"] == [0, 0, 0, 6, 0]
    assert team["average"] == 4.0
    # The four of the small team and the four of the other team are each below k; together
    # with the six they make the organisation's fourteen, and the organisation minus the
    # six would give their eight, which is enough, so the organisation is shown.
    data = client_for(four[0]).get(reverse("pulse:results_json", args=[small.pk])).json()
    [small_team] = data["energy"]
    assert small_team["shown_for"]["id"] == cast.organisation.pk
    assert small_team["counts"] == [4, 4, 0, 6, 0] and small_team["respondents"] == 14
    page = client_for(four[0]).get(reverse("pulse:results", args=[small.pk])).content.decode()
    assert "Energi i check-ins" in page and "Kommunen" in page
    assert (
        client_for(cast.eve).get(reverse("pulse:results_json", args=[small.pk])).status_code == 404
    )


def test_energy_is_counted_once_when_the_weeks_check_ins_are_settled(cast, pulse):
    _round, six, *_ = pulse
    last_week = current_week() - timedelta(weeks=1)
    two_back = last_week - timedelta(weeks=1)
    _checkins(six, two_back, 3)
    _checkins(six, last_week, 4)
    _checkins(six, current_week(), 5)
    monday = timezone.make_aware(datetime.combine(current_week(), time(6)))
    # This Monday: last week's check-ins may still be edited, the week before's not.
    run_energy_count(monday)
    assert set(EnergyWeek.objects.values_list("week", flat=True)) == {
        two_back - timedelta(weeks=n) for n in range(5)
    }
    counted = EnergyWeek.objects.get(week=two_back)
    assert sum(t.counts[2] for t in counted.tallies.all()) == 6
    # A later change, a move or a deactivation does not change a counted week.
    CheckIn.objects.filter(owner=six[0], week=two_back).update(energy=1)
    run_energy_count(monday + timedelta(days=8))
    assert sum(t.counts[0] for t in EnergyWeek.objects.get(week=two_back).tallies.all()) == 0
    # Last week is counted a week later, once.
    counted = EnergyWeek.objects.get(week=last_week)
    assert sum(t.counts[3] for t in counted.tallies.all()) == 6


def test_the_results_page_reads_any_number_of_rounds_in_the_same_queries(cast, client_for, pulse):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_, six, *_ = pulse
    alice = client_for(cast.alice)
    url = reverse("pulse:results", args=[cast.team.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice.get(url).status_code == 200
        return len(captured.captured_queries)

    answer_all(round_, six, 4)
    close(round_)
    energy_count(week=current_week() - timedelta(weeks=1))
    queries()  # the first request of a session reads more
    one = queries()
    for _ in range(4):
        later = round_open(survey=round_.survey, opens_at=timezone.now() - timedelta(hours=1))
        answer_all(later, six, 3)
        close(later)
    # A team without actions from its results: their query is not made (two more with some).
    assert one == 10 and queries() == one


def test_a_round_just_closed_shows_its_results_once_sealed(cast, client_for, pulse):
    round_, six, *_ = pulse
    answer_all(round_, six, 4)
    close(round_, seal=False)
    alice = client_for(cast.alice)
    url = reverse("pulse:results", args=[cast.team.pk])
    html = alice.get(url).content.decode()
    assert "tælles op" in html and "6 svar" not in html
    assert client_for(cast.ada).get(reverse("pulse:report", args=[round_.pk])).status_code == 404
    round_.refresh_from_db()
    round_seal(round_=round_)
    assert "6 svar" in alice.get(url).content.decode()
