"""The worker's periodic tasks for the organisation: imports and their retention."""

from __future__ import annotations

from datetime import datetime

from notifications.scheduler import periodic
from organisation.import_jobs import import_jobs_purge, import_jobs_run


@periodic("import_jobs")
def run_import_jobs(now: datetime) -> None:
    import_jobs_run(now=now)


@periodic("import_jobs_purge")
def purge_import_jobs(now: datetime) -> None:
    import_jobs_purge(now=now)
