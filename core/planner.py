"""The query planner, where a page needs it to plan afresh.

On PostgreSQL each connection prepares the statements it runs often (sparring/settings.py),
and after a few runs PostgreSQL may keep one generic plan for a prepared statement, chosen
without its values. That is what makes most pages cheaper; a query whose best plan depends on
its values (the words of a full-text search: a rare word or a common one) can get a worse
plan that way.

A prepared statement also outlives a migration that changes the type of a column it reads:
PostgreSQL then refuses it ("cached plan must not change result type"). Each connection
forgets its prepared statements when that happens (`plans_renewed`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import NotSupportedError, connection
from django.db.backends.base.base import BaseDatabaseWrapper

# PostgreSQL's words when a prepared statement's columns changed type since it was prepared.
CACHED_PLAN_CHANGED = "cached plan must not change result type"


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


def plans_renewed(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On each new PostgreSQL connection (Django's `connection_created`): a statement refused
    because a migration changed a column it reads since it was prepared is run again after the
    connection forgets its prepared statements. Without it the server process kept failing that
    statement until it restarted. Inside a transaction the statement cannot be run again: it
    fails, and the transaction's rollback makes psycopg forget them (what it does on every
    rollback), so the next request works."""
    if connection.vendor == "postgresql" and _renewing not in connection.execute_wrappers:
        connection.execute_wrappers.append(_renewing)


def _renewing(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        wrapper = context["connection"]
        if CACHED_PLAN_CHANGED not in str(error) or wrapper.in_atomic_block:
            raise
        # psycopg forgets its own statements when it runs this (as after a rollback).
        with wrapper.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)
