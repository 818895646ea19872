"""The pulse in the worker: rounds open on schedule and once, people are told once and
reminded once, and closed rounds are sealed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from pulse.models import OpenTally, Question, Round, Survey, Tally
from pulse.services import pulse_answer
from pulse.tasks import run_pulse_rounds


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


# Yesterday: the first round is open now, when alice answers.
START = timezone.localdate() - timedelta(days=1)


@pytest.fixture
def survey(cast):
    survey = Survey.objects.create(name="Trivsel", starts_on=START, every_weeks=2, round_days=5)
    survey.units.set([cast.team])
    for position, question in enumerate(Question.objects.all()[:2]):
        survey.items.create(question=question, position=position)
    return survey


def test_rounds_open_on_schedule_once_and_are_sealed(cast, survey):
    start = START
    run_pulse_rounds(at(start, 7))  # before 08:00 on the first day
    assert not Round.objects.exists()

    run_pulse_rounds(at(start, 9))
    run_pulse_rounds(at(start, 9))  # a second tick, or a second worker
    round_ = Round.objects.get()
    assert round_.number == 1 and round_.opens_at == at(start, 8)
    assert OpenTally.objects.filter(round=round_).count() == 2  # one unit, two questions

    # The team is told once; eve, in another unit, is not.
    told = Notification.objects.filter(kind="pulse_round", key=f"pulse-{round_.pk}-open")
    assert set(told.values_list("recipient__username", flat=True)) == {"alice", "bob", "lena"}
    run_pulse_rounds(at(start, 10))
    assert told.count() == 3

    # alice answers; the day before closing the others get one reminder.
    pulse_answer(
        round_=round_,
        user=cast.alice,
        answers={q.pk: 4 for q in round_.questions.all()},
    )
    for hour in (9, 10):
        run_pulse_rounds(at(start + timedelta(days=4), hour))
    reminded = Notification.objects.filter(key=f"pulse-{round_.pk}-last")
    assert set(reminded.values_list("recipient__username", flat=True)) == {"bob", "lena"}

    # Closed, it is sealed; two weeks after the start the next round opens.
    run_pulse_rounds(at(start + timedelta(days=6), 9))
    round_.refresh_from_db()
    assert round_.sealed_at is not None
    # The running counters became the sealed histograms.
    assert Tally.objects.filter(round=round_).count() == 2
    assert not OpenTally.objects.filter(round=round_).exists()
    run_pulse_rounds(at(start + timedelta(weeks=2), 9))
    assert list(Round.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_rounds_missed_while_no_worker_ran_are_skipped(survey):
    # Four weeks and a day in, round 3 (opened on day 28) is open; rounds 1 and 2 are over.
    run_pulse_rounds(at(START + timedelta(days=29), 9))
    assert list(Round.objects.values_list("number", flat=True)) == [3]
    # Between rounds nothing opens.
    run_pulse_rounds(at(START + timedelta(days=38), 9))
    assert Round.objects.count() == 1


def test_a_stopped_survey_opens_nothing(survey):
    survey.is_active = False
    survey.save()
    run_pulse_rounds(at(START, 9))
    assert not Round.objects.exists()
