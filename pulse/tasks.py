"""The pulse in the worker: rounds open on each survey's schedule, the people asked hear of it
once and get one reminder the day before it closes, and closed rounds are sealed.
Imported at start-up by the notifications app."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from checkins.models import week_of
from core.dates import datetime_label_lazy
from notifications.kinds import register_kind
from notifications.scheduler import periodic
from notifications.services import notify_each_once
from organisation.models import Membership
from pulse.models import EnergyWeek, OpenParticipation, Round, RoundUnit, Survey
from pulse.services import energy_count, round_open, round_seal, storage_settle

register_kind(
    "pulse_round",
    label=_("Wellbeing surveys"),
    description=_("A wellbeing round opens for you, and a reminder the day before it closes."),
)

# Rounds open in the working day, in Copenhagen.
OPENS_AT = time(8, 0)
REMIND_BEFORE_CLOSE = timedelta(days=1)
# How far back a week's energy is still counted when no worker ran at the time.
CATCH_UP_WEEKS = 6


def scheduled_opening(survey: Survey, number: int) -> datetime:
    """When the survey's round `number` (from 1) opens."""
    day = survey.starts_on + timedelta(weeks=survey.every_weeks * (number - 1))
    return timezone.make_aware(datetime.combine(day, OPENS_AT))


@periodic("pulse_rounds")
def run_pulse_rounds(now: datetime) -> None:
    for survey in Survey.objects.filter(is_active=True):
        _open_due_round(survey, now)
    for round_ in Round.objects.open_at(now).filter(announced_at__isnull=True):
        _tell(round_, "open", now)
    remind = Round.objects.open_at(now).filter(
        reminded_at__isnull=True, closes_at__lte=now + REMIND_BEFORE_CLOSE
    )
    for round_ in remind:
        _tell(round_, "last", now)
    global _settle_owed
    for round_ in Round.objects.filter(closes_at__lte=now, sealed_at__isnull=True):
        _settle_owed = round_seal(round_=round_, now=now) or _settle_owed
    if _settle_owed:
        # Once for every round sealed in this tick (a checkpoint holds up writers). Raising
        # leaves it owed: the scheduler logs the failure, and the next tick tries again.
        storage_settle()
        _settle_owed = False


# True when the files may still hold traces of rounds sealed by this process, and at start:
# a worker that stopped between sealing and settling settles on its first tick.
_settle_owed = True


def _open_due_round(survey: Survey, now: datetime) -> None:
    """Open the latest round whose time has come, unless it exists; rounds missed while no
    worker ran are skipped rather than opened late."""
    if scheduled_opening(survey, 1) > now:
        return
    period = timedelta(weeks=survey.every_weeks)
    number = int((now - scheduled_opening(survey, 1)) / period) + 1
    opens_at = scheduled_opening(survey, number)
    if opens_at + timedelta(days=survey.round_days) <= now:
        return  # that round's days have passed already
    if survey.rounds.filter(number__gte=number).exists():
        return
    # Another worker may open it at the same moment; the unique round number keeps one.
    with suppress(IntegrityError):
        round_open(survey=survey, opens_at=opens_at, number=number)


def _tell(round_: Round, occasion: str, now: datetime) -> None:
    units = RoundUnit.objects.filter(round=round_).values("unit_id")
    # Read whole before writing: no query stays open while people are told (see checkins).
    people = list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(unit_id__in=units).values("user_id"),
        )
        .exclude(pk__in=OpenParticipation.objects.filter(round=round_).values("user_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    text = (
        format_lazy(
            _("A wellbeing round is open: {name}. It takes a minute."), name=round_.survey.name
        )
        if occasion == "open"
        else format_lazy(
            _("The wellbeing round {name} closes tomorrow. Your answer counts."),
            name=round_.survey.name,
        )
    )
    subject = (
        format_lazy(
            _("New wellbeing survey: answer by {when}"),
            when=datetime_label_lazy(round_.closes_at),
        )
        if occasion == "open"
        else _("The wellbeing survey closes tomorrow")
    )
    notify_each_once(
        recipients=people,
        kind="pulse_round",
        key=f"pulse-{round_.pk}-{occasion}",
        text=text,
        subject=subject,
        url=round_.get_absolute_url(),
    )
    field = "announced_at" if occasion == "open" else "reminded_at"
    Round.objects.filter(pk=round_.pk).update(**{field: now})


@periodic("pulse_energy")
def run_energy_count(now: datetime) -> None:
    """Count a week's check-in energy once, when its check-ins can no longer be changed.
    Counted earlier and again later, the difference between two counts could show what one
    person changed. Weeks missed while no worker ran are counted for up to a few weeks."""
    editable = timedelta(days=settings.SPARRING_CHECKIN_EDIT_DAYS)
    this_week = week_of(timezone.localdate(now))
    candidates = [this_week - timedelta(weeks=back) for back in range(1, CATCH_UP_WEEKS + 1)]
    counted = set(EnergyWeek.objects.filter(week__in=candidates).values_list("week", flat=True))
    for week in candidates:
        settled = timezone.make_aware(datetime.combine(week + timedelta(weeks=1), time()))
        if week not in counted and settled + editable <= now:
            energy_count(week=week, now=now)
