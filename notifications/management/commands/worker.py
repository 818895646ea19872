from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from core.services import worker_heartbeat_record
from notifications.chat_delivery import deliver_due_webhooks
from notifications.delivery import deliver_due
from notifications.scheduler import run_periodic_tasks

logger = logging.getLogger("sparring.notifications")

BATCH = 100


def tick(keep_going: Callable[[], bool] = lambda: True) -> None:
    """Run the periodic tasks (which may write e-mails and chat messages), then deliver every
    e-mail that is due, then post every chat message that is due."""
    worker_heartbeat_record(now=timezone.now())  # for /health/ready
    run_periodic_tasks(timezone.now())
    for deliver in (deliver_due, _post_chat_messages):
        while keep_going():
            sent, failed = deliver(limit=BATCH, keep_going=keep_going)
            # A failed one waits for a later tick, so this ends once the due ones are tried.
            if sent + failed < BATCH:
                break


def _post_chat_messages(*, limit: int, keep_going: Callable[[], bool]) -> tuple[int, int]:
    return deliver_due_webhooks(clock=timezone.now, limit=limit, keep_going=keep_going)


class Command(BaseCommand):
    help = (
        "The background worker: runs the periodic tasks (reminders), delivers e-mail and "
        "posts to chat channels every INTERVAL seconds, until it gets SIGTERM or SIGINT. "
        "Run one or more per installation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Do one tick and exit (for cron and tests)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="Seconds between ticks (default 30).",
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        if once:
            tick()
            return
        self.stopping = False
        self.stopped_by = ""
        previous = {
            number: signal.signal(number, self._stop) for number in (signal.SIGTERM, signal.SIGINT)
        }
        logger.info("Worker started; a tick every %s seconds", interval)
        try:
            while not self.stopping:
                started = time.monotonic()
                # A long-running process must notice a database connection that broke.
                close_old_connections()
                try:
                    tick(keep_going=lambda: not self.stopping)
                except Exception:
                    logger.exception("The worker's tick failed; trying again in %s s", interval)
                finally:
                    close_old_connections()
                self._sleep(interval - (time.monotonic() - started))
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        logger.info("Worker stopped (%s)", self.stopped_by)

    def _stop(self, number: int, frame: FrameType | None) -> None:
        # Only a flag: the tick in progress finishes its current e-mail, then the loop ends.
        self.stopping = True
        self.stopped_by = signal.Signals(number).name

    def _sleep(self, seconds: float) -> None:
        # In short naps, so a stop signal is noticed within a fraction of a second.
        until = time.monotonic() + seconds
        while not self.stopping and (left := until - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))
