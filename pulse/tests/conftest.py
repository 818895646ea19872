"""A survey for the organisation with teams of six, five and four, shared by the pulse's
tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from organisation.models import Membership
from organisation.services import unit_create
from pulse.models import Question, Round, Survey
from pulse.services import pulse_answer, round_open, round_seal


@pytest.fixture
def pulse(cast):
    """A survey for the organisation. The team grows to six members besides its leader, the
    other team to five (eve among them), and a team of four sits beside them."""
    small = unit_create(actor=None, name="Lille team", parent=cast.organisation)
    six = [cast.alice, cast.bob]
    for i in range(4):
        person = User.objects.create(username=f"six{i}", first_name=f"Seks {i}")
        Membership.objects.create(user=person, unit=cast.team)
        six.append(person)
    four = []
    for i in range(4):
        person = User.objects.create(username=f"four{i}", first_name=f"Fire {i}")
        Membership.objects.create(user=person, unit=small)
        four.append(person)
    five = [cast.eve]
    for i in range(4):
        person = User.objects.create(username=f"five{i}", first_name=f"Fem {i}")
        Membership.objects.create(user=person, unit=cast.other_team)
        five.append(person)
    survey = Survey.objects.create(name="Trivsel", starts_on=timezone.localdate(), k=5)
    survey.units.set([cast.organisation])
    for position, question in enumerate(Question.objects.all()[:3]):
        survey.items.create(question=question, position=position)
    round_ = round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1))
    return round_, six, four, small, five


def answer_all(round_, people, value):
    questions = list(round_.questions.all())
    for person in people:
        pulse_answer(
            round_=round_,
            user=person,
            answers={q.pk: value for q in questions},
            comment=f"Kommentar fra {person.username}",
        )


def close(round_, *, seal=True):
    """Close the round, and seal it as the worker does next."""
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    round_.refresh_from_db()
    if seal:
        round_seal(round_=round_)


def report_tree(cast):
    """A sealed round for the whole organisation with a department below the secretariat and
    three groups below it, in a survey of its own (with questions of its own: live-server tests
    empty the question bank): five, six and two people, the anonymity engine deciding what is
    shown. The third is too small, and so the smallest of the other two is hidden with it: the
    two differ in size, so which one does not rest on the order of the units' ids (which a
    live-server test's database does not start afresh). Returns the round and the
    department."""
    department = unit_create(actor=None, name="Afdeling A", parent=cast.team)
    answers = {}
    for name, size, value in (("Gruppe A1", 5, 5), ("Gruppe A2", 6, 1), ("Gruppe A3", 2, 2)):
        unit = unit_create(actor=None, name=name, parent=department)
        answers[unit] = value
        for i in range(size):
            person = User.objects.create(username=f"{name[-2:]}{i}", first_name=f"{name} {i}")
            Membership.objects.create(user=person, unit=unit)
    survey = Survey.objects.create(name="Trivsel", starts_on=timezone.localdate(), k=5)
    survey.units.set([cast.organisation])
    for position, (theme, text) in enumerate(
        [
            ("trust", "Jeg har tillid til mine kolleger."),
            ("openness", "Jeg kan sige min mening."),
            ("responsibility", "Vi tager fælles ansvar."),
        ]
    ):
        question = Question.objects.create(theme=theme, text_da=text, text_en=text)
        survey.items.create(question=question, position=position)
    round_ = round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1))
    for unit, value in answers.items():
        answer_all(round_, User.objects.filter(memberships__unit=unit), value)
    answer_all(round_, [cast.alice, cast.bob], 3)
    close(round_)
    return round_, department


@pytest.fixture
def closed(cast, pulse):
    """The pulse's round closed with answers: six in the team (three 4s, three 5s), the team
    of four all 2s, the other team's five all 3s."""
    round_, six, four, _small, five = pulse
    answer_all(round_, six[:3], 4)
    answer_all(round_, six[3:], 5)
    answer_all(round_, four, 2)
    answer_all(round_, five, 3)
    close(round_)
    return pulse
