"""Reads about the pulse for the pages that show it. Every figure goes through the anonymity
engine; results exist only for rounds that have closed, so nobody can watch a group's figures
change as one colleague answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from organisation.models import Membership
from pulse.anonymity import Disclosure, disclose, roll_up, shuffled
from pulse.models import Comment, Question, Round, RoundUnit, Survey, Tally
from pulse.services import respondent_unit


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
    order = dict(round_.survey.items.values_list("question_id", "position"))
    questions = list(round_.questions.all())
    return sorted(questions, key=lambda q: (order.get(q.pk, q.position), q.pk))


def disclosure_for(round_: Round) -> tuple[Disclosure[int], dict[int, str]]:
    """What may be shown of a round, and the names of its units as the round saw them."""
    rows = list(
        RoundUnit.objects.filter(round=round_).values_list(
            "unit_id", "parent_id", "name", "respondents"
        )
    )
    parent = {unit_id: parent_id for unit_id, parent_id, _name, _n in rows}
    direct = {unit_id: n for unit_id, _parent, _name, n in rows}
    names = {unit_id: name for unit_id, _parent, name, _n in rows}
    return disclose(parent=parent, direct=direct, k=round_.survey.k), names


def _subtree(parent: dict[int, int | None], top: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for node, up in parent.items():
        if up is not None:
            children.setdefault(up, []).append(node)
    found, stack = [], [top]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(children.get(node, []))
    return found


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    counts: list[int]

    @property
    def respondents(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float:
        return sum(i * c for i, c in enumerate(self.counts, start=1)) / max(self.respondents, 1)


@dataclass(frozen=True)
class RoundResult:
    round: Round
    group: int | None  # the unit whose figures are shown, or None when none may be
    group_name: str
    respondents: int | None
    questions: list[QuestionResult]
    comments: list[str]

    @property
    def overall(self) -> float:
        """The average over all questions' answers."""
        answers = sum(item.respondents for item in self.questions)
        total = sum(item.mean * item.respondents for item in self.questions)
        return total / max(answers, 1)


def result_for(round_: Round, unit_id: int, *, with_comments: bool = False) -> RoundResult:
    """A unit's results for one closed round: its own group's, or its parent's when it is too
    small, or nothing."""
    disclosure, names = disclosure_for(round_)
    group = disclosure.shown_group_for(unit_id) if unit_id in disclosure.parent else None
    if group is None:
        return RoundResult(round_, None, "", None, [], [])
    units = _subtree(dict(disclosure.parent), group)
    sums = {
        row["question"]: [row["s1"], row["s2"], row["s3"], row["s4"], row["s5"]]
        for row in Tally.objects.filter(round=round_, unit_id__in=units)
        .values("question")
        .annotate(s1=Sum("c1"), s2=Sum("c2"), s3=Sum("c3"), s4=Sum("c4"), s5=Sum("c5"))
    }
    questions = [
        QuestionResult(question, sums.get(question.pk, [0] * 5))
        for question in round_questions(round_)
    ]
    comments: list[str] = []
    if with_comments and round_.survey.comments:
        rows = list(
            Comment.objects.filter(round=round_, unit_id__in=units).values_list("pk", "text")
        )
        secret = settings.SECRET_KEY.encode()
        comments = [
            text
            for _pk, text in shuffled(rows, secret=secret, key=lambda row: f"{round_.pk}:{row[0]}")
        ]
    return RoundResult(
        round_, group, names[group], disclosure.respondents(group), questions, comments
    )


def results_for_unit(unit_id: int, *, rounds: int = 6) -> list[tuple[Survey, list[RoundResult]]]:
    """For each survey that asked the unit: its latest closed rounds, newest first, with the
    comments of the newest."""
    now = timezone.now()
    closed = (
        Round.objects.filter(units__unit_id=unit_id, closes_at__lte=now)
        .select_related("survey")
        .order_by("survey__name", "-number")
    )
    by_survey: dict[int, list[Round]] = {}
    for round_ in closed:
        by_survey.setdefault(round_.survey_id, []).append(round_)
    return [
        (
            latest[0].survey,
            [
                result_for(round_, unit_id, with_comments=index == 0)
                for index, round_ in enumerate(latest[:rounds])
            ],
        )
        for latest in by_survey.values()
    ]


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
    direct: dict[int, dict[int, list[int]]] = {q.pk: {} for q in questions}
    for unit_id, question_id, *counts in Tally.objects.filter(round=round_).values_list(
        "unit_id", "question_id", "c1", "c2", "c3", "c4", "c5"
    ):
        direct[question_id][unit_id] = counts
    rolled = {q: roll_up(disclosure.parent, direct[q], width=5) for q in direct}
    children: dict[int, list[int]] = {}
    for node, up in disclosure.parent.items():
        if up is not None:
            children.setdefault(up, []).append(node)
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
                [_mean(rolled[q.pk][unit_id]) if shown else None for q in questions],
            )
        )
        below = sorted(children.get(unit_id, []), key=lambda pk: names[pk], reverse=True)
        stack.extend((child, depth + 1) for child in below)
    return questions, rows


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
