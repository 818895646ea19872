"""Wellbeing history on top of the municipal demo: a survey for the whole organisation with
26 closed rounds of 10 questions, answered by about three in four people each round, and the
last six weeks of check-in energy counted. Also the comparison the issue asks for: the same
round's report rolled up from raw answers, one row per answer, as a pulse without histograms
would have to store them."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from checkins.models import current_week
from organisation.models import Unit
from pulse.anonymity import Disclosure, disclose, roll_up
from pulse.models import (
    Comment,
    Participation,
    Question,
    Round,
    RoundUnit,
    Survey,
    Tally,
    scale_mean,
)
from pulse.services import energy_count, home_units, sealed_figures

RAW_TABLE = "bench_raw_answer"
SURVEY_NAME = "Trivsel i kommunen"
COMMENTS = [
    "Vi hjælper hinanden, også når der er travlt.",
    "Der er for mange opgaver på én gang.",
    "Gode møder, men for mange af dem.",
    "Tak for en tydelig retning fra ledelsen.",
]


@transaction.atomic
def pulse_history_create(*, rounds: int = 26, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    questions = list(Question.objects.filter(is_active=True).order_by("position", "pk")[:10])
    roots = list(Unit.objects.filter(parent__isnull=True))
    survey = Survey.objects.create(
        name=SURVEY_NAME,
        starts_on=(now - timedelta(weeks=2 * rounds + 2)).date(),
        every_weeks=2,
        round_days=5,
    )
    survey.units.set(roots)
    for position, question in enumerate(questions):
        survey.items.create(question=question, position=position)

    units = list(Unit.objects.values_list("pk", "parent_id", "name"))
    home = home_units()
    people_of: dict[int, list[int]] = {}
    for user_id, unit_id in home.items():
        people_of.setdefault(unit_id, []).append(user_id)
    # Each unit has a mood of its own that drifts a little from round to round.
    mood = {pk: rng.uniform(2.6, 4.4) for pk, _up, _name in units}

    made: Counter[str] = Counter()
    last_counts: dict[tuple[int, int], list[int]] = {}
    for number in range(1, rounds + 1):
        opens_at = now - timedelta(weeks=2 * (rounds - number + 1))
        round_ = Round.objects.create(
            survey=survey,
            number=number,
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=5),
            announced_at=opens_at,
            reminded_at=opens_at + timedelta(days=4),
            sealed_at=opens_at + timedelta(days=5),
        )
        round_.questions.set(questions)
        answered: dict[int, list[int]] = {
            pk: [user for user in people_of.get(pk, []) if rng.random() < 0.75]
            for pk, _up, _name in units
        }
        drawn_counts: dict[tuple[int, int], list[int]] = {}
        for pk, _up, _name in units:
            mood[pk] = min(4.8, max(1.8, mood[pk] + rng.uniform(-0.15, 0.15)))
            n = len(answered[pk])
            for i, question in enumerate(questions):
                centre = mood[pk] + (i % 3 - 1) * 0.3
                weights = [1 / (1 + (value - centre) ** 2) for value in range(1, 6)]
                drawn = Counter(rng.choices(range(1, 6), weights, k=n))
                drawn_counts[pk, question.pk] = [drawn[value] for value in range(1, 6)]
        if number == rounds:
            last_counts = drawn_counts
        # What sealing the round decides and keeps (pulse.services.round_seal), computed here
        # so that 26 rounds need not be rewritten row by row.
        group_of, rolled = sealed_figures(
            parent={pk: up for pk, up, _name in units},
            respondents={pk: len(answered[pk]) for pk, _up, _name in units},
            histograms=[(pk, q, counts) for (pk, q), counts in drawn_counts.items()],
            k=round_.k,
        )
        RoundUnit.objects.bulk_create(
            (
                RoundUnit(
                    round=round_,
                    unit_id=pk,
                    parent_id=up,
                    name=name,
                    respondents=len(answered[pk]),
                    group_id=group_of[pk],
                )
                for pk, up, name in units
            ),
            batch_size=2000,
        )
        tallies = [
            Tally(
                round=round_,
                unit_id=pk,
                question=question,
                **{f"c{v}": drawn_counts[pk, question.pk][v - 1] for v in range(1, 6)},
                **{f"t{v}": rolled[pk, question.pk][v - 1] for v in range(1, 6)},
            )
            for pk, _up, _name in units
            for question in questions
        ]
        made["tallies"] += len(Tally.objects.bulk_create(tallies, batch_size=5000))
        people = [user for users in answered.values() for user in users]
        rng.shuffle(people)
        made["participations"] += len(
            Participation.objects.bulk_create(
                (Participation(round=round_, user_id=user) for user in people), batch_size=5000
            )
        )
        made["comments"] += len(
            Comment.objects.bulk_create(
                (
                    Comment(round=round_, unit_id=pk, text=rng.choice(COMMENTS))
                    for pk, users in answered.items()
                    for _user in users
                    if rng.random() < 0.1
                ),
                batch_size=5000,
            )
        )
    made["rounds"] = rounds
    made["raw answers (last round)"] = _raw_answers_create(round_, last_counts)
    week = current_week()
    for back in range(1, 7):
        energy_count(week=week - timedelta(weeks=back))
    made["weeks of energy"] = 6
    return dict(made)


def _raw_answers_create(round_: Round, counts: dict[tuple[int, int], list[int]]) -> int:
    """The round's answers as rows of their own, indexed as a report over them would need."""
    rows = [
        (round_.pk, unit_id, question_id, value)
        for (unit_id, question_id), per_value in counts.items()
        for value, count in enumerate(per_value, start=1)
        for _ in range(count)
    ]
    random.Random(1).shuffle(rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {RAW_TABLE} (round_id bigint NOT NULL, unit_id bigint NOT NULL, "
            "question_id bigint NOT NULL, value smallint NOT NULL)"
        )
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                f"INSERT INTO {RAW_TABLE} VALUES (%s, %s, %s, %s)", rows[start : start + 10_000]
            )
        cursor.execute(f"CREATE INDEX {RAW_TABLE}_unit ON {RAW_TABLE} (round_id, unit_id)")
    return len(rows)


def naive_report(round_: Round) -> dict[int, list[float | None]]:
    """The report's averages rolled up from raw answers: for each unit, one aggregate over the
    answers of everyone in its subtree, then the same anonymity rules. What a pulse without
    histograms does; the benchmark checks it gives the same figures."""
    disclosure = _disclosure(round_)
    parent = disclosure.parent
    questions = list(round_.questions.order_by("pk").values_list("pk", flat=True))
    means: dict[int, list[float | None]] = {}
    with connection.cursor() as cursor:
        for unit in parent:
            if not disclosure.is_shown(unit):
                means[unit] = [None] * len(questions)
                continue
            subtree = disclosure.subtree(unit)
            marks = ", ".join(["%s"] * len(subtree))
            cursor.execute(
                f"SELECT question_id, SUM(value), COUNT(*) FROM {RAW_TABLE} "
                f"WHERE round_id = %s AND unit_id IN ({marks}) GROUP BY question_id",
                [round_.pk, *subtree],
            )
            found: dict[int, Any] = {q: (total, n) for q, total, n in cursor.fetchall()}
            means[unit] = [
                found[q][0] / found[q][1] if q in found and found[q][1] else None for q in questions
            ]
    return means


def grouped_raw_report(round_: Round) -> dict[int, list[float | None]]:
    """The same averages from raw answers, a better way: one grouped scan of the round's
    answers into histograms per unit, rolled up the tree in Python, as the histograms are.
    What building the histograms on every view would cost."""
    disclosure = _disclosure(round_)
    parent = disclosure.parent
    questions = list(round_.questions.order_by("pk").values_list("pk", flat=True))
    counts: dict[int, dict[int, list[int]]] = {q: {} for q in questions}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, question_id, value, COUNT(*) FROM {RAW_TABLE} "
            "WHERE round_id = %s GROUP BY unit_id, question_id, value",
            [round_.pk],
        )
        for unit, question, value, n in cursor.fetchall():
            counts[question].setdefault(unit, [0] * 5)[value - 1] = n
    rolled = {q: roll_up(parent, counts[q], width=5) for q in questions}
    return {
        unit: [
            scale_mean(rolled[q][unit]) if disclosure.is_shown(unit) else None for q in questions
        ]
        for unit in parent
    }


def _disclosure(round_: Round) -> Disclosure[int]:
    """What the engine shows of the round, decided afresh from its tree: the raw-answer
    roll-ups must agree with what sealing kept."""
    rows = list(
        RoundUnit.objects.filter(round=round_).values_list("unit_id", "parent_id", "respondents")
    )
    parent = {unit: up for unit, up, _n in rows}
    return disclose(parent=parent, direct={unit: n for unit, _up, n in rows}, k=round_.k)


def report_page_rows(html: str) -> list[list[str]]:
    """The rows of the report page's table as a reader sees them: the unit's name, then the
    answers (without the Danish thousands separator, as in the CSV) and the averages (a dash
    where none is shown); what is there for a screen reader or as a marker (the level, the
    arrow, the units below) is left out."""
    reader = _ReportTable()
    reader.feed(html)
    return [[name, answers.replace(".", ""), *means] for name, answers, *means in reader.rows]


def report_csv_rows(content: bytes) -> list[list[str]]:
    """The rows of the report's CSV in the same form: name, answers, averages."""
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return [[name, *(cell or "–" for cell in figures)] for name, _level, *figures in lines[1:]]


class _ReportTable(HTMLParser):
    HIDDEN = {"sr-only", "unit-toggle", "unit-children"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        # For each open span, whether its text is left out.
        self._spans: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._body = True
        elif self._body and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []
        elif tag == "span":
            classes = set((dict(attrs).get("class") or "").split())
            self._spans.append(bool(classes & self.HIDDEN))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._spans:
            self._spans.pop()
        elif tag in ("th", "td") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._body = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not any(self._spans):
            self._cell.append(data)
