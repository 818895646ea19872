"""Periodic tasks: functions the worker runs on every tick, with the tick's time.

    from notifications.scheduler import periodic

    @periodic("checkin_reminders")
    def send_checkin_reminders(now: datetime) -> None:
        people = list(due_for_a_reminder(now).values_list("pk", flat=True))
        notify_each_once(recipients=people, kind="checkin_reminder", key=..., text=...)

A tick comes every 30 seconds or so, from one worker or several at once, and a task may run
again after a crash half-way. So a task must be idempotent: it looks at `now` and the
database, and tells people through notify_each_once (in bulk, with the keys read whole
first: never write while a query is still being read), never notify. It should also be quick
when there is nothing to do, and it must not read the clock: `now` is its time. A task that
fails is logged and tried again on the next tick; the others still run.

Register tasks at import time in a module that Django imports at start-up: an app's
`tasks.py` (the notifications app imports every installed app's `tasks` module) or its
`AppConfig.ready()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

logger = logging.getLogger("sparring.notifications")

Task = Callable[[datetime], object]
_T = TypeVar("_T", bound=Task)

_TASKS: dict[str, Task] = {}


def periodic(name: str) -> Callable[[_T], _T]:
    """Register the decorated function to run on every tick of the worker as `task(now)`."""

    def register(task: _T) -> _T:
        existing = _TASKS.get(name)
        if existing is not None and _qualname(existing) != _qualname(task):
            raise ValueError(f"A periodic task named {name!r} is already registered")
        _TASKS[name] = task
        return task

    return register


def registered_tasks() -> dict[str, Task]:
    return dict(_TASKS)


def run_periodic_tasks(now: datetime, *, between: Callable[[], object] = lambda: None) -> list[str]:
    """Run every task once at `now`; return the names of those that failed (and were
    logged). `between` runs after each task: the worker delivers due e-mail there, so a long
    task does not hold up the mail that was already waiting."""
    failed = []
    for name, task in list(_TASKS.items()):
        try:
            task(now)
        except Exception:
            logger.exception("Periodic task %s failed; it runs again on the next tick", name)
            failed.append(name)
        try:
            between()
        except Exception:
            # Delivery is the tick's to finish; its failure here must not skip the next tasks.
            logger.exception("Delivering e-mail after periodic task %s failed", name)
    return failed


def _qualname(task: Task) -> str:
    return f"{getattr(task, '__module__', '')}.{getattr(task, '__qualname__', repr(task))}"
