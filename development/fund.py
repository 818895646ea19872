"""The rules of an application draft to Den Kommunale Kompetencefond, as plain Python: the
fund's terms (from settings, never from code), the estimate of the fund's share and the
workplace's, and the warnings about when the course starts.

The fund co-finances education for municipal employees covered by an agreement between KL and
one of the unions in the fund: it pays a share of the costs (course fee, transport, materials)
up to a most per person within 12 months, and the workplace pays the rest. The application
must reach the fund before the education starts, and at the earliest some months before.
Those figures change between agreements, so they are settings; what the draft shows are
estimates for the person to check with the fund.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import date_label

# The costs of a draft, in the order the draft lists them.
COSTS = ("course_fee", "transport", "materials")


@dataclass(frozen=True)
class FundTerms:
    """What the fund pays and when it takes applications."""

    share_percent: int
    max_amount: int
    covers: frozenset[str]
    warn_days_before: int
    months_ahead: int


def terms_from_settings() -> FundTerms:
    return FundTerms(
        share_percent=settings.SPARRING_FUND_SHARE_PERCENT,
        max_amount=settings.SPARRING_FUND_MAX_AMOUNT,
        covers=frozenset(settings.SPARRING_FUND_COVERS),
        warn_days_before=settings.SPARRING_FUND_WARN_DAYS_BEFORE,
        months_ahead=settings.SPARRING_FUND_MONTHS_AHEAD,
    )


@dataclass(frozen=True)
class Estimate:
    """The costs of a course shared between the fund and the workplace, in whole kroner.
    `fund_share` is the amount to apply for; `capped` says the fund's most cut it."""

    total: int
    covered: int
    fund_share: int
    workplace_share: int
    capped: bool


def estimate(*, costs: dict[str, int], terms: FundTerms) -> Estimate:
    """The fund pays its share of the costs it covers, rounded down to whole kroner (it pays
    at most that share), and never more than its most; the workplace pays the rest of all
    the costs."""
    total = sum(costs.get(name, 0) for name in COSTS)
    covered = sum(costs.get(name, 0) for name in COSTS if name in terms.covers)
    share = covered * terms.share_percent // 100
    fund_share = min(share, terms.max_amount)
    return Estimate(
        total=total,
        covered=covered,
        fund_share=fund_share,
        workplace_share=total - fund_share,
        capped=share > terms.max_amount,
    )


def months_later(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier, for a negative number); the last
    day of the month where the month is shorter (31 May + 9 months is 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def timing_warnings(*, starts_on: date | None, today: date, terms: FundTerms) -> list[str]:
    """What the person should know about when the course starts, seen from `today`: warnings,
    never refusals, since a draft may be written at any time."""
    if starts_on is None:
        return [
            _(
                "The draft has no start date. The fund needs it, and the application must "
                "reach the fund before the education starts."
            )
        ]
    days = (starts_on - today).days
    if days <= 0:
        return [
            _(
                "The start date is %(date)s. The fund supports no education applied for after it "
                "has started: the application must reach the fund by the day before."
            )
            % {"date": date_label(starts_on)}
        ]
    if days < terms.warn_days_before:
        return [
            ngettext(
                "The education starts in %(days)d day. Apply at once: the application must "
                "reach the fund before the start, and its answer may take a couple of weeks.",
                "The education starts in %(days)d days. Apply at once: the application must "
                "reach the fund before the start, and its answer may take a couple of weeks.",
                days,
            )
            % {"days": days}
        ]
    if starts_on > months_later(today, terms.months_ahead):
        return [
            ngettext(
                "The education starts more than %(months)d month from now. The fund takes "
                "applications at the earliest %(months)d month before the start: from %(date)s.",
                "The education starts more than %(months)d months from now. The fund takes "
                "applications at the earliest %(months)d months before the start: from %(date)s.",
                terms.months_ahead,
            )
            % {
                "months": terms.months_ahead,
                "date": date_label(first_day_to_apply(starts_on, terms)),
            }
        ]
    return []


def first_day_to_apply(starts_on: date, terms: FundTerms) -> date:
    """The first day the fund takes an application for a course starting on `starts_on`: the
    first day from which the start is at most `months_ahead` months away."""
    day = months_later(starts_on, -terms.months_ahead)
    while months_later(day, terms.months_ahead) < starts_on:
        day += timedelta(days=1)
    return day
