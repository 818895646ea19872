from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from checkins import reminders
from checkins.models import CheckIn, ReminderRound, week_of
from notifications.models import Notification
from notifications.scheduler import registered_tasks
from organisation.models import Membership
from teamwork.models import Team

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TUESDAY = date(2026, 12, 1)
THURSDAY = date(2026, 12, 3)


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=COPENHAGEN)


def reminded():
    return sorted(
        n.recipient.username
        for n in Notification.objects.filter(kind="checkin_reminder").select_related("recipient")
    )


def test_the_worker_runs_the_reminder():
    assert registered_tasks()["checkin_reminder"] is reminders.remind_to_check_in


def test_on_the_check_in_day_those_without_a_check_in_are_reminded_once(cast):
    CheckIn.objects.create(owner=cast.bob, week=week_of(TUESDAY), went_well="x")
    # eve's team checks in on Thursdays.
    Team.objects.create(unit=cast.other_team, checkin_weekday=3)

    reminders.remind_to_check_in(at(TUESDAY, hour=7))
    assert reminded() == [], "not before the working day"

    reminders.remind_to_check_in(at(TUESDAY))
    assert reminded() == ["alice", "lena"]
    notification = Notification.objects.filter(recipient=cast.alice).get()
    assert notification.key == "2026-W49" and notification.url == "/checkins/new/"
    assert ReminderRound.objects.filter(day=TUESDAY).exists()

    # Later ticks, another worker, or a crash half-way: nobody hears it twice.
    ReminderRound.objects.all().delete()
    reminders.remind_to_check_in(at(TUESDAY, hour=11))
    assert reminded() == ["alice", "lena"]

    reminders.remind_to_check_in(at(THURSDAY))
    assert reminded() == ["alice", "eve", "lena"]


def test_a_deactivated_person_is_not_reminded(cast):
    User.objects.filter(pk=cast.alice.pk).update(is_active=False)
    reminders.remind_to_check_in(at(TUESDAY))
    assert reminded() == ["bob", "eve", "lena"]


def test_the_day_done_costs_one_query(cast):
    reminders.remind_to_check_in(at(TUESDAY))
    with CaptureQueriesContext(connection) as ctx:
        reminders.remind_to_check_in(at(TUESDAY, hour=15))
    assert len(ctx.captured_queries) == 1


def test_finding_the_people_takes_the_same_queries_for_many(cast, monkeypatch):
    told = []
    monkeypatch.setattr(
        reminders, "notify_each_once", lambda **kwargs: told.extend(kwargs["recipients"])
    )

    def queries():
        ReminderRound.objects.all().delete()
        told.clear()
        with CaptureQueriesContext(connection) as ctx:
            reminders.remind_to_check_in(at(TUESDAY))
        return len(ctx.captured_queries), len(told)

    few = queries()
    people = User.objects.bulk_create(User(username=f"p{i}") for i in range(200))
    Membership.objects.bulk_create(Membership(user=p, unit=cast.team) for p in people)
    many = queries()
    assert few == (few[0], 4) and many == (few[0], 204)
