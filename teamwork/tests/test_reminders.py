from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from notifications.models import Notification
from notifications.scheduler import registered_tasks
from teamwork import reminders
from teamwork.models import Team

DAY = date(2026, 12, 1)


def at(day):
    return datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))


def reminded():
    return sorted(
        n.recipient.username
        for n in Notification.objects.filter(kind="agreement_revisit").select_related("recipient")
    )


def test_the_worker_runs_the_reminder():
    assert registered_tasks()["agreement_revisit"] is reminders.remind_to_revisit_agreements


def test_the_team_is_reminded_once_on_or_after_the_revisit_date(cast):
    team = Team.objects.create(unit=cast.team, agreements_revisit_on=DAY)
    Team.objects.create(unit=cast.other_team)  # no date

    reminders.remind_to_revisit_agreements(at(date(2026, 11, 30)))
    assert reminded() == []
    reminders.remind_to_revisit_agreements(at(DAY))
    assert reminded() == ["alice", "bob", "lena"]
    n = Notification.objects.filter(recipient=cast.alice).get()
    assert n.url == f"/teams/{cast.team.pk}/agreements/"
    team.refresh_from_db()
    assert team.agreements_reminded_on == DAY

    # Later ticks, and a rerun after a crash before the team was marked: once is once.
    reminders.remind_to_revisit_agreements(at(date(2026, 12, 5)))
    Team.objects.filter(pk=team.pk).update(agreements_reminded_on=None)
    reminders.remind_to_revisit_agreements(at(date(2026, 12, 5)))
    assert Notification.objects.filter(kind="agreement_revisit").count() == 3

    # A new date is a new occasion.
    Team.objects.filter(pk=team.pk).update(agreements_revisit_on=date(2027, 3, 1))
    reminders.remind_to_revisit_agreements(at(date(2027, 3, 2)))
    assert Notification.objects.filter(kind="agreement_revisit").count() == 6
