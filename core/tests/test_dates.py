"""One format each for a date, a date with time and a week, in Danish and British English, as
docs/glossary.md writes them; and numbers with a decimal comma in Danish."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import date_label, datetime_label, week_label

# 13:05 UTC is 14:05 in Copenhagen in December.
MOMENT = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)
DAY = date(2026, 12, 2)

TEMPLATE = Template(
    "{% load sparring %}"
    '{{ day|date:"DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}|'
    '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ day|week }}|{{ number }}|{{ big }}'
)

EXPECTED = {
    "da": [
        "2. december 2026",
        "2. dec. 2026 kl. 14.05",
        "2. dec. 2026 kl. 14.05",
        "uge 49, 2026",
        "3,5",
        "25.000",
    ],
    "en": [
        "2 December 2026",
        "2 Dec 2026, 14:05",
        "2 Dec 2026, 14:05",
        "Week 49, 2026",
        "3.5",
        "25,000",
    ],
}


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_template_writes_a_date_a_date_with_time_and_a_week_as_the_glossary_says(language):
    with translation.override(language):
        context = Context({"day": DAY, "moment": MOMENT, "number": 3.5, "big": 25000})
        assert TEMPLATE.render(context).split("|") == EXPECTED[language]


@pytest.mark.parametrize("language", ["da", "en"])
def test_code_writes_them_the_same_way(language):
    with translation.override(language):
        assert [date_label(DAY), datetime_label(MOMENT), week_label(DAY)] == [
            EXPECTED[language][0],
            EXPECTED[language][1],
            EXPECTED[language][3],
        ]


def test_a_moment_counts_by_its_day_in_copenhagen():
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on New Year's Day there
    with translation.override("da"):
        assert date_label(late) == "1. januar 2027"
        assert datetime_label(late) == "1. jan. 2027 kl. 00.30"
        assert week_label(date(2027, 1, 1)) == "uge 53, 2026"  # ISO: the week of 28 December


def test_months_that_are_not_shortened_keep_their_whole_name_in_danish():
    with translation.override("da"):
        assert datetime_label(datetime(2026, 5, 4, 8, 0, tzinfo=UTC)) == "4. maj 2026 kl. 10.00"


def test_a_day_is_written_in_the_language_active_each_time():
    # The day's words are kept per language: the same day in turn in both, twice.
    for _ in range(2):
        for language, expected in (("da", "2. december 2026"), ("en", "2 December 2026")):
            with translation.override(language):
                assert date_label(date(2026, 12, 2)) == expected
