"""The worker keeps SQLite's statistics for the query planner: made at the first tick that
finds none, and again at 03:00 each night; on PostgreSQL it leaves them to autovacuum."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from notifications.tasks import statistics_refresh

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# A table the migrations fill, so that ANALYZE has rows to describe.
FILLED = "django_content_type"


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def test_the_planner_gets_statistics_once_and_each_night() -> None:
    day = datetime(2026, 12, 2, 14, 5, tzinfo=COPENHAGEN)
    statistics_refresh(day)
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('sqlite_stat1')")
            assert cursor.fetchone() == (None,)
        return
    assert FILLED in _tables()
    # Not again during the day ...
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [FILLED])
    statistics_refresh(day.replace(hour=15))
    assert FILLED not in _tables()
    # ... but at night, in Copenhagen's time.
    statistics_refresh(datetime(2026, 12, 3, 3, 0, 20, tzinfo=COPENHAGEN))
    assert FILLED in _tables()
