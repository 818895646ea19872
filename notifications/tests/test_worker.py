"""The worker: periodic tasks on every tick (idempotent through notify_once), one failing
task does not stop the others, and SIGTERM or SIGINT stops the loop cleanly."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Notification
from notifications.scheduler import periodic, registered_tasks
from notifications.services import notify_once


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
    periodic("count")(ticks.append)
    before = signal.getsignal(number)
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), number))
    timer.start()
    started = time.monotonic()
    try:
        call_command("worker", "--interval", "0.1")
    finally:
        timer.cancel()
    assert time.monotonic() - started < 5
    assert len(ticks) >= 2
    assert signal.getsignal(number) is before
    assert f"Worker stopped ({signal.Signals(number).name})" in caplog.text
