"""Reminders of development plans, run by the worker on every tick (notifications.scheduler).
Each is sent once, whatever the number of ticks or workers: the row records that it was sent
(`reflection_reminded_at`, `follow_up_reminded_at`) and notify_once's key keeps the first.
Texts name what kind of thing and when, never what anyone wrote (PRODUCT.md, privacy rule 8).

- an activity marked done and not reflected on is recalled a few days after, so the person is
  asked for a reflection within 14 days of finishing (the page asks at once);
- a plan's follow-up date is recalled a week ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import date_label_lazy
from development.models import Activity, ActivityKind, ActivityStatus, DevelopmentPlan
from notifications.kinds import register_kind
from notifications.scheduler import periodic
from notifications.services import notify_once

# The reflection: asked for on the page when the activity is marked done, and recalled this
# many days after if not written. A worker that was down catches up until REFLECT_BY, the 14
# days the person is asked within; later, the activity is left alone.
REFLECT_AFTER = timedelta(days=3)
REFLECT_BY = timedelta(days=14)
# The follow-up: recalled this long before its day, and still until CATCH_UP after it, for a
# date set late or a worker that was down.
FOLLOW_UP_AHEAD = timedelta(days=7)
CATCH_UP = timedelta(days=14)

register_kind(
    "development_reflection",
    label=_("Reflections on your development"),
    description=_(
        "A few days after you finished an activity of your development plan, if you have not "
        "written what you learned yet."
    ),
)
register_kind(
    "development_follow_up",
    label=_("Following up your development plan"),
    description=_("A week before the day you set to follow up your development plan."),
)


@periodic("development_reflection")
def remind_to_reflect(now: datetime) -> None:
    """The owner of each activity done REFLECT_AFTER ago or more (and less than REFLECT_BY),
    without a reflection yet, once per time it was marked done."""
    today = timezone.localdate(now)
    due = list(
        Activity.objects.filter(
            status=ActivityStatus.DONE,
            reflected_at__isnull=True,
            reflection_reminded_at__isnull=True,
            done_on__lte=today - REFLECT_AFTER,
            done_on__gt=today - REFLECT_BY,
        )
        .order_by("pk")
        .values_list("pk", "plan__owner_id", "kind", "done_on")
    )
    for pk, owner_id, kind, done_on in due:
        notify_once(
            recipient=User(pk=owner_id),
            kind="development_reflection",
            key=f"reflection-{pk}-{done_on:%Y%m%d}",
            text=format_lazy(
                _(
                    "You finished an activity ({kind}) on {date}. Take a few minutes to write "
                    "what you learned, how you use it and what others can use."
                ),
                kind=ActivityKind(kind).label,
                date=date_label_lazy(done_on),
            ),
            subject=_("Write your reflection on a finished activity"),
            url=reverse("development:activity_reflection", args=[pk]),
        )
        Activity.objects.filter(pk=pk).update(reflection_reminded_at=now)


@periodic("development_follow_up")
def remind_of_follow_up(now: datetime) -> None:
    """The owner of each plan whose follow-up day is within FOLLOW_UP_AHEAD (or passed less
    than CATCH_UP ago), once per follow-up date: a new date is recalled again."""
    today = timezone.localdate(now)
    due = list(
        DevelopmentPlan.objects.filter(
            follow_up_on__lte=today + FOLLOW_UP_AHEAD,
            follow_up_on__gt=today - CATCH_UP,
            follow_up_reminded_at__isnull=True,
            owner__is_active=True,
        )
        .order_by("pk")
        .values_list("pk", "owner_id", "follow_up_on")
    )
    for pk, owner_id, follow_up_on in due:
        assert follow_up_on is not None  # filtered on above
        notify_once(
            recipient=User(pk=owner_id),
            kind="development_follow_up",
            key=f"follow-up-{pk}-{follow_up_on:%Y%m%d}",
            text=format_lazy(
                _(
                    "Your development plan is to be followed up on {date}: look at your goals "
                    "and activities, alone or with your leader."
                ),
                date=date_label_lazy(follow_up_on),
            ),
            subject=_("Time to follow up your development plan"),
            url=reverse("development:plan", args=[pk]),
        )
        DevelopmentPlan.objects.filter(pk=pk).update(follow_up_reminded_at=now)
