"""The worker: periodic tasks on every tick (idempotent through notify_once), one failing
task does not stop the others, and SIGTERM or SIGINT stops the loop cleanly."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from conftest import COPENHAGEN
from core.models import WorkerHeartbeat
from notifications.delivery import deliver_due
from notifications.management.commands import worker
from notifications.management.commands.worker import _clock_from, tick
from notifications.models import Notification, OutgoingEmail
from notifications.scheduler import periodic, registered_tasks, run_periodic_tasks
from notifications.services import notify, notify_once


def test_periodic_tasks_run_every_tick_and_tell_people_once(cast, tasks):
    seen = []

    @periodic("checkin_reminders")
    def remind(now):
        seen.append(now)
        notify_once(
            recipient=cast.alice,
            kind="checkin_reminder",
            key=now.date().isoformat(),
            text="Det er tjek-ind-dag",
        )

    assert registered_tasks() == {"checkin_reminders": remind}
    for _ in range(3):
        call_command("worker", "--once")
    assert len(seen) == 3
    assert seen[0].tzinfo is not None
    assert Notification.objects.filter(recipient=cast.alice, kind="checkin_reminder").count() == 1


def test_a_failing_task_is_logged_and_the_others_still_run(cast, tasks, caplog):
    ran = []

    @periodic("broken")
    def broken(now):
        raise RuntimeError("out of order")

    @periodic("fine")
    def fine(now):
        ran.append(now)

    call_command("worker", "--once")
    assert len(ran) == 1
    assert "Periodic task broken failed" in caplog.text
    assert "out of order" in caplog.text


def test_a_failure_delivering_between_tasks_does_not_stop_the_tasks_after_it(tasks, caplog):
    """The e-mail delivered between two tasks may fail for a moment (a database that is busy
    or away); the tasks after it still run on this tick, as after a task that fails."""
    ran = []

    @periodic("first")
    def first(now):
        ran.append("first")

    @periodic("second")
    def second(now):
        ran.append("second")

    def deliver():
        raise RuntimeError("database is busy")

    failed = run_periodic_tasks(datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN), between=deliver)

    assert ran == ["first", "second"]
    assert failed == []
    assert "database is busy" in caplog.text


def test_a_name_is_one_task(tasks):
    @periodic("reminders")
    def one(now):
        pass

    with pytest.raises(ValueError):

        @periodic("reminders")
        def another(now):
            pass


def test_the_interval_must_be_positive(db):
    with pytest.raises(CommandError):
        call_command("worker", "--interval", "0")


# The loop closes and reopens database connections between ticks, as a long-running process
# must, which a test wrapped in one transaction would not survive.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_loop_stops_cleanly_on_a_signal(number, tasks, caplog):
    ticks: list[object] = []

    def count(now: object) -> None:
        # The signal comes once the loop has ticked twice, however long a tick takes on a busy
        # machine (a timer of half a second once stopped it after one slow first tick).
        ticks.append(now)
        if len(ticks) == 2:
            os.kill(os.getpid(), number)

    periodic("count")(count)
    before = signal.getsignal(number)
    # A bound on the test, should the loop never tick twice.
    timer = threading.Timer(30, os.kill, args=(os.getpid(), number))
    timer.start()
    started = time.monotonic()
    try:
        call_command("worker", "--interval", "0.1")
    finally:
        timer.cancel()
    assert time.monotonic() - started < 30
    assert len(ticks) == 2
    assert signal.getsignal(number) is before
    assert f"Worker stopped ({signal.Signals(number).name})" in caplog.text


# --- Time is a parameter: the tick's time comes from its caller ------------------------------


def test_a_tick_runs_its_tasks_at_the_time_it_is_given(cast, tasks, clock):
    seen: list[datetime] = []
    periodic("record")(seen.append)
    new_year = datetime(2026, 12, 31, 23, 59, tzinfo=COPENHAGEN)
    tick(now=new_year)
    assert seen == [new_year]
    with pytest.raises(ValueError):
        tick(now=datetime(2026, 12, 31, 23, 59))  # a time without a zone is a mistake


def test_a_tick_on_check_in_day_sends_and_delivers_that_days_reminders(cast, smtp_server, clock):
    """What broke nine delivery tests every Tuesday: at 10:00 on a Tuesday a tick reminds
    the people of teams that check in on Tuesdays (the default), and delivers the e-mails."""
    wednesday = datetime(2026, 12, 2, 10, tzinfo=COPENHAGEN)
    tick(now=wednesday)
    assert smtp_server.received == []

    tick(now=clock.move_to(datetime(2026, 12, 8, 10, tzinfo=COPENHAGEN)))
    told = sorted(r.rcpt_tos[0] for r in smtp_server.received)
    assert told == [f"{name}@example.org" for name in ("alice", "bob", "eve", "lena")]
    tick(now=clock.advance(timedelta(minutes=1)))
    assert len(smtp_server.received) == 4


def test_email_waiting_before_a_long_task_goes_out_before_that_task_ends(
    cast, tasks, smtp_server, clock
):
    notify(recipient=cast.alice, kind="help_request", text="Kan nogen hjælpe?")
    delivered_during = []

    @periodic("quick")
    def quick(now):
        pass

    @periodic("long")
    def long(now):
        delivered_during.append(len(smtp_server.received))

    tick(now=clock.now())
    assert delivered_during == [1]


def test_each_claim_takes_a_fresh_time_from_the_ticks_clock(cast, tasks, smtp_server, clock):
    """A lease or a retry runs from when that e-mail was tried, not from when the tick began:
    the clock is asked again for every claim."""
    smtp_server.refuse = 2
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    notify(recipient=cast.bob, kind="help_request", text="Hjælp")
    readings = iter(clock.now() + timedelta(minutes=5 * n) for n in range(100))
    deliver_due(clock=lambda: next(readings), limit=2)
    first, second = OutgoingEmail.objects.order_by("pk")
    assert first.attempts == second.attempts == 1
    assert first.next_attempt_at is not None and second.next_attempt_at is not None
    assert second.next_attempt_at - first.next_attempt_at >= timedelta(minutes=5)


def test_the_clock_of_a_tick_given_a_time_runs_on_from_it(cast, tasks):
    moment = datetime(2026, 10, 25, 2, 30, tzinfo=COPENHAGEN)
    clock = _clock_from(moment)
    first = clock()
    time.sleep(0.01)
    assert moment <= first < clock() < moment + timedelta(seconds=5)


def test_the_worker_tick_writes_the_heartbeat(db, monkeypatch):
    monkeypatch.setattr(worker, "run_periodic_tasks", lambda now, **between: None)
    worker.tick()
    assert WorkerHeartbeat.objects.count() == 1
    worker.tick()  # one row per machine, moved forward
    assert WorkerHeartbeat.objects.count() == 1
