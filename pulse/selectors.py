"""Reads about the pulse for the pages that show it. Every figure goes through the anonymity
engine; results exist only for rounds that have closed, so nobody can watch a group's figures
change as one colleague answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _

from checkins.selectors import BRING_LIMIT, ToBring
from core.access import led_unit_ids, reader, unit_ids_of
from core.compiled import compiled_query
from core.dates import date_label
from core.tree import Fold, folded
from organisation.models import HOME_UNIT_ORDER, Membership, Unit
from pulse.anonymity import disclose, shuffled, subtree_totals
from pulse.models import (
    SCALE,
    Action,
    Comment,
    EnergyTally,
    EnergyWeek,
    OpenParticipation,
    OpenTally,
    Participation,
    Question,
    Round,
    RoundUnit,
    Survey,
    SurveyQuestion,
    Tally,
    scale_mean,
)
from pulse.services import respondent_unit
from teamwork.models import Goal


def open_rounds_for(user: Any, now: datetime) -> list[Round]:
    """Rounds open at `now` for one of the person's units that they have not answered yet."""
    return _open_rounds_for(user_id=user.pk, now=now)


@compiled_query
def _open_rounds_for(user_id: int, now: datetime) -> QuerySet[Round]:
    my_units = Membership.objects.filter(user_id=user_id).values("unit_id")
    return (
        Round.objects.open_at(now)
        .filter(units__unit_id__in=my_units)
        .exclude(open_participations__user_id=user_id)
        .select_related("survey")
        .distinct()
        .order_by("closes_at")
    )


def has_answered(round_: Round, user: Any) -> bool:
    """Whether the person answered the round: in the open tables while it is open, in the
    sealed ones after."""
    answered = _answered_open if round_.sealed_at is None else _answered_sealed
    return bool(answered(round_id=round_.pk, user_id=user.pk))


def _answered_in(participations: QuerySet[Any], round_id: int, user_id: int) -> QuerySet[Any]:
    return participations.filter(round_id=round_id, user_id=user_id).values_list("pk", flat=True)[
        :1
    ]


@compiled_query
def _answered_open(round_id: int, user_id: int) -> QuerySet[Any]:
    return _answered_in(OpenParticipation.objects.all(), round_id, user_id)


@compiled_query
def _answered_sealed(round_id: int, user_id: int) -> QuerySet[Any]:
    return _answered_in(Participation.objects.all(), round_id, user_id)


def answerable_round_or_404(user: Any, round_id: int) -> Round:
    """A round the person is asked in (open or not); anyone else gets 404."""
    found = _round(round_id=round_id)
    if not found or respondent_unit(found[0], user) is None:
        raise Http404
    return found[0]


@compiled_query
def _round(round_id: int) -> QuerySet[Round]:
    return Round.objects.filter(pk=round_id).select_related("survey")[:1]


def round_questions(round_: Round) -> list[Question]:
    """The round's questions in the survey's order."""
    return questions_by_round([round_])[round_.pk]


# All of a question, in its model's order, read with the rounds that ask it.
QUESTION_COLUMNS = [field.attname for field in Question._meta.concrete_fields]


@compiled_query
def _questions_asked(round_ids: list[int]) -> QuerySet[Any]:
    position = SurveyQuestion.objects.filter(
        survey_id=OuterRef("round__survey_id"), question_id=OuterRef("question_id")
    ).values("position")[:1]
    return (
        Round.questions.through.objects.filter(round_id__in=round_ids)
        .annotate(in_survey=Subquery(position))
        .values_list(
            "round_id",
            "in_survey",
            *(f"question__{name}" for name in QUESTION_COLUMNS),
        )
    )


def questions_by_round(rounds: list[Round]) -> dict[int, list[Question]]:
    """Each round's questions in its survey's order, in one query for any number of rounds.
    Rounds of a survey mostly ask the same questions: each is made into a `Question` once,
    not once per round (six rounds of ten made 120 objects for 10 questions)."""
    found: dict[int, list[tuple[int, Question]]] = {round_.pk: [] for round_ in rounds}
    made: dict[int, Question] = {}
    db = Round.questions.through.objects.db
    for round_id, in_survey, *columns in _questions_asked(round_ids=list(found)):
        # The question's columns begin with its id.
        question = made.get(columns[0])
        if question is None:
            question = made[columns[0]] = Question.from_db(db, QUESTION_COLUMNS, columns)
        # A question the survey no longer has keeps the place it had of its own.
        found[round_id].append((question.position if in_survey is None else in_survey, question))
    return {
        round_id: [question for _place, question in sorted(asked, key=lambda a: (a[0], a[1].pk))]
        for round_id, asked in found.items()
    }


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    counts: list[int]
    change: Decimal | None = None  # since the round in RoundResult.since

    @property
    def respondents(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> Decimal | None:
        return one_decimal(scale_mean(self.counts))


@dataclass(frozen=True)
class RoundResult:
    round: Round
    group: int | None  # the unit whose figures are shown, or None when none may be
    group_name: str
    respondents: int | None
    questions: list[QuestionResult]
    comments: list[str]
    since: Round | None = None  # the older round shown for the same group, if any
    change: Decimal | None = None  # of the average of all questions since then

    @property
    def overall(self) -> float | None:
        """The average over all questions' answers, or None when nothing may be shown."""
        counts = [q.counts for q in self.questions]
        return scale_mean([sum(column) for column in zip(*counts, strict=True)])

    @property
    def average(self) -> Decimal | None:
        return one_decimal(self.overall)


def one_decimal(mean: float | None) -> Decimal | None:
    """An average as every page, API response and export writes it: one decimal, halves up."""
    if mean is None:
        return None
    return Decimal(repr(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _group_figures(round_ids: list[int], unit_id: int) -> list[tuple[Any, ...]]:
    """For each of the rounds, the group the anonymity engine chose for the unit when the
    round was sealed, its name and its tallies: (round, group, name, question, t1 to t5), one
    row a question, or one row with no question for a group without tallies. A round that
    shows the unit nothing has no row. One query, along the unique indexes on (round, unit)."""
    if not round_ids:
        return []
    units, tallies = RoundUnit._meta.db_table, Tally._meta.db_table
    listed = ", ".join(["%s"] * len(round_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT unit.round_id, unit.group_id, grp.name, tally.question_id,
                    tally.t1, tally.t2, tally.t3, tally.t4, tally.t5
                FROM {units} unit
                JOIN {units} grp ON grp.round_id = unit.round_id AND grp.unit_id = unit.group_id
                LEFT JOIN {tallies} tally
                    ON tally.round_id = unit.round_id AND tally.unit_id = unit.group_id
                WHERE unit.unit_id = %s AND unit.round_id IN ({listed})""",  # noqa: S608 (no input in it)
            [unit_id, *round_ids],
        )
        return list(cursor.fetchall())


def results_for(
    rounds: list[Round], unit_id: int, *, comments_for: frozenset[int] = frozenset()
) -> list[RoundResult]:
    """A unit's results for sealed rounds, in the order given: for each round the figures of
    the group the anonymity engine decided on when the round was sealed (the unit's own, or
    the nearest shown unit's above), or nothing; comments for the rounds in `comments_for`.
    A fixed number of queries for any number of rounds. Every page, API response and export
    of a unit's results reads them here."""
    sealed = [round_ for round_ in rounds if round_.sealed_at is not None]
    group_of: dict[int, int] = {}
    names: dict[int, str] = {}
    sums: dict[tuple[int, int], list[int]] = {}
    for round_id, group, name, question_id, *counts in _group_figures(
        [round_.pk for round_ in sealed], unit_id
    ):
        group_of[round_id], names[round_id] = group, name
        if question_id is not None:
            sums[round_id, question_id] = counts
    if not group_of:
        return [RoundResult(round_, None, "", None, [], []) for round_ in rounds]
    comments = _comments(
        [r for r in sealed if r.pk in group_of and r.pk in comments_for and r.survey.comments],
        group_of,
    )
    questions = questions_by_round([round_ for round_ in sealed if round_.pk in group_of])
    results = []
    for round_ in rounds:
        if round_.pk not in group_of:
            results.append(RoundResult(round_, None, "", None, [], []))
            continue
        items = [
            QuestionResult(q, sums.get((round_.pk, q.pk), [0] * len(SCALE)))
            for q in questions[round_.pk]
        ]
        results.append(
            RoundResult(
                round_,
                group_of[round_.pk],
                names[round_.pk],
                # Everyone answers every question: a question's answers are the respondents.
                max((item.respondents for item in items), default=0),
                items,
                comments.get(round_.pk, []),
            )
        )
    return results


def _comments(rounds: list[Round], group_of: dict[int, int]) -> dict[int, list[str]]:
    """The comments of each round's group, in a keyed shuffle: those of the group and every
    unit below it in the round's own tree (as it was when the round opened, not as the
    organisation is now). One query, which walks down from each group along the index on
    (round, parent) instead of reading the whole tree of the round (1,500 units for a leaf
    team's three comments)."""
    if not rounds:
        return {}
    seeds = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint))"] * len(rounds))
    units, comments = RoundUnit._meta.db_table, Comment._meta.db_table
    found: dict[int, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE below(round_id, unit_id) AS (
                    VALUES {seeds}
                    UNION ALL
                    SELECT unit.round_id, unit.unit_id FROM {units} unit
                    JOIN below ON unit.round_id = below.round_id
                        AND unit.parent_id = below.unit_id
                )
                SELECT comment.round_id, comment.id, comment.text FROM {comments} comment
                JOIN below ON comment.round_id = below.round_id
                    AND comment.unit_id = below.unit_id""",  # noqa: S608 (no input in it)
            [value for round_ in rounds for value in (round_.pk, group_of[round_.pk])],
        )
        for round_id, pk, text in cursor.fetchall():
            found.setdefault(round_id, []).append((pk, text))
    secret = settings.SECRET_KEY.encode()
    return {
        round_id: [text for _pk, text in shuffled(rows, secret=secret, key=lambda r: str(r[0]))]
        for round_id, rows in found.items()
    }


def result_for(round_: Round, unit_id: int, *, with_comments: bool = False) -> RoundResult:
    """A unit's results for one closed round."""
    comments_for = frozenset({round_.pk}) if with_comments else frozenset()
    return results_for([round_], unit_id, comments_for=comments_for)[0]


# How many of each survey's latest rounds a unit's results show.
LATEST_ROUNDS = 6


@compiled_query
def _closed_rounds(unit_id: int, now: datetime, rounds: int) -> QuerySet[Round]:
    # Only the latest `rounds` of each survey: a survey that has run for years has asked the
    # unit dozens of times, and reading every round cost more than the figures of those shown.
    latest_first = Window(RowNumber(), partition_by=F("survey_id"), order_by=F("number").desc())
    return (
        Round.objects.filter(units__unit_id=unit_id, closes_at__lte=now)
        .annotate(nth=latest_first)
        .filter(nth__lte=rounds)
        .select_related("survey")
        .order_by("survey__name", "survey_id", "-number")
    )


def closed_rounds_for_unit(
    unit_id: int, *, now: datetime, rounds: int = LATEST_ROUNDS
) -> list[tuple[Survey, list[Round]]]:
    """For each survey that asked the unit, its latest rounds closed by `now`, newest first."""
    by_survey: dict[int, list[Round]] = {}
    for round_ in _closed_rounds(unit_id=unit_id, now=now, rounds=rounds):
        by_survey.setdefault(round_.survey_id, []).append(round_)
    return [(latest[0].survey, latest) for latest in by_survey.values()]


def results_for_unit(
    unit_id: int, *, now: datetime, rounds: int = LATEST_ROUNDS, with_comments: bool = True
) -> list[tuple[Survey, list[RoundResult]]]:
    """For each survey that asked the unit: its latest closed rounds, newest first, with the
    comments of the newest (unless a page shows none), and each round's change since the
    previous one shown."""
    return [
        (survey, with_changes(results))
        for survey, results in _latest_results(unit_id, now, rounds, with_comments)
    ]


def _latest_results(
    unit_id: int, now: datetime, rounds: int, with_comments: bool
) -> list[tuple[Survey, list[RoundResult]]]:
    """`results_for_unit` without the changes."""
    by_survey = closed_rounds_for_unit(unit_id, now=now, rounds=rounds)
    chosen = [round_ for _survey, latest in by_survey for round_ in latest]
    newest = frozenset(latest[0].pk for _survey, latest in by_survey if with_comments)
    found = {r.round.pk: r for r in results_for(chosen, unit_id, comments_for=newest)}
    return [(survey, [found[round_.pk] for round_ in latest]) for survey, latest in by_survey]


def with_changes(results: list[RoundResult]) -> list[RoundResult]:
    """The results (newest first), each with its change since the nearest older round shown
    for the same group. Only figures that are both shown are compared, each as the page
    writes it (one decimal), so a change is never more than the difference of two figures
    on the page; a round with no such predecessor has no change."""
    return [with_change(result, results[i + 1 :]) for i, result in enumerate(results)]


def with_change(result: RoundResult, older: list[RoundResult]) -> RoundResult:
    """`result` with its change since the first of `older` (newest first) shown for the same
    group, as `with_changes` gives it."""
    if result.group is None:
        return result
    before = next((o for o in older if o.group is not None and o.group == result.group), None)
    if before is None:
        return result
    previous = {item.question.pk: item.average for item in before.questions}
    return replace(
        result,
        since=before.round,
        questions=[
            replace(item, change=_difference(item.average, previous.get(item.question.pk)))
            for item in result.questions
        ],
        change=_difference(result.average, before.average),
    )


def _difference(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if now is None or before is None else now - before


@dataclass(frozen=True)
class ReportRow:
    unit_id: int
    name: str
    depth: int
    respondents: int | None  # None: hidden by the anonymity engine
    means: list[float | None]
    fold: Fold

    @property
    def averages(self) -> list[Decimal | None]:
        return [one_decimal(mean) for mean in self.means]


def report_roots(round_: Round, user: Any) -> list[int]:
    """The units of a round's tree whose report `user` may read, each with everything below:
    the whole tree for administrators, the units they lead for leaders, none for others."""
    in_round = RoundUnit.objects.filter(round=round_)
    if getattr(user, "is_administrator", False):
        return list(in_round.filter(parent_id__isnull=True).values_list("unit_id", flat=True))
    led = led_unit_ids(user)
    return list(in_round.filter(unit_id__in=led).values_list("unit_id", flat=True))


# The report opens on the units a person may read it for and two levels below them.
REPORT_OPEN_DEPTH = 2


def round_report(
    round_: Round, roots: list[int], *, open_ids: set[int] | None = None, every_unit: bool = False
) -> tuple[list[Question], list[ReportRow]]:
    """The heatmap of a sealed round below `roots`: each unit's average per question for the
    groups the engine showed when the round was sealed, from the histograms rolled up the
    tree then; a dash for every other unit. The page shows the tree folded (core.tree): the
    roots and two levels below them, and below the units in `open_ids` when it is given, with
    the figures of those units only; `every_unit` gives them all (the CSV)."""
    questions = round_questions(round_)
    units = list(
        RoundUnit.objects.filter(round=round_).values_list(
            "unit_id", "parent_id", "name", "group_id"
        )
    )
    names = {unit_id: name for unit_id, _up, name, _group in units}
    shown = {unit_id for unit_id, _up, _name, group in units if group == unit_id}
    children: dict[int, list[int]] = {}
    for unit_id, up, _name, _group in units:
        if up is not None:
            children.setdefault(up, []).append(unit_id)
    # The tree below the roots in the order of the page, each unit under its parent (None for
    # a root), the units below a unit by name.
    tree: list[tuple[int, int | None, int]] = []
    seen: set[int] = set()
    stack: list[tuple[int, int | None, int]] = [
        (root, None, 0) for root in sorted(roots, key=lambda pk: names[pk], reverse=True)
    ]
    while stack:
        unit_id, up, depth = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        tree.append((unit_id, up, depth))
        below = sorted(children.get(unit_id, []), key=lambda pk: names[pk], reverse=True)
        stack.extend((child, unit_id, depth + 1) for child in below)
    folds = folded(tree, open_ids, open_depth=REPORT_OPEN_DEPTH, every_unit=every_unit)
    tallies = Tally.objects.filter(round=round_)
    if not every_unit:
        tallies = tallies.filter(unit_id__in=[pk for pk in folds if pk in shown])
    totals = {
        (unit_id, question_id): counts
        for unit_id, question_id, *counts in tallies.values_list(
            "unit_id", "question_id", "t1", "t2", "t3", "t4", "t5"
        )
        if unit_id in shown
    }
    rows: list[ReportRow] = []
    for unit_id, _up, depth in tree:
        if unit_id not in folds:
            continue
        figures = [totals.get((unit_id, q.pk), [0] * len(SCALE)) for q in questions]
        rows.append(
            ReportRow(
                unit_id,
                names[unit_id],
                depth,
                # Everyone answers every question: a question's answers are the respondents.
                max(map(sum, figures), default=0) if unit_id in shown else None,
                [scale_mean(counts) if unit_id in shown else None for counts in figures],
                folds[unit_id],
            )
        )
    return questions, rows


def report_or_404(
    user: Any, round_id: int, *, open_ids: set[int] | None = None, every_unit: bool = False
) -> tuple[Round, list[Question], list[ReportRow]]:
    """A sealed round's report below the units `user` may read it for, folded as
    `round_report` says; anyone else, and any round not yet sealed, gets 404."""
    round_ = Round.objects.select_related("survey").filter(pk=round_id).first()
    if round_ is None or round_.sealed_at is None:
        raise Http404
    roots = report_roots(round_, user)
    if not roots:
        raise Http404
    return round_, *round_report(round_, roots, open_ids=open_ids, every_unit=every_unit)


# How many of the latest closed rounds the wellbeing page offers reports of.
REPORTS_SHOWN = 10


def reports_for(user: Any) -> list[Round]:
    """The latest closed rounds whose report the person may read (as leader or
    administrator)."""
    if getattr(user, "is_administrator", False):
        return _reports_of_all()
    return _reports_led_by(user_id=user.pk)


def _sealed_rounds() -> QuerySet[Round]:
    return Round.objects.filter(sealed_at__isnull=False).select_related("survey")


@compiled_query
def _reports_of_all() -> QuerySet[Round]:
    return _sealed_rounds().order_by("-closes_at")[:REPORTS_SHOWN]


@compiled_query
def _reports_led_by(user_id: int) -> QuerySet[Round]:
    led = led_unit_ids(reader(user_id))
    return (
        _sealed_rounds()
        .filter(units__unit_id__in=led)
        .distinct()
        .order_by("-closes_at")[:REPORTS_SHOWN]
    )


@dataclass(frozen=True)
class EnergyResult:
    week: date
    group: int | None  # the unit whose figures are shown, or None when none may be
    group_name: str
    counts: list[int]

    @property
    def respondents(self) -> int | None:
        return sum(self.counts) if self.group is not None else None

    @property
    def average(self) -> Decimal | None:
        return one_decimal(scale_mean(self.counts) if self.group is not None else None)

    @property
    def iso_week(self) -> str:
        return str(self.week.isocalendar().week)


# The most weeks of energy a page shows.
ENERGY_WEEKS = 6


def energy_trend(unit_id: int, *, weeks: int = ENERGY_WEEKS) -> list[EnergyResult]:
    """The energy people gave in their check-ins over the latest counted weeks, oldest
    first, for the group the anonymity engine decided on when the week was counted (the
    unit's own or the nearest shown one above it, with k at its default). One query: the
    weeks, and in each the unit's row naming its group and the group's row with its figures,
    along the unique index on (week, unit)."""
    if not 1 <= weeks <= ENERGY_WEEKS:
        raise ValueError(f"weeks must be 1 to {ENERGY_WEEKS}")
    weeks_table, tallies = EnergyWeek._meta.db_table, EnergyTally._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT chosen.week, unit.group_id, grp.name,
                    grp.t1, grp.t2, grp.t3, grp.t4, grp.t5
                FROM (SELECT id, week FROM {weeks_table} ORDER BY week DESC LIMIT %s) chosen
                LEFT JOIN {tallies} unit ON unit.week_id = chosen.id AND unit.unit_id = %s
                LEFT JOIN {tallies} grp ON grp.week_id = chosen.id AND grp.unit_id = unit.group_id
                ORDER BY chosen.week""",  # noqa: S608 (no input in it)
            [weeks, unit_id],
        )
        rows = cursor.fetchall()
    # A group without its own row (which counting never leaves) shows nothing, as a round's
    # figures do.
    return [
        EnergyResult(week, group, name, counts)
        if group is not None and name is not None
        else EnergyResult(week, None, "", [0] * len(SCALE))
        for week, group, name, *counts in rows
    ]


def actions_for_unit(user: Any, unit_id: int) -> list[Action]:
    """The team's actions from its results that `user` may see, open ones first. One query for
    a team with none, three for one with some."""
    # Most teams have no action: a plain query says so before the access layer's conditions
    # (the units `user` may open) are put together.
    if not Action.objects.filter(goal__team__unit_id=unit_id).exists():
        return []
    return list(
        Action.objects.filter(goal__in=Goal.objects.visible_to(user).filter(team__unit_id=unit_id))
        .select_related("goal__owner", "question", "round")
        .order_by(
            Case(When(goal__status=Goal.Status.DONE, then=1), default=0),
            F("goal__due_date").asc(nulls_last=True),
            "pk",
        )
    )


@dataclass(frozen=True)
class UnitResults:
    """Everything a unit's results page shows, which its API response and CSV read too."""

    surveys: list[tuple[Survey, list[RoundResult]]]
    energy: list[EnergyResult]
    actions: list[Action]

    def actions_by_question(self) -> dict[int, list[Action]]:
        found: dict[int, list[Action]] = {}
        for action in self.actions:
            found.setdefault(action.question_id, []).append(action)
        return found


def unit_results(user: Any, unit_id: int, now: datetime) -> UnitResults:
    """A unit's results as `user` reads them at `now`; the view has checked they may open the
    unit."""
    return UnitResults(
        results_for_unit(unit_id, now=now), energy_trend(unit_id), actions_for_unit(user, unit_id)
    )


def action_source_or_404(
    unit_id: int, round_id: int, question_id: int
) -> tuple[Round, RoundResult, QuestionResult]:
    """A question of a closed round that asked the unit, with the figures the unit sees of
    it; anything else, or a round whose figures the unit may not see, 404."""
    round_ = (
        Round.objects.filter(pk=round_id, units__unit_id=unit_id, sealed_at__isnull=False)
        .select_related("survey")
        .first()
    )
    if round_ is None:
        raise Http404
    result = result_for(round_, unit_id)
    for item in result.questions:
        if item.question.pk == question_id:
            return round_, result, item
    raise Http404


# --- For Min side (the home app calls these) ------------------------------------------------


@dataclass(frozen=True)
class HomeRound:
    """The open round a person is asked in, as Min side shows it."""

    round: Round
    survey_name: str
    closes_at: datetime
    answered: bool
    url: str
    confidential: bool


@compiled_query
def _open_round_ids(now: datetime) -> QuerySet[Any]:
    return Round.objects.open_at(now).order_by("pk").values_list("pk", flat=True)


def open_round_ids(now: datetime) -> list[int]:
    """The rounds open at `now`, for Min side to read once for the member's part and the
    leader's: most of the time there are none, and both parts then read nothing more."""
    return _open_round_ids(now=now)


def open_round_for_home(
    user: Any, now: datetime, *, open_ids: list[int] | None = None
) -> HomeRound | None:
    """The round open at `now` that the person is asked in: the first to close among those
    they have not answered, else the first to close among those they have; None when no
    round asks them. `open_ids` are the rounds open at `now` when the caller has read them.
    One query, and one more when a round is open (none and one with `open_ids`)."""
    if open_ids is None:
        open_ids = open_round_ids(now)
    if not open_ids:
        return None
    found = (
        Round.objects.filter(pk__in=open_ids, units__unit_id__in=unit_ids_of(user))
        .annotate(
            answered=Exists(OpenParticipation.objects.filter(round=OuterRef("pk"), user=user))
        )
        .select_related("survey")
        .distinct()
        .order_by("answered", "closes_at", "pk")
        .first()
    )
    if found is None:
        return None
    return HomeRound(
        found,
        found.survey.name,
        found.closes_at,
        bool(found.answered),  # type: ignore[attr-defined]
        found.get_absolute_url(),
        found.survey.confidential,
    )


@dataclass(frozen=True)
class UnitParticipation:
    """How many of a unit's people (with everything below it) have answered an open round.
    `answered` is None where the anonymity engine would not show the group."""

    unit_id: int
    name: str
    asked: int
    answered: int | None


@dataclass(frozen=True)
class RoundParticipation:
    round: Round
    units: list[UnitParticipation]


def participation_for_leader(
    led_units: list[Unit], now: datetime, *, open_ids: list[int] | None = None
) -> list[RoundParticipation]:
    """For each round open at `now` that asks one of `led_units` (the units the reader leads,
    as `organisation.led_units_of` gives them): "N of M have answered" for each such unit of
    at least the round's k people. A count of respondents is an aggregate like any other
    (docs/privacy.md): it is shown only for a group the anonymity engine shows, run on the
    round's tree with the respondents so far, so no count below k can be worked out by
    subtracting shown ones. The people asked are counted as a round counts them: each in
    their home unit among the round's units. `open_ids` are the rounds open at `now` when
    the caller has read them."""
    if not led_units:
        return []
    if open_ids is None:
        open_ids = open_round_ids(now)
    if not open_ids:
        return []
    led = {unit.pk for unit in led_units}
    rounds = _rounds_asking(round_ids=open_ids, unit_ids=sorted(led))
    return [_participation(round_, led) for round_ in rounds]


@compiled_query
def _rounds_asking(round_ids: list[int], unit_ids: list[int]) -> QuerySet[Round]:
    return (
        Round.objects.filter(pk__in=round_ids, units__unit_id__in=unit_ids)
        .select_related("survey")
        .distinct()
        .order_by("closes_at", "pk")
    )


def _participation(round_: Round, led: set[int]) -> RoundParticipation:
    units = list(RoundUnit.objects.filter(round=round_).values_list("unit_id", "parent_id", "name"))
    parent = {unit_id: up for unit_id, up, _name in units}
    # Everyone answers every question, so one question's counters count the respondents.
    first = Round.questions.through.objects.filter(round=round_).order_by("question_id").first()
    respondents = dict.fromkeys(parent, 0)
    if first is not None:
        for unit_id, *counts in OpenTally.objects.filter(
            round=round_, question_id=first.question_id
        ).values_list("unit_id", "c1", "c2", "c3", "c4", "c5"):
            respondents[unit_id] = sum(counts)
    home: dict[int, int] = {}
    for person, unit_id in (
        Membership.objects.filter(unit_id__in=parent)
        .order_by("user_id", *HOME_UNIT_ORDER)
        .values_list("user_id", "unit_id")
    ):
        home.setdefault(person, unit_id)
    asked_here = dict.fromkeys(parent, 0)
    for unit_id in home.values():
        asked_here[unit_id] += 1
    asked = subtree_totals(parent, asked_here)
    shown = disclose(parent=parent, direct=respondents, k=round_.k)
    rows = [
        UnitParticipation(
            unit_id,
            name,
            asked[unit_id],
            shown.totals[unit_id] if unit_id in shown.shown else None,
        )
        for unit_id, _up, name in sorted(units, key=lambda unit: unit[2])
        if unit_id in led and asked[unit_id] >= round_.k
    ]
    return RoundParticipation(round_, rows)


@dataclass(frozen=True)
class TeamPulse:
    """A unit's latest figures that the anonymity engine shows, for its leader's week."""

    unit_id: int
    name: str
    energy: EnergyResult | None  # the latest week shown
    latest: list[RoundResult]  # per survey, the latest round shown, with its change


def team_pulse_for_leader(led_units: list[Unit], now: datetime) -> list[TeamPulse]:
    """For each of `led_units` (the units the reader leads, as `organisation.led_units_of`
    gives them), its latest shown energy and results by `now`."""
    teams = []
    for unit in led_units:
        energy = [week for week in energy_trend(unit.pk, weeks=1) if week.group is not None]
        latest = []
        # Min side shows figures, never comments: they are not read.
        for _survey, results in _latest_results(unit.pk, now, LATEST_ROUNDS, with_comments=False):
            shown = [result for result in results if result.group is not None]
            if shown:
                # The newest shown, with its change: the only one of the survey's Min side shows.
                latest.append(with_change(shown[0], shown[1:]))
        teams.append(TeamPulse(unit.pk, unit.name, energy[-1] if energy else None, latest))
    return teams


# --- For the survey form ---------------------------------------------------------------------


def survey_audience_size(unit_ids: Iterable[int]) -> int:
    """How many active people a survey for these units would ask: everyone with a place in
    one of them or in a unit below it, each once. One query."""
    paths = list(Unit.objects.active().filter(pk__in=list(unit_ids)).values_list("path", flat=True))
    if not paths:
        return 0
    below = Q()
    for path in paths:
        below |= Q(unit__path__startswith=path)
    return (
        Membership.objects.filter(below, unit__archived_at__isnull=True, user__is_active=True)
        .values("user_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class AdministratorsStartPulse:
    # A wellbeing survey has opened a round: people have been asked.
    has_round: bool
    # Otherwise, when the first running survey opens its first round, if one is set up.
    first_opens_on: date | None


def for_administrators_start() -> AdministratorsStartPulse:
    """The administrator's start: whether the first wellbeing survey is under way."""
    if Round.objects.exists():
        return AdministratorsStartPulse(has_round=True, first_opens_on=None)
    first = (
        Survey.objects.filter(is_active=True)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    return AdministratorsStartPulse(has_round=False, first_opens_on=first)


# --- What a person may bring into a conversation -----------------------------------------------


def _action_to_bring(action: Action) -> ToBring:
    goal = action.goal
    facts = [
        _("Owner: %(name)s") % {"name": goal.owner.display_name},
        str(goal.get_status_display()),
    ]
    if goal.due_date:
        facts.insert(1, _("Due %(date)s") % {"date": date_label(goal.due_date)})
    parts = [
        goal.title,
        _("From the question: %(question)s") % {"question": action.question.text},
        " · ".join(facts),
    ]
    notes = list(goal.notes.all())
    if notes:
        parts.append(_("Latest progress note: %(text)s") % {"text": notes[0].text})
    return ToBring(
        id=action.pk,
        label=_("Team action of %(unit)s: %(title)s")
        % {"unit": goal.team.unit.name, "title": goal.title},
        quote="\n".join(parts),
    )


def _team_actions(person: Any) -> Any:
    """The actions from the wellbeing results of the units `person` belongs to (as member or
    leader), as far as they may read them; open ones first, the nearest due date first."""
    my_units = Membership.objects.filter(user=person).values("unit_id")
    return (
        Action.objects.filter(
            goal__in=Goal.objects.visible_to(person).filter(team__unit_id__in=my_units)
        )
        .select_related("goal__owner", "goal__team__unit", "question")
        .prefetch_related("goal__notes")
        .order_by(
            Case(When(goal__status=Goal.Status.DONE, then=1), default=0),
            F("goal__due_date").asc(nulls_last=True),
            "pk",
        )
    )


def team_actions_to_bring(person: Any, *, limit: int = BRING_LIMIT) -> list[ToBring]:
    """The team actions of `person`'s units they may bring into a conversation: two queries."""
    return [_action_to_bring(action) for action in _team_actions(person)[:limit]]


def team_action_to_bring(person: Any, action_id: int) -> ToBring | None:
    """One team action of `person`'s units, or None."""
    action = _team_actions(person).filter(pk=action_id).first()
    return _action_to_bring(action) if action else None
