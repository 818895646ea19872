"""The query planner, where a page needs it to plan afresh.

On PostgreSQL each connection prepares the statements it runs often (sparring/settings.py),
and after a few runs PostgreSQL may keep one generic plan for a prepared statement, chosen
without its values. That is what makes most pages cheaper; a query whose best plan depends on
its values (the words of a full-text search: a rare word or a common one) can get a worse
plan that way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def planned_each_time() -> Iterator[None]:
    """Statements run in this block are not prepared: PostgreSQL plans each for its values, as
    it does without prepared statements. Nothing changes on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.execute_wrapper(_unprepared):
        yield


def _unprepared(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    # Set on the connection the statement runs on, which may be a new one if the old was lost.
    raw = context["connection"].connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        return execute(sql, params, many, context)
    finally:
        raw.prepare_threshold = threshold
