"""The worker's part of privacy: making the copies people asked for and deleting them after a
week, and the nightly run of the deletion deadlines. Imported at start-up by the
notifications app."""

from __future__ import annotations

from datetime import datetime

from notifications.scheduler import periodic
from privacy.exports import exports_purge, exports_run
from privacy.retention import retention_run


@periodic("data_exports")
def make_data_exports(now: datetime) -> None:
    exports_run(now=now)


@periodic("data_exports_purge")
def purge_data_exports(now: datetime) -> None:
    exports_purge(now=now)


@periodic("retention")
def run_retention(now: datetime) -> None:
    retention_run(now=now)
