"""The weekly check-in reminder: on a team's check-in day, one gentle nudge to those who have
not written this week's check-in yet. Once a week at most; no streaks, no nagging."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from checkins.models import CheckIn, ReminderRound, week_of
from notifications.scheduler import periodic
from notifications.services import notify_each_once
from organisation.models import Unit
from teamwork.models import DEFAULT_CHECKIN_WEEKDAY, REMIND_FROM


@periodic("checkin_reminder")
def remind_to_check_in(now: datetime) -> None:
    """On the check-in day of a person's unit (in Copenhagen), remind every active person of
    the unit who has no check-in for the week. The people are found in one query and told in
    bulk; the day is then marked done, so the rest of the day's ticks cost one query each."""
    local = timezone.localtime(now)
    today = local.date()
    if local.time() < REMIND_FROM or ReminderRound.objects.filter(day=today).exists():
        return
    weekday = today.weekday()
    checking_in = Q(team__checkin_weekday=weekday)
    if weekday == DEFAULT_CHECKIN_WEEKDAY:
        checking_in |= Q(team__isnull=True)  # units that never chose a day
    monday = week_of(today)
    # The keys are read whole before anything is written: a query left open while writing is
    # what SQLite refuses with "database is locked" when the site writes at the same time.
    people = list(
        User.objects.filter(is_active=True, memberships__unit__in=Unit.objects.filter(checking_in))
        .exclude(pk__in=CheckIn.objects.filter(week=monday).values("owner_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    year, week, _day = today.isocalendar()
    # Once per person and week, even when a crash or a second worker repeats the round.
    notify_each_once(
        recipients=people,
        kind="checkin_reminder",
        key=f"{year}-W{week:02d}",
        text=_("It is check-in day. How is your week going? It takes a minute."),
        subject=_("Time for this week's check-in"),
        url=reverse("checkins:new"),
    )
    ReminderRound.objects.get_or_create(day=today)
