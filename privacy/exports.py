"""Copies of a person's data as jobs the worker runs. The web process only records that a
person asked (`export_request`); the worker's tick makes the copy (`exports_run`) and deletes
copies older than a week (`exports_purge`). Nothing runs in a thread of the web process, so a
deploy or a second app server cannot lose or double a copy."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from accounts.models import User
from privacy.archive import export_archive
from privacy.models import DataExport

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _fail_stale(now: datetime) -> None:
    DataExport.objects.stale(now=now).update(
        status=DataExport.Status.FAILED, finished_at=now, updated_at=now
    )


@transaction.atomic
def export_request(*, person: User, now: datetime) -> DataExport:
    """Ask the worker for a copy of `person`'s data. A copy already under way is returned as
    it is; otherwise the person's earlier copies are deleted (a copy is theirs, and only the
    newest is kept) and a new one waits for the worker."""
    _fail_stale(now)
    mine = DataExport.objects.filter(person=person)
    under_way = mine.under_way(now=now).first()
    if under_way is not None:
        return under_way
    mine.delete()
    return DataExport.objects.create(
        person=person, language=person.language or "da", requested_at=now, updated_at=now
    )


def exports_run(*, now: datetime, clock: Clock | None = None) -> int:
    """The worker's part: fail copies whose worker died, then make every copy waiting, each
    claimed by one worker only. Returns how many were made. `clock` gives the time of
    progress reports during a long copy (the tick's own time when not given)."""
    _fail_stale(now)
    made = 0
    waiting = DataExport.objects.filter(status=DataExport.Status.WAITING)
    for export_id in list(waiting.values_list("pk", flat=True)):
        claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.WAITING)
        if claimed.update(status=DataExport.Status.RUNNING, updated_at=now):
            export_make(DataExport.objects.get(pk=export_id), now=now, clock=clock)
            made += 1
    return made


def export_make(export: DataExport, *, now: datetime, clock: Clock | None = None) -> None:
    """Make one claimed copy, telling its progress kind by kind."""
    tell_time = clock or (lambda: now)
    this = DataExport.objects.filter(pk=export.pk)

    def progress(done: int, total: int) -> None:
        this.update(done=done, total=total, updated_at=tell_time())

    try:
        archive = export_archive(
            export.person, now=now, language=export.language, progress=progress
        )
    except Exception:
        logger.exception("The copy of a person's data %s failed", export.pk)
        at = tell_time()
        this.update(status=DataExport.Status.FAILED, finished_at=at, updated_at=at)
        return
    at = tell_time()
    this.update(
        status=DataExport.Status.DONE,
        archive=archive,
        size=len(archive),
        finished_at=at,
        updated_at=at,
    )


def exports_purge(*, now: datetime) -> int:
    """Delete the copies older than a week: a copy is for downloading, not for keeping."""
    deleted, _by_model = DataExport.objects.to_delete(now=now).delete()
    return deleted
