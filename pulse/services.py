"""Writes about the wellbeing pulse: opening a round, answering it, and sealing it once it
has closed. Each is atomic."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence, Sized
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.models import CheckIn
from core.audit import audit_record
from core.compiled import compiled_query
from organisation.models import HOME_UNIT_ORDER, Membership, Unit
from pulse.anonymity import disclose, roll_up
from pulse.models import (
    SCALE,
    Action,
    Comment,
    EnergyTally,
    EnergyWeek,
    OpenComment,
    OpenParticipation,
    OpenTally,
    Participation,
    Question,
    Round,
    RoundUnit,
    Survey,
    SurveyQuestion,
    Tally,
    random_key,
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
    tree of its units as it is now, and empty running counters for every unit and question."""
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
    OpenTally.objects.bulk_create(
        (OpenTally(round=round_, unit_id=unit.pk, question=q) for unit in units for q in questions),
        batch_size=2000,
    )
    return round_


def respondent_unit(round_: Round, user: User) -> int | None:
    """The unit of the round's tree a person answers for: their home unit among the round's
    units (organisation.models.HOME_UNIT_ORDER). None when they are not in the audience.

    Two small queries, the person's own units and which of them the round has, so the cost
    of an answer does not grow with the tree. (One query with a correlated EXISTS took twice
    as long on PostgreSQL.)"""
    # Kept on the round as read for this request: the answer page asks before its form and
    # pulse_answer again before it counts.
    known: dict[int, int | None] = round_.__dict__.setdefault("_respondent_units", {})
    if user.pk not in known:
        units = _units_of(user_id=user.pk)
        in_round = set(_in_round(round_id=round_.pk, unit_ids=units))
        known[user.pk] = next((unit_id for unit_id in units if unit_id in in_round), None)
    return known[user.pk]


# An answer's reads, compiled once (core.compiled): a round open to a municipality takes
# thousands of answers an hour, most in the first minutes.


@compiled_query
def _units_of(user_id: int) -> models.QuerySet[Any]:
    return (
        Membership.objects.filter(user_id=user_id)
        .order_by(*HOME_UNIT_ORDER)
        .values_list("unit_id", flat=True)
    )


@compiled_query
def _in_round(round_id: int, unit_ids: list[int]) -> models.QuerySet[Any]:
    return RoundUnit.objects.filter(round_id=round_id, unit_id__in=unit_ids).values_list(
        "unit_id", flat=True
    )


@compiled_query
def _question_ids(round_id: int) -> models.QuerySet[Any]:
    return Round.questions.through.objects.filter(round_id=round_id).values_list(
        "question_id", flat=True
    )


def pulse_answer(
    *,
    round_: Round,
    user: User,
    answers: Mapping[int, int],
    comment: str = "",
    now: datetime | None = None,
) -> None:
    """Record that `user` answered, and add their answers to the running counters of their
    unit. Nothing written here links the two: the answers are counts, the comment a row with
    a random key, and none of it carries a time. All of it lives in the open tables until the
    round is sealed (see round_seal)."""
    if not round_.is_open(now or timezone.now()):
        raise PulseError(_("This round is closed."))
    unit_id = respondent_unit(round_, user)
    if unit_id is None:
        raise PulseError(_("This survey is not for your unit."))
    question_ids = set(_question_ids(round_id=round_.pk))
    if set(answers) != question_ids:
        raise PulseError(_("Answer every question."))
    if any(value not in SCALE for value in answers.values()):
        raise PulseError(_("An answer is from 1 to 5."))
    try:
        _answer_write(round_=round_, user=user, unit_id=unit_id, answers=answers, comment=comment)
    except IntegrityError:
        # The participation is written first: a second answer fails before it counts.
        raise PulseError(_("You have already answered this round.")) from None


@transaction.atomic
def _answer_write(
    *, round_: Round, user: User, unit_id: int, answers: Mapping[int, int], comment: str
) -> None:
    OpenParticipation.objects.create(round=round_, user=user)
    # One statement for the round: each point of the scale adds one on the questions that
    # chose it. It locks the unit's counter rows in the index's order, the same for everyone.
    # Written out, as the ORM's Case and When took a tenth of an answer's time to compile.
    chose: dict[int, list[int]] = {}
    for question_id, value in answers.items():
        chose.setdefault(value, []).append(question_id)
    sets = ", ".join(
        f"c{value} = c{value} + CASE WHEN question_id IN ({_placeholders(ids)}) THEN 1 ELSE 0 END"
        for value, ids in chose.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {OpenTally._meta.db_table} SET {sets} "  # noqa: S608 (no input in it)
            f"WHERE round_id = %s AND unit_id = %s AND question_id IN ({_placeholders(answers)})",
            [
                *(pk for ids in chose.values() for pk in ids),
                round_.pk,
                unit_id,
                *answers,
            ],
        )
        counted = cursor.rowcount
    if counted != len(answers):
        # Sealed while this answer waited for the open tables: its counters are gone.
        raise PulseError(_("This round is closed."))
    if comment.strip() and round_.survey.comments:
        OpenComment.objects.create(round=round_, unit_id=unit_id, text=comment.strip())


def _placeholders(values: Sized) -> str:
    return ", ".join(["%s"] * len(values))


# The open tables, in the order pulse_answer writes them: sealing locks them in this order.
OPEN_MODELS: tuple[type[models.Model], ...] = (OpenParticipation, OpenTally, OpenComment)


def round_seal(*, round_: Round, now: datetime | None = None) -> bool:
    """After a round has closed: decide once what the anonymity engine shows of it, and write
    the round's sealed rows in one transaction and in random order: for every unit the group
    its people see and its respondents, every histogram with everything below it, the
    comments with new random keys, and who answered. Then empty the open tables, so that no
    row, row version, index entry or freed page still orders or links the answers. Returns
    whether it sealed the round. The caller settles the files afterwards (storage_settle),
    once for all rounds it sealed. See docs/privacy.md."""
    now = now or timezone.now()
    if now < round_.closes_at or round_.sealed_at is not None:
        return False
    shuffle = random.Random(secrets.randbits(64)).shuffle  # noqa: S311 (an order, not a key)
    with transaction.atomic():
        _lock_open_tables()
        locked = Round.objects.select_for_update().filter(pk=round_.pk, sealed_at__isnull=True)
        if not list(locked.values_list("pk", flat=True)):
            return False  # another worker sealed it meanwhile
        units = list(RoundUnit.objects.filter(round=round_).only("pk", "unit_id", "parent_id"))
        tallies = list(
            OpenTally.objects.filter(round=round_).values_list(
                "unit_id", "question_id", "c1", "c2", "c3", "c4", "c5"
            )
        )
        respondents = dict.fromkeys((unit.unit_id for unit in units), 0)
        for unit_id, _q, *counts in tallies:
            # Everyone answers every question: a question's answers are the respondents.
            respondents[unit_id] = max(respondents.get(unit_id, 0), sum(counts))
        group_of, rolled = sealed_figures(
            parent={unit.unit_id: unit.parent_id for unit in units},
            respondents=respondents,
            histograms=[(unit, q, counts) for unit, q, *counts in tallies],
            k=round_.k,
        )
        shuffle(tallies)
        _insert(
            Tally,
            ["round_id", "unit_id", "question_id", *(f"c{v}" for v in SCALE)]
            + [f"t{v}" for v in SCALE],
            (
                [round_.pk, unit_id, question_id, *counts, *rolled[unit_id, question_id]]
                for unit_id, question_id, *counts in tallies
            ),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE pulse_roundunit SET respondents = %s, group_id = %s WHERE id = %s",
                [(respondents[unit.unit_id], group_of[unit.unit_id], unit.pk) for unit in units],
            )
        comments = list(OpenComment.objects.filter(round=round_).values_list("unit_id", "text"))
        shuffle(comments)
        _insert(
            Comment,
            ["id", "round_id", "unit_id", "text"],
            ((random_key(), round_.pk, unit_id, text) for unit_id, text in comments),
        )
        people = list(
            OpenParticipation.objects.filter(round=round_).values_list("user_id", flat=True)
        )
        shuffle(people)
        _insert(Participation, ["round_id", "user_id"], ((round_.pk, p) for p in people))
        _empty_open_tables(sealed=round_)
        Round.objects.filter(pk=round_.pk).update(sealed_at=now)
    round_.sealed_at = now
    return True


def _lock_open_tables() -> None:
    """Make answers to every round wait until sealing commits: rows read to be kept must be
    the rows there are when the tables are emptied. SQLite's IMMEDIATE transactions hold the
    whole database already."""
    if connection.vendor == "postgresql":
        tables = ", ".join(f'"{model._meta.db_table}"' for model in OPEN_MODELS)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")


def _empty_open_tables(*, sealed: Round) -> None:
    """Empty the open tables entirely and write back the rows of rounds still open.

    Deleting only the sealed round's rows is not enough. PostgreSQL would leave their old
    versions in the pages (VACUUM marks them free but does not wipe them); TRUNCATE gives the
    tables new, empty files. On SQLite, secure_delete zeroes what is deleted, and deleting
    everything frees every page of the tables and their indexes, where a partial delete can
    leave stale index entries behind."""
    columns = {model: [str(f.column) for f in model._meta.concrete_fields] for model in OPEN_MODELS}
    kept = {
        model: list(
            model._default_manager.exclude(round=sealed).values_list(
                *[f.attname for f in model._meta.concrete_fields]
            )
        )
        for model in OPEN_MODELS
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(f'"{model._meta.db_table}"' for model in OPEN_MODELS)
            # Checks of keys deferred to the commit must run first: TRUNCATE refuses a table
            # with pending ones (a round opened and sealed in one transaction, as the demo's).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for model in OPEN_MODELS:
                cursor.execute(f'DELETE FROM "{model._meta.db_table}"')  # noqa: S608 (our tables)
    for model, rows in kept.items():
        _insert(model, columns[model], rows)


def _insert(model: type[models.Model], columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows in the order given, in one COPY on PostgreSQL and one executemany on
    SQLite: for the tens of thousands of rows of a municipal round, several times faster
    than bulk_create, which splits them into statements of a few dozen rows on SQLite."""
    rows = list(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg's executemany still sends one statement per row.
            table = quote(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def storage_settle() -> None:
    """After sealing: on SQLite, copy the write-ahead log into the database and truncate it,
    so that the page versions it held in the order answers were written are gone. It waits
    at most a couple of seconds for readers; when it cannot finish it raises, and the worker
    tries again on its next tick. Once per tick, not per round: a checkpoint holds up writers.
    PostgreSQL needs nothing here: sealing gave the open tables new files."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        timeout = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 2000")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    if busy:
        raise StorageBusyError("The write-ahead log is in use; it is truncated on a later tick.")


class StorageBusyError(RuntimeError):
    """A reader kept the write-ahead log from being truncated."""


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
