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

from django.conf import settings
from django.db import NotSupportedError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.pq import TransactionStatus


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
    rollback), so the next request works.

    First in the list: a connection may open inside another wrapper's block (the metrics'
    timer of a request), whose end takes the last wrapper off."""
    if connection.vendor == "postgresql" and _renewing not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _renewing)


def statements_kept(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On each new PostgreSQL connection: it keeps up to `STATEMENTS_KEPT` statements prepared
    (sparring/settings.py) instead of psycopg's 100. psycopg counts a statement's runs towards
    preparing it among as many: with more different statements in a round of the pages, most
    were forgotten before their fifth run and never prepared."""
    if connection.vendor == "postgresql":
        connection.connection.prepared_max = settings.STATEMENTS_KEPT


def _renewing(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        raw = context["connection"].connection
        if not (_cached_plan_changed(error.__cause__) and _idle(raw)):
            raise
        # psycopg forgets its own statements when it runs this (as after a rollback).
        with context["connection"].cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)


def _cached_plan_changed(error: BaseException | None) -> bool:
    """PostgreSQL's refusal of a prepared statement whose result columns changed type: by its
    code and the function that raised it, whatever language the server writes messages in."""
    diag = getattr(error, "diag", None)
    return (
        getattr(error, "sqlstate", None) == "0A000"
        and diag is not None
        and diag.source_function == "RevalidateCachedQuery"
    )


def _idle(raw: Any) -> bool:
    """Whether the connection is outside a transaction, where the statement can run again."""
    return bool(raw.info.transaction_status == TransactionStatus.IDLE)
