"""The worker's own housekeeping."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.utils import timezone

from notifications.scheduler import periodic

# SQLite reads this many rows of each index to estimate it: a few milliseconds for the whole
# database, and the same plans as a full ANALYZE.
ANALYSIS_LIMIT = 1000


@periodic("database_statistics")
def statistics_refresh(now: datetime) -> None:
    """SQLite's query planner needs statistics of the tables to choose the right index (with
    none, a team's shared learning read every entry shared with the whole organisation instead
    of the team's own). They are made at the first tick that finds none, and again at 03:00
    each night, as the tables grow. PostgreSQL keeps its own (autovacuum)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        made = cursor.fetchone() is not None
        local = timezone.localtime(now)
        if made and (local.hour, local.minute) != (3, 0):
            return
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
