"""On PostgreSQL each connection prepares the statements it runs again and again, so that they
are parsed and planned once (sparring/settings.py); DATABASE_PREPARED_STATEMENTS=false turns
it off, for a pooler that cannot keep prepared statements. A block of `planned_each_time`
prepares nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from core.planner import planned_each_time
from organisation.models import Unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


def _prepared_unit_reads() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE '%%organisation_unit%%' AND statement LIKE '%%name%%'"
        )
        (count,) = cursor.fetchone()
    return int(count)


def test_a_statement_run_five_times_is_prepared_the_next_time(db):
    def read() -> None:
        list(Unit.objects.filter(name="Økonomi").values_list("pk"))

    for _ in range(5):
        read()
    assert _prepared_unit_reads() == 0
    read()
    assert _prepared_unit_reads() == 1
    read()  # and used from then on, not prepared again
    assert _prepared_unit_reads() == 1


def test_the_setting_turns_them_off():
    def options(**env: str) -> dict[str, object]:
        code = (
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "sparring.settings", **env},
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
            text=True,
        )
        found: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
        return found

    on = options()
    assert on["server_side_binding"] is True
    assert on["prepare_threshold"] == 5
    off = options(DATABASE_PREPARED_STATEMENTS="false")
    assert "server_side_binding" not in off
    assert "prepare_threshold" not in off


def test_a_block_planned_each_time_prepares_nothing(db):
    with planned_each_time():
        for _ in range(7):
            list(Unit.objects.filter(name="Økonomi").values_list("pk"))
        assert _prepared_unit_reads() == 0
    assert connection.connection.prepare_threshold == 5


def _column_made_bigint(table: str) -> None:
    """What a migration on another server does: the column's type changes."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute(f"ALTER TABLE {table} ALTER COLUMN v TYPE bigint")


def test_a_statement_prepared_before_a_column_changed_type_runs_again(transactional_db):
    """A migration that changes a column's type makes PostgreSQL refuse the statements
    prepared before it; the connection forgets them and runs the statement again, outside a
    transaction at once, inside one from the next transaction on."""
    from django.db import NotSupportedError, transaction

    def read(table: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT v FROM {table} WHERE v > %s ORDER BY v", [0])
            return [v for (v,) in cursor.fetchall()]

    with connection.cursor() as cursor:
        for table in ("renewed_outside", "renewed_inside"):
            cursor.execute(f"CREATE TABLE {table} (v integer)")
            cursor.execute(f"INSERT INTO {table} VALUES (1), (2)")
    try:
        # Each case prepares its statement first: forgetting them forgets all of them.
        for _ in range(6):
            assert read("renewed_inside") == [1, 2]
        _column_made_bigint("renewed_inside")
        with pytest.raises(NotSupportedError, match="cached plan"), transaction.atomic():
            read("renewed_inside")
        assert read("renewed_inside") == [1, 2]

        for _ in range(6):
            assert read("renewed_outside") == [1, 2]
        _column_made_bigint("renewed_outside")
        assert read("renewed_outside") == [1, 2]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS renewed_outside, renewed_inside")


def test_a_connection_opened_inside_another_wrapper_keeps_renewing(transactional_db):
    """A connection opens lazily, often inside the request's metrics timer: the end of that
    block takes off its own wrapper, not this one."""
    from core.planner import _renewing

    def timer(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    # As in a new thread's first connection: not yet renewing.
    connection.execute_wrappers.remove(_renewing)
    connection.close()
    with connection.execute_wrapper(timer):
        list(Unit.objects.values_list("pk"))
    assert connection.execute_wrappers == [_renewing]


def test_a_round_of_more_statements_than_psycopg_keeps_is_prepared(db):
    """A round of the pages runs more different statements than psycopg keeps: each is prepared
    by its sixth run, where with psycopg's own 100 each was forgotten before its fifth and none
    was."""
    assert connection.connection.prepared_max == settings.STATEMENTS_KEPT
    different = 150  # each its own statement: Django writes the limit into the SQL

    for _ in range(6):
        for limit in range(1, different + 1):
            list(Unit.objects.filter(name="Økonomi").values_list("pk")[:limit])
    assert _prepared_unit_reads() == different
