"""The pulse's figures for other programs and spreadsheets, written from the same reads as
the pages, so that a figure reads the same wherever it is shown: an average with one decimal,
and nothing for a group the anonymity engine hides."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.dates import week_label
from core.spreadsheet import as_text
from organisation.models import Unit
from pulse.models import Question
from pulse.selectors import ReportRow, UnitResults


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def results_json(unit: Unit, results: UnitResults) -> dict[str, Any]:
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "surveys": [
            {
                "id": survey.pk,
                "name": survey.name,
                "confidential": survey.confidential,
                "rounds": [
                    {
                        "number": result.round.number,
                        "closed": result.round.closes_at.isoformat(),
                        "shown_for": (
                            None
                            if result.group is None
                            else {"id": result.group, "name": result.group_name}
                        ),
                        "respondents": result.respondents,
                        "average": _number(result.average),
                        "questions": [
                            {
                                "id": item.question.pk,
                                "theme": item.question.theme,
                                "text": item.question.text,
                                "counts": item.counts,
                                "average": _number(item.average),
                            }
                            for item in result.questions
                        ],
                        "comments": result.comments,
                    }
                    for result in rounds
                ],
            }
            for survey, rounds in results.surveys
        ],
        "energy": [
            {
                "week": week.week.isoformat(),
                "shown_for": (
                    None if week.group is None else {"id": week.group, "name": week.group_name}
                ),
                "respondents": week.respondents,
                "counts": week.counts if week.group is not None else None,
                "average": _number(week.average),
            }
            for week in results.energy
        ],
        "actions": [
            {
                "title": action.goal.title,
                "question": action.question_id,
                "round": action.round.number if action.round else None,
                "owner": action.goal.owner.get_full_name() or action.goal.owner.get_username(),
                "due_date": action.goal.due_date.isoformat() if action.goal.due_date else None,
                "status": action.goal.status,
            }
            for action in results.actions
        ],
    }


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else formats.number_format(value, decimal_pos=1)


def results_rows(results: UnitResults) -> Iterator[list[Any]]:
    """One row per question and round, then one per week of energy: the same figures as the
    page, with averages written the Danish way."""
    yield [
        _("Survey"),
        _("Round"),
        _("Closed"),
        _("Shown for"),
        _("Answers"),
        _("Theme"),
        _("Question"),
        "1",
        "2",
        "3",
        "4",
        "5",
        _("Average"),
    ]
    for survey, rounds in results.surveys:
        for result in rounds:
            start = [
                as_text(survey.name),
                result.round.number,
                formats.date_format(
                    timezone.localtime(result.round.closes_at), "SHORT_DATE_FORMAT"
                ),
                as_text(result.group_name),
                "" if result.respondents is None else result.respondents,
            ]
            if not result.questions:
                yield [*start, "", "", "", "", "", "", "", ""]
            for item in result.questions:
                yield [
                    *start,
                    item.question.get_theme_display(),
                    as_text(item.question.text),
                    *item.counts,
                    _decimal(item.average),
                ]
    for week in results.energy:
        yield [
            _("Energy in check-ins"),
            week_label(week.week),
            "",
            as_text(week.group_name),
            "" if week.respondents is None else week.respondents,
            "",
            _("My energy this week"),
            *(week.counts if week.group is not None else [""] * 5),
            _decimal(week.average),
        ]


def report_rows(questions: list[Question], rows: list[ReportRow]) -> Iterator[list[Any]]:
    yield [_("Unit"), _("Level"), _("Answers"), *(as_text(q.text) for q in questions)]
    for row in rows:
        yield [
            as_text(row.name),
            row.depth + 1,
            "" if row.respondents is None else row.respondents,
            *(_decimal(mean) for mean in row.averages),
        ]
