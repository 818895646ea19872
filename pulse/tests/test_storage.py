"""After a round, the tables hold no way to join an answer to the person who gave it: not by
id, not by time, not by the order rows were written in. Checked on the database the tests run
on, SQLite or PostgreSQL, with every answer in its own committed transaction as in real use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, models
from django.utils import timezone

from accounts.models import User
from organisation.models import Membership
from pulse.models import (
    Comment,
    OpenComment,
    OpenParticipation,
    OpenTally,
    Participation,
    Question,
    Round,
    RoundUnit,
    Survey,
    Tally,
)
from pulse.services import PulseError, pulse_answer, round_open, round_seal

PEOPLE = 8


@pytest.fixture
def answered(cast):
    """A round for the team, answered by eight people one after the other, each with a
    comment that says which of them wrote it."""
    survey = Survey.objects.create(name="Trivsel", starts_on=timezone.localdate())
    survey.units.set([cast.team])
    # Made here: tests that commit empty the tables, the question bank's included.
    for position, theme in enumerate(("trust", "meaning", "workload")):
        question = Question.objects.create(theme=theme, text_da=theme, text_en=theme)
        survey.items.create(question=question, position=position)
    round_ = round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1))
    people = []
    for i in range(PEOPLE):
        person = User.objects.create(username=f"p{i}")
        Membership.objects.create(user=person, unit=cast.team)
        people.append(person)
    questions = list(round_.questions.all())
    for i, person in enumerate(people):
        pulse_answer(
            round_=round_,
            user=person,
            answers={q.pk: 1 + (i % 5) for q in questions},
            comment=f"svar nummer {i}",
        )
    return round_, people


def _close(round_):
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    round_.refresh_from_db()
    round_seal(round_=round_)


def test_response_tables_have_no_person_and_no_time():
    for model in (Tally, Comment, RoundUnit, OpenTally, OpenComment):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateField | models.DateTimeField), field
            related = getattr(field, "related_model", None)
            assert related is not User, field
    for who in (Participation, OpenParticipation):
        assert {f.name for f in who._meta.get_fields()} == {"id", "round", "user"}


@pytest.mark.django_db(transaction=True)
def test_after_a_round_nothing_joins_answers_to_people(cast, answered):
    round_, people = answered
    assert all(sum(t.counts) == PEOPLE for t in OpenTally.objects.filter(round=round_))
    _close(round_)
    round_.refresh_from_db()
    assert round_.sealed_at is not None
    assert all(sum(t.counts) == PEOPLE for t in Tally.objects.filter(round=round_))
    assert RoundUnit.objects.get(round=round_, unit_id=cast.team.pk).respondents == PEOPLE
    for model in (OpenTally, OpenComment, OpenParticipation):
        assert not model.objects.filter(round=round_).exists()

    answering_order = [f"svar nummer {i}" for i in range(PEOPLE)]
    # Keys: comments have random keys, so ordering by key is not the order of answering;
    # participation was written again in a random order.
    by_key = list(
        Comment.objects.filter(round=round_).order_by("pk").values_list("text", flat=True)
    )
    assert sorted(by_key) == sorted(answering_order) and by_key != answering_order
    participants = list(
        Participation.objects.filter(round=round_).order_by("pk").values_list("user_id", flat=True)
    )
    assert sorted(participants) == sorted(p.pk for p in people)
    assert participants != [p.pk for p in people]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Every row of the round now carries the sealing transaction, so xmin links
            # nothing, and the physical order is the seal's random order.
            xmins = set()
            for table in ("pulse_tally", "pulse_comment", "pulse_participation"):
                cursor.execute(
                    f"SELECT DISTINCT xmin::text FROM {table} WHERE round_id = %s", [round_.pk]
                )
                xmins |= {row[0] for row in cursor.fetchall()}
            assert len(xmins) == 1
            cursor.execute(
                "SELECT text FROM pulse_comment WHERE round_id = %s ORDER BY ctid", [round_.pk]
            )
        else:
            cursor.execute(
                "SELECT text FROM pulse_comment WHERE round_id = %s ORDER BY rowid", [round_.pk]
            )
        physical = [row[0] for row in cursor.fetchall()]
    assert sorted(physical) == sorted(answering_order) and physical != answering_order


def test_sqlite_overwrites_what_it_deletes(db):
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_an_answer_counts_once_and_only_for_the_audience(cast, answered):
    round_, people = answered
    answers = {q.pk: 3 for q in round_.questions.all()}
    with pytest.raises(PulseError):
        pulse_answer(round_=round_, user=people[0], answers=answers)
    with pytest.raises(PulseError):
        pulse_answer(round_=round_, user=cast.eve, answers=answers)
    with pytest.raises(PulseError):
        pulse_answer(round_=round_, user=cast.alice, answers={**answers, 99999: 3})
    with pytest.raises(PulseError):
        pulse_answer(round_=round_, user=cast.alice, answers=dict.fromkeys(answers, 6))
    assert OpenParticipation.objects.filter(round=round_).count() == PEOPLE
    for tally in OpenTally.objects.filter(round=round_):
        assert sum(tally.counts) == PEOPLE
    # A closed round takes no answers.
    _close(round_)
    with pytest.raises(PulseError):
        pulse_answer(round_=round_, user=cast.alice, answers=answers)
