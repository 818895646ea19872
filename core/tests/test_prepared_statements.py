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
