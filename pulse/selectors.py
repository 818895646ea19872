"""Reads about the pulse for the pages that show it. Every figure goes through the anonymity
engine; results exist only for rounds that have closed, so nobody can watch a group's figures
change as one colleague answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, Q, Sum, When
from django.http import Http404
from django.utils import timezone

from organisation.models import Membership
from pulse.anonymity import Disclosure, disclose, roll_up, shuffled
from pulse.models import (
    SCALE,
    Action,
    Comment,
    EnergyTally,
    EnergyWeek,
    Question,
    Round,
    RoundUnit,
    Survey,
    SurveyQuestion,
    Tally,
)
from pulse.services import respondent_unit
from teamwork.models import Goal


def open_rounds_for(user: Any) -> list[Round]:
    """Rounds open now for one of the person's units that they have not answered yet."""
    my_units = Membership.objects.filter(user=user).values("unit_id")
    return list(
        Round.objects.open_at(timezone.now())
        .filter(units__unit_id__in=my_units)
        .exclude(participations__user=user)
        .select_related("survey")
        .distinct()
        .order_by("closes_at")
    )


def answerable_round_or_404(user: Any, round_id: int) -> Round:
    """A round the person is asked in (open or not); anyone else gets 404."""
    try:
        round_ = Round.objects.select_related("survey").get(pk=round_id)
    except Round.DoesNotExist:
        raise Http404 from None
    if respondent_unit(round_, user) is None:
        raise Http404
    return round_


def round_questions(round_: Round) -> list[Question]:
    """The round's questions in the survey's order."""
    return questions_by_round([round_])[round_.pk]


def questions_by_round(rounds: list[Round]) -> dict[int, list[Question]]:
    """Each round's questions in its survey's order, in two queries for any number of rounds."""
    order = {
        (survey_id, question_id): position
        for survey_id, question_id, position in SurveyQuestion.objects.filter(
            survey_id__in={round_.survey_id for round_ in rounds}
        ).values_list("survey_id", "question_id", "position")
    }
    survey_of = {round_.pk: round_.survey_id for round_ in rounds}
    found: dict[int, list[Question]] = {round_.pk: [] for round_ in rounds}
    for link in Round.questions.through.objects.filter(round__in=rounds).select_related("question"):
        found[link.round_id].append(link.question)
    for round_id, questions in found.items():
        questions.sort(key=lambda q: (order.get((survey_of[round_id], q.pk), q.position), q.pk))
    return found


@dataclass(frozen=True)
class RoundTree:
    """A round's tree of units as it opened, and what the anonymity engine lets be shown."""

    disclosure: Disclosure[int]
    names: dict[int, str]


def round_trees(rounds: list[Round]) -> dict[int, RoundTree]:
    """Each round's tree and disclosure, in at most one query. A closed round's never
    changes, so it is kept in memory once read."""
    now = timezone.now()
    trees: dict[int, RoundTree] = {}
    missing = []
    for round_ in rounds:
        tree = _remembered.get(_round_key(round_)) if round_.closes_at <= now else None
        if tree is None:
            missing.append(round_)
        else:
            trees[round_.pk] = tree
    rows: dict[int, list[tuple[int, int | None, str, int]]] = {r.pk: [] for r in missing}
    if missing:
        for round_id, unit_id, parent_id, name, respondents in RoundUnit.objects.filter(
            round__in=missing
        ).values_list("round_id", "unit_id", "parent_id", "name", "respondents"):
            rows[round_id].append((unit_id, parent_id, name, respondents))
    for round_ in missing:
        parent = {unit_id: up for unit_id, up, _name, _n in rows[round_.pk]}
        direct = {unit_id: n for unit_id, _up, _name, n in rows[round_.pk]}
        names = {unit_id: name for unit_id, _up, name, _n in rows[round_.pk]}
        tree = RoundTree(disclose(parent=parent, direct=direct, k=round_.k), names)
        trees[round_.pk] = tree
        if round_.closes_at <= now:
            _remembered.put(_round_key(round_), tree)
    return trees


def _round_key(round_: Round) -> tuple[object, ...]:
    return ("round", connection.settings_dict["NAME"], round_.pk, round_.closes_at, round_.k)


class _Remembered:
    """What the pages read of closed rounds and counted weeks, which never changes: kept per
    process, the most recently used first, so that a results page does not rebuild the trees
    of 1,500 units on every view."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[object, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: tuple[object, ...], value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


# A tree of 1,500 units takes about half a megabyte; a group's result is small.
_remembered = _Remembered(size=64)
_remembered_results = _Remembered(size=4096)


def forget_remembered() -> None:
    """Drop what is kept in memory (tests reuse ids in a fresh database)."""
    _remembered.clear()
    _remembered_results.clear()


def disclosure_for(round_: Round) -> tuple[Disclosure[int], dict[int, str]]:
    """What may be shown of a round, and the names of its units as the round saw them."""
    tree = round_trees([round_])[round_.pk]
    return tree.disclosure, tree.names


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    counts: list[int]

    @property
    def respondents(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> Decimal | None:
        return one_decimal(_mean(self.counts))


@dataclass(frozen=True)
class RoundResult:
    round: Round
    group: int | None  # the unit whose figures are shown, or None when none may be
    group_name: str
    respondents: int | None
    questions: list[QuestionResult]
    comments: list[str]

    @property
    def overall(self) -> float | None:
        """The average over all questions' answers, or None when nothing may be shown."""
        counts = [q.counts for q in self.questions]
        return _mean([sum(column) for column in zip(*counts, strict=True)])

    @property
    def average(self) -> Decimal | None:
        return one_decimal(self.overall)


def one_decimal(mean: float | None) -> Decimal | None:
    """An average as every page, API response and export writes it: one decimal, halves up."""
    if mean is None:
        return None
    return Decimal(repr(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def results_for(
    rounds: list[Round], unit_id: int, *, comments_for: frozenset[int] = frozenset()
) -> list[RoundResult]:
    """A unit's results for closed rounds, in the order given: for each round its own
    group's figures, or its nearest shown unit's above when it is too small, or nothing;
    comments for the rounds in `comments_for`. A fixed number of queries for any number of
    rounds, and none for a closed round's group read before. Every page, API response and
    export of a unit's results reads them here."""
    trees = round_trees(rounds)
    now = timezone.now()
    found: dict[int, RoundResult] = {}
    groups: dict[int, tuple[int, list[int]]] = {}
    for round_ in rounds:
        disclosure = trees[round_.pk].disclosure
        group = disclosure.shown_group_for(unit_id) if unit_id in disclosure.parent else None
        if group is None:
            found[round_.pk] = RoundResult(round_, None, "", None, [], [])
            continue
        known = _remembered_results.get(_result_key(round_, group, comments_for))
        if known is not None and round_.closes_at <= now:
            found[round_.pk] = known
        else:
            groups[round_.pk] = (group, disclosure.subtree(group))
    if not groups:
        return [found[round_.pk] for round_ in rounds]

    def _in_group(round_id: int) -> Q:
        units = groups[round_id][1]
        if len(units) == len(trees[round_id].disclosure.parent):
            return Q(round_id=round_id)  # all of the round: no list of its units
        return Q(round_id=round_id, unit_id__in=units)

    sums: dict[tuple[int, int], list[int]] = {}
    where = Q()
    for round_id in groups:
        where |= _in_group(round_id)
    for row in (
        Tally.objects.filter(where)
        .values("round_id", "question_id")
        .annotate(s1=Sum("c1"), s2=Sum("c2"), s3=Sum("c3"), s4=Sum("c4"), s5=Sum("c5"))
    ):
        sums[row["round_id"], row["question_id"]] = [
            row["s1"],
            row["s2"],
            row["s3"],
            row["s4"],
            row["s5"],
        ]
    comments: dict[int, list[tuple[int, str]]] = {}
    wanted = Q()
    for round_ in rounds:
        if round_.pk in groups and round_.pk in comments_for and round_.survey.comments:
            wanted |= _in_group(round_.pk)
    if wanted:
        for round_id, pk, text in Comment.objects.filter(wanted).values_list(
            "round_id", "pk", "text"
        ):
            comments.setdefault(round_id, []).append((pk, text))
    chosen = [round_ for round_ in rounds if round_.pk in groups]
    questions = questions_by_round(chosen)
    secret = settings.SECRET_KEY.encode()
    for round_ in chosen:
        group = groups[round_.pk][0]
        tree = trees[round_.pk]
        mixed = shuffled(comments.get(round_.pk, []), secret=secret, key=lambda row: f"{row[0]}")
        found[round_.pk] = RoundResult(
            round_,
            group,
            tree.names[group],
            tree.disclosure.respondents(group),
            [
                QuestionResult(q, sums.get((round_.pk, q.pk), [0] * len(SCALE)))
                for q in questions[round_.pk]
            ],
            [text for _pk, text in mixed],
        )
        if round_.closes_at <= now:
            _remembered_results.put(_result_key(round_, group, comments_for), found[round_.pk])
    return [found[round_.pk] for round_ in rounds]


def _result_key(round_: Round, group: int, comments_for: frozenset[int]) -> tuple[object, ...]:
    return ("result", *_round_key(round_), group, round_.pk in comments_for)


def result_for(round_: Round, unit_id: int, *, with_comments: bool = False) -> RoundResult:
    """A unit's results for one closed round."""
    comments_for = frozenset({round_.pk}) if with_comments else frozenset()
    return results_for([round_], unit_id, comments_for=comments_for)[0]


def closed_rounds_for_unit(unit_id: int, *, rounds: int = 6) -> list[tuple[Survey, list[Round]]]:
    """For each survey that asked the unit, its latest closed rounds, newest first."""
    closed = (
        Round.objects.filter(units__unit_id=unit_id, closes_at__lte=timezone.now())
        .select_related("survey")
        .order_by("survey__name", "survey_id", "-number")
    )
    by_survey: dict[int, list[Round]] = {}
    for round_ in closed:
        by_survey.setdefault(round_.survey_id, []).append(round_)
    return [(latest[0].survey, latest[:rounds]) for latest in by_survey.values()]


def results_for_unit(unit_id: int, *, rounds: int = 6) -> list[tuple[Survey, list[RoundResult]]]:
    """For each survey that asked the unit: its latest closed rounds, newest first, with the
    comments of the newest."""
    by_survey = closed_rounds_for_unit(unit_id, rounds=rounds)
    chosen = [round_ for _survey, latest in by_survey for round_ in latest]
    newest = frozenset(latest[0].pk for _survey, latest in by_survey)
    found = {r.round.pk: r for r in results_for(chosen, unit_id, comments_for=newest)}
    return [(survey, [found[round_.pk] for round_ in latest]) for survey, latest in by_survey]


@dataclass(frozen=True)
class ReportRow:
    unit_id: int
    name: str
    depth: int
    respondents: int | None  # None: hidden by the anonymity engine
    means: list[float | None]

    @property
    def indent(self) -> str:
        return "– " * self.depth

    @property
    def averages(self) -> list[Decimal | None]:
        return [one_decimal(mean) for mean in self.means]


def report_roots(round_: Round, user: Any) -> list[int]:
    """The units of a round's tree whose report `user` may read, each with everything below:
    the whole tree for administrators, the units they lead for leaders, none for others."""
    in_round = RoundUnit.objects.filter(round=round_)
    if getattr(user, "is_administrator", False):
        return list(in_round.filter(parent_id__isnull=True).values_list("unit_id", flat=True))
    led = Membership.objects.filter(user=user, role=Membership.Role.LEADER).values("unit_id")
    return list(in_round.filter(unit_id__in=led).values_list("unit_id", flat=True))


def round_report(round_: Round, roots: list[int]) -> tuple[list[Question], list[ReportRow]]:
    """The heatmap of a closed round below `roots`: each unit's average per question, from
    the histograms rolled up the round's tree in one pass, for the groups the engine shows."""
    disclosure, names = disclosure_for(round_)
    questions = round_questions(round_)
    # Each unit's histograms of all questions side by side, rolled up the tree in one pass.
    width = len(SCALE)
    column = {q.pk: i * width for i, q in enumerate(questions)}
    direct: dict[int, list[int]] = {}
    for unit_id, question_id, *counts in Tally.objects.filter(round=round_).values_list(
        "unit_id", "question_id", "c1", "c2", "c3", "c4", "c5"
    ):
        if question_id in column:
            row = direct.setdefault(unit_id, [0] * width * len(questions))
            row[column[question_id] : column[question_id] + width] = counts
    rolled = roll_up(disclosure.parent, direct, width=width * len(questions))
    rows: list[ReportRow] = []
    seen: set[int] = set()
    stack = [(root, 0) for root in sorted(roots, key=lambda pk: names[pk], reverse=True)]
    while stack:
        unit_id, depth = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        shown = disclosure.is_shown(unit_id)
        rows.append(
            ReportRow(
                unit_id,
                names[unit_id],
                depth,
                disclosure.respondents(unit_id),
                [
                    _mean(rolled[unit_id][column[q.pk] : column[q.pk] + width]) if shown else None
                    for q in questions
                ],
            )
        )
        below = sorted(disclosure.children[unit_id], key=lambda pk: names[pk], reverse=True)
        stack.extend((child, depth + 1) for child in below)
    return questions, rows


def report_or_404(user: Any, round_id: int) -> tuple[Round, list[Question], list[ReportRow]]:
    """A closed round's report below the units `user` may read it for; anyone else, and any
    round still open, gets 404."""
    round_ = Round.objects.select_related("survey").filter(pk=round_id).first()
    if round_ is None or timezone.now() < round_.closes_at:
        raise Http404
    roots = report_roots(round_, user)
    if not roots:
        raise Http404
    return round_, *round_report(round_, roots)


def _mean(counts: list[int]) -> float | None:
    answers = sum(counts)
    return sum(i * c for i, c in enumerate(counts, start=1)) / answers if answers else None


def reports_for(user: Any, *, limit: int = 10) -> list[Round]:
    """The latest closed rounds whose report the person may read (as leader or
    administrator)."""
    closed = Round.objects.filter(closes_at__lte=timezone.now()).select_related("survey")
    if not getattr(user, "is_administrator", False):
        led = Membership.objects.filter(user=user, role=Membership.Role.LEADER).values("unit_id")
        closed = closed.filter(units__unit_id__in=led).distinct()
    return list(closed.order_by("-closes_at")[:limit])


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
        return one_decimal(_mean(self.counts) if self.group is not None else None)

    @property
    def iso_week(self) -> str:
        return str(self.week.isocalendar().week)


def energy_trend(unit_id: int, *, weeks: int = 6) -> list[EnergyResult]:
    """The energy people gave in their check-ins over the latest counted weeks, oldest
    first, for the unit's group or the nearest shown one above it: the anonymity engine
    decides each week on its own, with k at its default."""
    chosen = list(EnergyWeek.objects.order_by("-week")[:weeks])
    trees = {w.pk: _remembered.get(_energy_key(w)) for w in chosen}
    missing = [w for w in chosen if trees[w.pk] is None]
    if missing:
        rows: dict[int, list[tuple[int, int | None, str, list[int]]]] = {w.pk: [] for w in missing}
        for week_id, unit, up, name, *counts in EnergyTally.objects.filter(
            week__in=missing
        ).values_list("week_id", "unit_id", "parent_id", "name", "c1", "c2", "c3", "c4", "c5"):
            rows[week_id].append((unit, up, name, counts))
        for w in missing:
            parent = {unit: up for unit, up, _name, _counts in rows[w.pk]}
            direct = {unit: sum(counts) for unit, _up, _name, counts in rows[w.pk]}
            trees[w.pk] = EnergyTree(
                disclose(parent=parent, direct=direct),
                {unit: name for unit, _up, name, _counts in rows[w.pk]},
                {unit: counts for unit, _up, _name, counts in rows[w.pk]},
            )
            _remembered.put(_energy_key(w), trees[w.pk])
    trend = []
    for w in reversed(chosen):
        tree = trees[w.pk]
        assert tree is not None
        group = tree.disclosure.shown_group_for(unit_id) if unit_id in tree.names else None
        if group is None:
            trend.append(EnergyResult(w.week, None, "", [0] * len(SCALE)))
            continue
        below = [tree.counts[unit] for unit in tree.disclosure.subtree(group)]
        totals = [sum(column) for column in zip(*below, strict=True)]
        trend.append(EnergyResult(w.week, group, tree.names[group], totals))
    return trend


@dataclass(frozen=True)
class EnergyTree:
    """A counted week: its tree, what the engine shows of it, and each unit's own counts."""

    disclosure: Disclosure[int]
    names: dict[int, str]
    counts: dict[int, list[int]]


def _energy_key(week: EnergyWeek) -> tuple[object, ...]:
    return ("energy", connection.settings_dict["NAME"], week.pk, week.counted_at)


def actions_for_unit(user: Any, unit_id: int) -> list[Action]:
    """The team's actions from its results that `user` may see, open ones first."""
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


def unit_results(user: Any, unit_id: int) -> UnitResults:
    """A unit's results as `user` reads them; the view has checked they may open the unit."""
    return UnitResults(
        results_for_unit(unit_id), energy_trend(unit_id), actions_for_unit(user, unit_id)
    )


def action_source_or_404(
    unit_id: int, round_id: int, question_id: int
) -> tuple[Round, RoundResult, QuestionResult]:
    """A question of a closed round that asked the unit, with the figures the unit sees of
    it; anything else, or a round whose figures the unit may not see, 404."""
    round_ = (
        Round.objects.filter(pk=round_id, units__unit_id=unit_id, closes_at__lte=timezone.now())
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
