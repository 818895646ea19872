"""Imports as background jobs the worker runs: first a check that ends in a preview, then,
after an administrator confirms that preview, the import itself.

The web process only records what is asked (`import_check_start`, `import_confirm`); the
worker's tick runs the work (`import_jobs_run`) and purges old jobs (`import_jobs_purge`).
Nothing runs in a thread of the web process: a deploy or a second app server cannot lose or
double an import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from organisation.importing import (
    Problem,
    Progress,
    Snapshot,
    problems_in_order,
    snapshot_apply,
    snapshot_fingerprint,
    snapshot_from_csv,
    snapshot_plan,
    snapshot_problems,
)
from organisation.models import ImportJob
from organisation.os2mo import Os2moClient, Os2moError, os2mo_snapshot

logger = logging.getLogger(__name__)

IMPORT_JOB_LOCK = 0x5350_4152  # any number of our own for pg_advisory_xact_lock

Clock = Callable[[], datetime]


def _import_jobs_lock() -> None:
    """Within a transaction, one at a time: two clicks at once must not start or confirm two
    imports. PostgreSQL takes a lock for the transaction; SQLite's IMMEDIATE transactions
    already run one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_JOB_LOCK])


def _fail_stale(now: datetime) -> None:
    ImportJob.objects.stale(now=now).update(
        status=ImportJob.Status.FAILED,
        error=_("The import stopped without finishing, probably at a restart of Sparring."),
        finished_at=now,
    )


@transaction.atomic
def import_check_start(
    *,
    actor: User,
    source: str,
    now: datetime,
    units_file: bytes | None = None,
    people_file: bytes | None = None,
    units_name: str = "",
    people_name: str = "",
) -> tuple[ImportJob, bool]:
    """Queue the check of a source for the worker; the CSV files are kept with the job. When
    an import is already under way, that one is returned instead and nothing new starts. A new
    check replaces every preview still waiting for confirmation."""
    _import_jobs_lock()
    _fail_stale(now)
    running = ImportJob.objects.under_way(now=now).first()
    if running is not None:
        return running, False
    ImportJob.objects.filter(status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.CANCELLED, finished_at=now, updated_at=now
    )
    job = ImportJob.objects.create(
        source=source,
        started_by=actor,
        units_file=units_file,
        people_file=people_file,
        units_name=units_name[:200],
        people_name=people_name[:200],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return job, True


@transaction.atomic
def import_confirm(*, job: ImportJob, actor: User, fingerprint: str, now: datetime) -> bool:
    """Confirm the preview the administrator saw (named by its fingerprint) for the worker to
    import. False when that preview is no longer the one waiting."""
    _import_jobs_lock()
    confirmed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.PREVIEW, fingerprint=fingerprint
    ).update(
        status=ImportJob.Status.CONFIRMED,
        confirmed_by=actor,
        confirmed_at=now,
        updated_at=now,
        step="",
        done=0,
        total=0,
    )
    return bool(confirmed)


def import_cancel(*, job: ImportJob, now: datetime) -> bool:
    """Drop a preview without importing it."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
            status=ImportJob.Status.CANCELLED, finished_at=now, updated_at=now
        )
    )


def import_jobs_run(
    *, now: datetime, clock: Clock | None = None, client: Os2moClient | None = None
) -> int:
    """The worker's part: fail jobs that died with their process, then run every job waiting
    (a check or a confirmed import), each claimed by one worker only. Returns how many ran.
    `clock` gives the time of progress reports during a long job (the tick's own time when
    not given)."""
    _fail_stale(now)
    ran = 0
    waiting = [ImportJob.Status.QUEUED, ImportJob.Status.CONFIRMED]
    for job_id, status in ImportJob.objects.filter(status__in=waiting).values_list("pk", "status"):
        working = (
            ImportJob.Status.RUNNING
            if status == ImportJob.Status.QUEUED
            else ImportJob.Status.APPLYING
        )
        if ImportJob.objects.filter(pk=job_id, status=status).update(
            status=working, updated_at=now
        ):
            import_job_run(job_id, now=now, clock=clock, client=client)
            ran += 1
    return ran


def _read(
    job: ImportJob, *, client: Os2moClient | None, progress: Progress
) -> tuple[Snapshot, list[Problem]]:
    if job.source == ImportJob.Source.CSV:
        progress("files", 0, 0)
        return snapshot_from_csv(
            units_file=bytes(job.units_file or b""),
            people_file=bytes(job.people_file or b""),
            units_name=job.units_name or "units.csv",
            people_name=job.people_name or "people.csv",
        )
    return os2mo_snapshot(client=client, progress=progress)


def import_job_run(
    job_id: int, *, now: datetime, clock: Clock | None = None, client: Os2moClient | None = None
) -> None:
    """Check or import one claimed job and record how it went. Never raises: a failure is the
    job's state, which the page shows."""
    jobs = ImportJob.objects.filter(pk=job_id)
    tell_time = clock or (lambda: now)

    def progress(step: str, done: int, total: int) -> None:
        jobs.update(step=step, done=done, total=total, updated_at=tell_time())

    def finish(status: str, **fields: Any) -> None:
        at = tell_time()
        jobs.update(status=status, finished_at=at, updated_at=at, step="", **fields)

    job = jobs.select_related("started_by", "confirmed_by").first()
    if job is None:
        return
    applying = job.status == ImportJob.Status.APPLYING
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            snapshot, problems = _read(job, client=client, progress=progress)
            progress("check", 0, 0)
            problems = problems_in_order(problems + snapshot_problems(snapshot))
            if problems:
                finish(
                    ImportJob.Status.FAILED,
                    problems=[{"where": p.where, "message": p.message} for p in problems],
                )
                return
            fingerprint = snapshot_fingerprint(snapshot)
            if not applying:
                plan = snapshot_plan(snapshot)
                jobs.update(
                    status=ImportJob.Status.PREVIEW,
                    fingerprint=fingerprint,
                    plan=plan.as_json(),
                    step="",
                    updated_at=tell_time(),
                )
                return
            if fingerprint != job.fingerprint:
                finish(
                    ImportJob.Status.FAILED,
                    error=_(
                        "The source changed after the check, so nothing was imported. Check it "
                        "again and confirm the new preview."
                    ),
                )
                return
            progress("save", 0, 0)
            with transaction.atomic():
                _import_jobs_lock()
                if snapshot_plan(snapshot).as_json() != job.plan:
                    finish(
                        ImportJob.Status.FAILED,
                        error=_(
                            "The organisation in Sparring changed after the check, so nothing "
                            "was imported. Check again and confirm the new preview."
                        ),
                    )
                    return
                result = snapshot_apply(
                    snapshot, actor=job.confirmed_by, source=_source_label(job), now=now
                )
                # In the same transaction: an import that applied is never shown as failed
                # because the worker stopped between the two.
                finish(ImportJob.Status.DONE, result=vars(result))
        except Os2moError as error:
            finish(ImportJob.Status.FAILED, error=str(error))
        except Exception:
            logger.exception("The import job %s failed", job_id)
            finish(
                ImportJob.Status.FAILED,
                error=_("The import stopped at an unexpected error, which has been logged."),
            )


def _source_label(job: ImportJob) -> str:
    if job.source == ImportJob.Source.CSV:
        return f"CSV: {job.units_name}, {job.people_name}"
    return "OS2mo"


def import_jobs_purge(*, now: datetime) -> int:
    """Retention: kept files, previews and problem lists hold names and e-mail addresses;
    drop them once a job is old. The job's row (who, when, the counts) stays for the record."""
    old = ImportJob.objects.to_purge(now=now)
    old.filter(status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.CANCELLED, finished_at=now
    )
    return old.update(
        units_file=None,
        people_file=None,
        plan=None,
        problems=[],
        purged_at=now,
    )
