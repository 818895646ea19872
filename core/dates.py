"""Dates, times and weeks as people read them, in the active language (docs/glossary.md):
"2. december 2026", "2. dec. 2026 kl. 14.05", "uge 49, 2026" in Danish, and "2 December
2026", "2 Dec 2026, 14:05", "Week 49, 2026" in English. Templates use the named formats
(`|date:"DATE_FORMAT"`, `|date:"DATETIME_FORMAT"`) and the `week` filter; code that writes
text, such as a notification, uses these functions. The formats themselves are in
sparring/formats."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache

from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext


def date_label(day: date | datetime) -> str:
    """A day: "2. december 2026". A moment counts by its day in Copenhagen."""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date()
    return _day_in(day, get_language())


@lru_cache(maxsize=4096)
def _day_in(day: date, language: str | None) -> str:
    # A day is written the same in a language every time: Django's date format took 20 to 40
    # µs to work it out, and Min side writes dozens of due dates.
    return formats.date_format(day, "DATE_FORMAT")


def datetime_label(moment: datetime) -> str:
    """A moment, in Copenhagen: "2. dec. 2026 kl. 14.05"."""
    return _moment_in(moment, timezone.get_current_timezone(), get_language())


@lru_cache(maxsize=4096)
def _moment_in(moment: datetime, zone: tzinfo, language: str | None) -> str:
    # As `_day_in`: a feed writes the moment of each of its twenty thanks, the same thanks on
    # every reader's page, and Django's format took 25 µs for each.
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


def week_label(day: date) -> str:
    """The week a day is in: "uge 49, 2026". As text, so that a template never writes the
    year as a number ("2.026")."""
    iso = day.isocalendar()
    return gettext("Week %(week)s, %(year)s") % {"week": str(iso.week), "year": str(iso.year)}


# For text rendered later in the reader's language, such as a notification to many people.
date_label_lazy = lazy(date_label, str)
datetime_label_lazy = lazy(datetime_label, str)
week_label_lazy = lazy(week_label, str)
