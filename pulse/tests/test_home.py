"""What Min side reads of the pulse: the open round a person is asked in, and for a leader
how many have answered in each unit, and the team's latest shown figures."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import User
from organisation.selectors import led_units_of
from pulse.models import Question, Round, Survey
from pulse.selectors import (
    closed_rounds_for_unit,
    open_round_for_home,
    open_round_ids,
    participation_for_leader,
    results_for_unit,
    team_pulse_for_leader,
)
from pulse.services import round_open
from pulse.tests.conftest import answer_all, close


def test_the_open_round_says_whether_the_person_answered(clock, cast, pulse):
    round_, six, _four, _small, _five = pulse
    now = clock.now()
    home = open_round_for_home(cast.alice, now)
    assert home is not None
    assert (home.round, home.answered, home.url) == (round_, False, round_.get_absolute_url())
    assert home.closes_at == round_.closes_at
    answer_all(round_, six[:1], 4)
    home = open_round_for_home(cast.alice, now)
    assert home is not None and home.answered
    # Nobody else learns anything from it: bob has not answered.
    bob = open_round_for_home(cast.bob, now)
    assert bob is not None and not bob.answered
    # Someone in no unit of the survey, and anyone after the round has closed, get nothing.
    assert open_round_for_home(User.objects.create(username="outsider"), now) is None
    assert open_round_for_home(cast.alice, round_.closes_at) is None


def test_a_leader_sees_how_many_answered_only_from_k(
    clock, cast, pulse, django_assert_max_num_queries
):
    round_, six, _four, _small, _five = pulse
    now = clock.now()
    answer_all(round_, six[:4], 4)
    [found] = participation_for_leader(led_units_of(cast.lena), now)
    assert found.round == round_
    # The team has seven people asked (the leader is one of them); four answered: too few.
    [team] = found.units
    assert (team.unit_id, team.asked, team.answered) == (cast.team.pk, 7, None)
    answer_all(round_, six[4:], 4)
    # The units led and the rounds open read by the caller, as Min side does: the rounds that
    # ask them, and four reads a round.
    led, open_ids = led_units_of(cast.lena), open_round_ids(now)
    with django_assert_max_num_queries(5):
        [found] = participation_for_leader(led, now, open_ids=open_ids)
    assert (found.units[0].asked, found.units[0].answered) == (7, 6)
    # A member leads nothing and sees no counts; the round over, nothing is open.
    assert participation_for_leader(led_units_of(cast.alice), now) == []
    assert participation_for_leader(led_units_of(cast.lena), round_.closes_at) == []


def test_a_count_that_would_give_away_a_small_group_is_not_shown(clock, cast, pulse):
    round_, six, _four, _small, five = pulse
    # Lena leads the organisation too: its count minus the team's would be the others'.
    cast.lena.memberships.create(unit=cast.organisation, role="leader")
    answer_all(round_, six[:5], 4)
    answer_all(round_, five[:2], 3)
    [found] = participation_for_leader(led_units_of(cast.lena), clock.now())
    counts = {unit.unit_id: unit.answered for unit in found.units}
    # Seven answered in all; showing both five and seven would tell that two answered elsewhere.
    assert counts[cast.team.pk] is None or counts[cast.organisation.pk] is None


def test_each_question_shows_its_change_since_the_previous_shown_round(clock, cast, pulse):
    first, six, _four, _small, _five = pulse
    answer_all(first, six, 3)
    close(first)
    second = round_open(survey=first.survey, opens_at=clock.now() - timedelta(hours=1))
    answer_all(second, six[:3], 4)
    answer_all(second, six[3:], 5)
    close(second)
    [(_survey, results)] = results_for_unit(cast.team.pk, now=clock.now())
    newest, older = results
    assert newest.since == older.round and older.since is None
    assert [item.change for item in newest.questions] == [1.5] * 3
    assert newest.change == 1.5
    # A round the team is not shown in is never compared: a third round with too few answers.
    third = round_open(survey=first.survey, opens_at=clock.now() - timedelta(hours=1))
    answer_all(third, six[:2], 1)
    close(third)
    [(_survey, results)] = results_for_unit(cast.team.pk, now=clock.now())
    assert results[0].group is None and results[0].since is None
    assert all(item.change is None for item in results[0].questions)
    assert results[1].since == results[2].round


def test_a_unit_s_latest_rounds_are_read_per_survey_newest_first(clock, cast, pulse):
    first, _six, _four, _small, _five = pulse
    rounds = [first]
    for _ in range(3):
        rounds.append(round_open(survey=first.survey, opens_at=clock.now() - timedelta(hours=1)))
    for round_ in rounds:
        close(round_)
    other = Survey.objects.create(name="Arbejdsmiljø", starts_on=clock.now().date(), k=5)
    other.units.set([cast.organisation])
    other.items.create(question=Question.objects.all()[0], position=0)
    asked = round_open(survey=other, opens_at=clock.now() - timedelta(hours=1))
    close(asked)
    still_open = round_open(survey=first.survey, opens_at=clock.now() - timedelta(hours=1))
    found = closed_rounds_for_unit(cast.team.pk, now=clock.now(), rounds=2)
    # By the survey's name; the newest `rounds` closed of each, never one still open.
    assert [(survey, [r.pk for r in latest]) for survey, latest in found] == [
        (other, [asked.pk]),
        (first.survey, [rounds[3].pk, rounds[2].pk]),
    ]
    assert still_open.pk not in {r.pk for _survey, latest in found for r in latest}
    every = closed_rounds_for_unit(cast.team.pk, now=clock.now())
    assert [len(latest) for _survey, latest in every] == [1, 4]


def test_the_leader_reads_the_teams_latest_shown_results(
    clock, cast, pulse, django_assert_num_queries
):
    round_, six, _four, _small, _five = pulse
    answer_all(round_, six, 4)
    close(round_)
    # Per unit led: its energy (one week), its latest rounds, their groups' figures and their
    # questions, without comments; four queries a unit, so a leader of many units costs more.
    led = led_units_of(cast.lena)
    with django_assert_num_queries(4):
        [team] = team_pulse_for_leader(led, clock.now())
    assert team.unit_id == cast.team.pk and team.energy is None
    [latest] = team.latest
    assert latest.round == round_ and latest.average == 4
    assert team_pulse_for_leader(led_units_of(cast.alice), clock.now()) == []
    assert Round.objects.count() == 1


def test_the_partials_for_min_side_write_only_what_the_engine_shows(clock, cast, pulse):
    from django.template.loader import render_to_string

    round_, six, _four, _small, _five = pulse
    now = clock.now()
    html = render_to_string(
        "pulse/_home_round.html", {"home_round": open_round_for_home(cast.alice, now)}
    )
    assert round_.get_absolute_url() in html and "Svar på trivselsmålingen" in html
    answer_all(round_, six[:4], 4)
    context = {
        "participation": participation_for_leader(led_units_of(cast.lena), now),
        "teams": team_pulse_for_leader(led_units_of(cast.lena), now),
    }
    html = render_to_string("pulse/_leader_pulse.html", context)
    assert "Sekretariatet: 7 spurgt; for få har svaret endnu" in html
    assert "4 af 7" not in html
    answer_all(round_, six[4:], 4)
    context["participation"] = participation_for_leader(led_units_of(cast.lena), now)
    html = render_to_string("pulse/_leader_pulse.html", context)
    assert "Sekretariatet: 6 af 7 har svaret." in html
    html = render_to_string(
        "pulse/_home_round.html", {"home_round": open_round_for_home(cast.alice, now)}
    )
    assert "Du har svaret på Trivsel. Tak." in html
