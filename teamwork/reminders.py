"""The reminder to revisit a team's working agreements on the date the team chose."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.scheduler import periodic
from notifications.services import notify_each_once
from teamwork.models import REMIND_FROM, Team


@periodic("agreement_revisit")
def remind_to_revisit_agreements(now: datetime) -> None:
    """On or after a team's revisit date (in Copenhagen), tell its people once. A team whose
    reminders for that date have gone out is marked, so later ticks skip it; a new date
    brings a new reminder."""
    local = timezone.localtime(now)
    if local.time() < REMIND_FROM:
        return  # in working hours, like the check-in reminder, not at midnight
    today = local.date()
    due = Team.objects.filter(agreements_revisit_on__lte=today).exclude(
        agreements_reminded_on=F("agreements_revisit_on")
    )
    for team in due:
        revisit_on = team.agreements_revisit_on
        assert revisit_on is not None  # the filter above
        url = reverse("teamwork:agreements", kwargs={"unit_id": team.unit_id})
        people = list(
            User.objects.filter(is_active=True, memberships__unit_id=team.unit_id)
            .values_list("pk", flat=True)
            .distinct()
        )
        # The key names the team too: someone in two teams gets both teams' reminders.
        notify_each_once(
            recipients=people,
            kind="agreement_revisit",
            key=f"unit-{team.unit_id}-{revisit_on.isoformat()}",
            text=_("It is time for your team to look at its working agreements again."),
            subject=_("Time to revisit your team's working agreements"),
            url=url,
        )
        Team.objects.filter(pk=team.pk, agreements_revisit_on=revisit_on).update(
            agreements_reminded_on=revisit_on
        )
