"""The leader's week in brief, on Monday morning: an e-mail a leader chooses on the notification
choices page (off until they do), with counts and a link to Min side, where the week is."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from home.selectors import LeadersWeek, for_leaders_week
from notifications.kinds import register_kind
from notifications.scheduler import periodic
from notifications.selectors import chosen_by
from notifications.services import notify_once
from organisation.models import Membership

LEADERS_WEEK = register_kind(
    "leaders_week",
    label=_("My week on Mondays"),
    description=_(
        "For leaders: on Monday morning, what waits in your units this week, in numbers, "
        "with a link to My page."
    ),
    in_app=False,
    email=False,
)

# Monday morning in the organisation's time zone: before the working day, after the night.
SEND_FROM = time(7, 0)
# Each leader's week is a dozen queries: a tick tells this many and leaves the rest to the
# next, so the e-mail waiting behind it goes out in between.
PER_TICK = 200


def occasion(now: datetime) -> str | None:
    """The ISO week whose e-mail is due at `now` ("2026-W49"), or None outside Monday
    morning and day: a Monday e-mail that comes on Wednesday is news from last week."""
    local = timezone.localtime(now)
    if local.weekday() != 0 or local.time() < SEND_FROM:
        return None
    iso = local.date().isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@periodic("leaders_week")
def send_leaders_week(now: datetime) -> None:
    """Tell each leader who chose it, once per ISO week (the week is the key, so two ticks or
    two workers tell nobody twice), what waits in their units this week."""
    key = occasion(now)
    if key is None:
        return
    chosen = chosen_by(LEADERS_WEEK, not_told_for=key)
    leaders = list(
        User.objects.filter(
            pk__in=chosen, is_active=True, memberships__role=Membership.Role.LEADER
        ).distinct()[:PER_TICK]
    )
    for leader in leaders:
        week = for_leaders_week(leader, now)
        if week is None:
            continue
        week_number = timezone.localtime(now).isocalendar().week
        notify_once(
            recipient=leader,
            kind=LEADERS_WEEK.name,
            key=key,
            text=_summary(week, week_number),
            # The event and the week, nothing anyone wrote (PRODUCT.md, privacy rule 8).
            subject=format_lazy(_("Your week in Sparring, week {week}"), week=week_number),
            url=reverse("home:index"),
        )


def _render_summary(week: LeadersWeek, week_number: int) -> str:
    # Rendered in whatever language is active: the notifications machinery renders a text in
    # the recipient's language.
    text = render_to_string(
        "home/email/leaders_week.txt",
        {"week": week, "week_number": week_number, "base_url": settings.SPARRING_BASE_URL},
    )
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


_summary = lazy(_render_summary, str)
