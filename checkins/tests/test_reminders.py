from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from checkins import reminders
from checkins.models import CheckIn, ReminderRound, week_of
from notifications.models import Notification, OutgoingEmail
from notifications.scheduler import registered_tasks
from organisation.models import Membership
from teamwork.models import Team
from tests.processes import migrated_sqlite

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


def test_reminding_many_people_takes_a_few_statements_more_not_a_few_per_person(cast):
    """Told in bulk: the reminder's writes are batch inserts, not queries for each person.
    (SQLite binds at most 999 values to a statement, so its inserts go some 90 rows at a
    time; PostgreSQL writes a chunk of 1,000 people in one insert per table.)"""

    def queries():
        ReminderRound.objects.all().delete()
        Notification.objects.all().delete()
        OutgoingEmail.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            reminders.remind_to_check_in(at(TUESDAY))
        return len(ctx.captured_queries)

    few = queries()
    assert len(reminded()) == 4
    people = User.objects.bulk_create(
        User(username=f"p{i}", email=f"p{i}@example.org") for i in range(300)
    )
    Membership.objects.bulk_create(Membership(user=p, unit=cast.team) for p in people)
    assert queries() <= few + 300 // 50
    assert len(reminded()) == 304
    assert OutgoingEmail.objects.filter(kind="checkin_reminder").count() == 304


ROOT = Path(__file__).resolve().parents[2]
PEOPLE_UNDER_LOAD = 3000

_ORGANISATION = f"""
from accounts.models import User
from organisation.models import Membership
from organisation.services import unit_create
team = unit_create(actor=None, name="Sekretariatet", parent=None)
people = User.objects.bulk_create(
    User(username=f"p{{i}}", email=f"p{{i}}@example.org") for i in range({PEOPLE_UNDER_LOAD})
)
Membership.objects.bulk_create(Membership(user=p, unit=team) for p in people)
"""

_REMIND = """
from datetime import datetime
from zoneinfo import ZoneInfo
from checkins.reminders import remind_to_check_in
remind_to_check_in(datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Copenhagen")))
"""


@pytest.mark.own_database
def test_the_reminder_succeeds_on_sqlite_while_the_site_writes(tmp_path):
    """SQLite in a file, as a small installation runs it: the reminder in a worker process,
    while another connection writes in short transactions all along, as the site does. The
    reminder must neither fail with "database is locked" nor leave anyone out, and the site's
    writes must not wait for the whole reminder, only for a chunk of it."""
    database = tmp_path / "sparring.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrated_sqlite(database)
    subprocess.run(
        [*manage, "shell", "-c", _ORGANISATION], env=env, cwd=ROOT, check=True, timeout=120
    )

    stop = threading.Event()
    writes: list[float] = []
    errors: list[sqlite3.Error] = []

    def site_writes():
        # What a page does when someone saves something: a short write transaction.
        site = sqlite3.connect(database, timeout=20, isolation_level=None)
        try:
            while not stop.is_set():
                began = time.perf_counter()
                site.execute("BEGIN IMMEDIATE")
                site.execute(
                    "UPDATE accounts_user SET job_title = ? WHERE username = 'p0'",
                    (f"skrevet {len(writes)}",),
                )
                site.execute("COMMIT")
                writes.append(time.perf_counter() - began)
                stop.wait(0.002)
        except sqlite3.Error as error:
            errors.append(error)
        finally:
            site.close()

    writer = threading.Thread(target=site_writes)
    writer.start()
    try:
        worker = subprocess.run(
            [*manage, "shell", "-c", _REMIND],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        stop.set()
        writer.join(timeout=30)

    assert worker.returncode == 0, worker.stderr
    assert "database is locked" not in worker.stderr
    assert errors == []
    assert len(writes) > 10, "the site wrote while the reminder ran"
    # A chunk of 1,000 people takes a fraction of a second; the bound leaves room for a
    # busy machine.
    assert max(writes) < 5
    with closing(sqlite3.connect(database)) as check:
        [(told,)] = check.execute(
            "SELECT count(*) FROM notifications_notification WHERE kind = 'checkin_reminder'"
        ).fetchall()
    assert told == PEOPLE_UNDER_LOAD
