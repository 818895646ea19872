"""Writes about the wellbeing pulse: opening a round, answering it, and sealing it once it
has closed. Each is atomic."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.models import CheckIn
from core.audit import audit_record
from organisation.models import HOME_UNIT_ORDER, Membership, Unit
from pulse.anonymity import disclose, roll_up
from pulse.models import (
    SCALE,
    Action,
    Comment,
    EnergyTally,
    EnergyWeek,
    Participation,
    Question,
    Round,
    RoundUnit,
    Survey,
    SurveyQuestion,
    Tally,
)
from teamwork.services import goal_create


class PulseError(ValueError):
    """An answer or change that cannot be made; the message is for the person who tried."""


def audience_units(survey: Survey) -> list[Unit]:
    """Every unit of the survey's audience: its units with everything below them."""
    units: dict[int, Unit] = {}
    for top in survey.units.all():
        for unit in Unit.objects.active().subtree_of(top).only("pk", "name", "parent_id", "path"):
            units[unit.pk] = unit
    return list(units.values())


@transaction.atomic
def round_open(*, survey: Survey, opens_at: datetime, number: int | None = None) -> Round:
    """Open a round of the survey (the next one unless `number` is given): its questions, the
    tree of its units as it is now, and an empty histogram for every unit and question."""
    if number is None:
        last = survey.rounds.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    round_ = Round.objects.create(
        survey=survey,
        number=number,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=survey.round_days),
        k=survey.k,
    )
    questions = [item.question for item in survey.items.select_related("question")]
    round_.questions.set(questions)
    units = audience_units(survey)
    inside = {unit.pk for unit in units}
    RoundUnit.objects.bulk_create(
        RoundUnit(
            round=round_,
            unit_id=unit.pk,
            # The audience's top units are the tree's roots, whatever lies above them.
            parent_id=unit.parent_id if unit.parent_id in inside else None,
            name=unit.name,
        )
        for unit in units
    )
    Tally.objects.bulk_create(
        (Tally(round=round_, unit_id=unit.pk, question=q) for unit in units for q in questions),
        batch_size=2000,
    )
    return round_


def respondent_unit(round_: Round, user: User) -> int | None:
    """The unit of the round's tree a person answers for: their home unit among the round's
    units (organisation.models.HOME_UNIT_ORDER). None when they are not in the audience."""
    in_round = RoundUnit.objects.filter(round=round_).values("unit_id")
    membership = (
        Membership.objects.filter(user=user, unit_id__in=in_round)
        .order_by(*HOME_UNIT_ORDER)
        .first()
    )
    return membership.unit_id if membership else None


@transaction.atomic
def pulse_answer(
    *, round_: Round, user: User, answers: Mapping[int, int], comment: str = ""
) -> None:
    """Record that `user` answered, and add their answers to the histograms of their unit.
    Nothing written here links the two: the answers are counts, the comment a row with a
    random key, and none of it carries a time."""
    if not round_.is_open():
        raise PulseError(_("This round is closed."))
    unit_id = respondent_unit(round_, user)
    if unit_id is None:
        raise PulseError(_("This survey is not for your unit."))
    question_ids = set(round_.questions.values_list("pk", flat=True))
    if set(answers) != question_ids:
        raise PulseError(_("Answer every question."))
    if any(value not in SCALE for value in answers.values()):
        raise PulseError(_("An answer is from 1 to 5."))
    try:
        with transaction.atomic():
            Participation.objects.create(round=round_, user=user)
    except IntegrityError:
        raise PulseError(_("You have already answered this round.")) from None
    RoundUnit.objects.filter(round=round_, unit_id=unit_id).update(respondents=F("respondents") + 1)
    for question_id, value in answers.items():
        Tally.objects.filter(round=round_, unit_id=unit_id, question_id=question_id).update(
            **{f"c{value}": F(f"c{value}") + 1}
        )
    if comment.strip() and round_.survey.comments:
        Comment.objects.create(round=round_, unit_id=unit_id, text=comment.strip())


def round_seal(*, round_: Round, now: datetime | None = None) -> None:
    """After a round has closed: decide once what the anonymity engine shows of it, keeping
    for every unit the group its people see and its histograms with everything below it;
    rewrite the round's rows in one transaction and in random order, so that no row's
    position, key or transaction points back to the answer that wrote it; then let the
    database drop the old row versions. See docs/privacy.md."""
    now = now or timezone.now()
    if now < round_.closes_at or round_.sealed_at is not None:
        return
    shuffle = random.Random(secrets.randbits(64)).shuffle  # noqa: S311 (an order, not a key)
    with transaction.atomic():
        units = list(
            RoundUnit.objects.filter(round=round_).values_list(
                "pk", "unit_id", "parent_id", "respondents"
            )
        )
        tallies = list(
            Tally.objects.filter(round=round_).values_list(
                "pk", "unit_id", "question_id", "c1", "c2", "c3", "c4", "c5"
            )
        )
        group_of, rolled = sealed_figures(
            parent={unit: up for _pk, unit, up, _n in units},
            respondents={unit: n for _pk, unit, _up, n in units},
            histograms=[(unit, q, counts) for _pk, unit, q, *counts in tallies],
            k=round_.k,
        )
        shuffle(tallies)
        for pk, unit, question, *_counts in tallies:
            Tally.objects.filter(pk=pk).update(**_totals(rolled[unit, question]))
        shuffle(units)
        for pk, unit, *_rest in units:
            RoundUnit.objects.filter(pk=pk).update(group_id=group_of[unit])
        comments = list(Comment.objects.filter(round=round_).values_list("unit_id", "text"))
        shuffle(comments)
        Comment.objects.filter(round=round_).delete()
        Comment.objects.bulk_create(
            Comment(round=round_, unit_id=unit_id, text=text) for unit_id, text in comments
        )
        people = list(Participation.objects.filter(round=round_).values_list("user_id", flat=True))
        shuffle(people)
        Participation.objects.filter(round=round_).delete()
        Participation.objects.bulk_create(
            Participation(round=round_, user_id=user_id) for user_id in people
        )
        Round.objects.filter(pk=round_.pk).update(sealed_at=now)
    _vacuum([Tally, RoundUnit, Comment, Participation])


def sealed_figures(
    *,
    parent: Mapping[int, int | None],
    respondents: Mapping[int, int],
    histograms: list[tuple[int, int, list[int]]],
    k: int,
) -> tuple[dict[int, int | None], dict[tuple[int, int], list[int]]]:
    """What sealing keeps of a round: for every unit the group its people see, and its
    histograms per question with everything below it."""
    groups = disclose(parent=parent, direct=respondents, k=k).groups()
    return groups, roll_up_questions(parent, histograms)


def roll_up_questions(
    parent: Mapping[int, int | None], rows: list[tuple[int, int, list[int]]]
) -> dict[tuple[int, int], list[int]]:
    """Histograms per (unit, question) with everything below the unit, from each unit's own
    (`rows` of unit, question and counts): all questions side by side, in one pass."""
    width = len(SCALE)
    column = {q: i * width for i, q in enumerate(sorted({q for _unit, q, _c in rows}))}
    direct: dict[int, list[int]] = {}
    for unit, question, counts in rows:
        row = direct.setdefault(unit, [0] * width * len(column))
        row[column[question] : column[question] + width] = counts
    rolled = roll_up(parent, direct, width=width * len(column))
    return {
        (unit, question): rolled[unit][start : start + width]
        for unit in parent
        for question, start in column.items()
    }


def _totals(counts: list[int]) -> dict[str, int]:
    return {f"t{value}": counts[value - 1] for value in SCALE}


def _vacuum(models_: list[type]) -> None:
    """PostgreSQL keeps the old versions of rewritten rows until a vacuum; SQLite overwrites
    deleted content itself (secure_delete) and updates rows in place."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f'VACUUM "{model._meta.db_table}"')  # type: ignore[attr-defined]


# --- From results to action ------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    unit: Unit,
    round_: Round,
    question: Question,
    title: str,
    owner: User,
    due_date: date | None,
    status: str,
) -> Action:
    """Make a team goal of something the team chose from a round's results."""
    goal = goal_create(unit=unit, title=title, owner=owner, due_date=due_date, status=status)
    return Action.objects.create(goal=goal, question=question, round=round_)


def home_units() -> dict[int, int]:
    """Everyone's home unit (organisation.models.HOME_UNIT_ORDER), for anonymous counts."""
    home: dict[int, int] = {}
    for user_id, unit_id in Membership.objects.order_by("user_id", *HOME_UNIT_ORDER).values_list(
        "user_id", "unit_id"
    ):
        home.setdefault(user_id, unit_id)
    return home


# --- Check-in energy ---------------------------------------------------------------------------


@transaction.atomic
def energy_count(*, week: date, now: datetime | None = None) -> EnergyWeek:
    """Count a finished week's check-in energy into histograms per unit, with the tree as it
    is now; the worker does so once, when the week's check-ins can no longer change. Each
    person counts once, in their home unit."""
    now = now or timezone.now()
    units = list(Unit.objects.values_list("pk", "parent_id", "name"))
    home = home_units()
    counts: dict[int, list[int]] = {pk: [0] * len(SCALE) for pk, _up, _name in units}
    for owner_id, energy in CheckIn.objects.filter(
        week=week, energy__isnull=False, owner__is_active=True
    ).values_list("owner_id", "energy"):
        if owner_id in home and energy is not None and energy in SCALE:
            counts[home[owner_id]][energy - 1] += 1
    parent = {pk: up for pk, up, _name in units}
    group_of = disclose(parent=parent, direct={pk: sum(c) for pk, c in counts.items()}).groups()
    rolled = roll_up(parent, counts, width=len(SCALE))
    energy_week, _created = EnergyWeek.objects.update_or_create(
        week=week, defaults={"counted_at": now}
    )
    energy_week.tallies.all().delete()
    EnergyTally.objects.bulk_create(
        (
            EnergyTally(
                week=energy_week,
                unit_id=pk,
                parent_id=parent_id,
                name=name,
                group_id=group_of[pk],
                **{f"c{value}": counts[pk][value - 1] for value in SCALE},
                **_totals(rolled[pk]),
            )
            for pk, parent_id, name in units
        ),
        batch_size=2000,
    )
    return energy_week


# --- Administration ---------------------------------------------------------------------------


@transaction.atomic
def question_save(*, actor: User | None, question: Question) -> Question:
    creating = question.pk is None
    question.save()
    audit_record(
        actor=actor,
        action="pulse_question.create" if creating else "pulse_question.update",
        target=question,
    )
    return question


@transaction.atomic
def survey_save(
    *, actor: User | None, survey: Survey, units: list[Unit], questions: list[Question]
) -> Survey:
    """Save a survey with its audience and its questions, in the bank's order. Rounds already
    opened keep the questions they opened with."""
    creating = survey.pk is None
    survey.save()
    survey.units.set(units)
    survey.items.all().delete()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, question=question, position=position)
        for position, question in enumerate(sorted(questions, key=lambda q: (q.position, q.pk)))
    )
    audit_record(
        actor=actor,
        action="pulse_survey.create" if creating else "pulse_survey.update",
        target=survey,
        data={"units": [unit.pk for unit in units], "questions": [q.pk for q in questions]},
    )
    return survey
