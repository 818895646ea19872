"""Time an import of the municipal demo from CSV, the way an administrator runs it: the worker's
check (read the files, find problems, fingerprint, preview) and, after confirmation, the
worker's import (read again, compare the fingerprint and the preview, apply).

    python -m bench.imports --database sqlite
    python -m bench.imports --database postgres --postgres-url postgres://.../sparring_bench_imports

The database is made afresh (a temporary SQLite file, or the PostgreSQL database of the URL,
dropped and created) and removed at the end. The municipal demo (25,000 people in 1,500 units)
is created, written out as the two CSV files, and changed the way a reorganisation would:
a tenth of the members leave, 500 join, about 1,150 move, 100 units are renamed and the 50 last
units leave the source. Each run checks and confirms the changed files, then the original
files again (untimed) to put the organisation back; the figures are medians of the runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/sparring_bench_imports"


def _files() -> tuple[bytes, bytes]:
    from accounts.models import User
    from organisation.models import Membership, Unit

    ext = dict(Unit.objects.values_list("pk", "external_id"))
    units = io.StringIO()
    writer = csv.writer(units, delimiter=";")
    writer.writerow(["id", "navn", "overenhed_id"])
    for pk, name, parent in Unit.objects.filter(external_id__gt="").values_list(
        "pk", "name", "parent_id"
    ):
        writer.writerow([ext[pk], name, ext.get(parent, "") if parent else ""])
    people = io.StringIO()
    writer = csv.writer(people)
    writer.writerow(
        ["id", "username", "first_name", "last_name", "email", "job_title", "unit_id", "leader"]
    )
    users = {
        u.pk: u
        for u in User.objects.filter(external_id__gt="").only(
            "external_id", "username", "first_name", "last_name", "email", "job_title"
        )
    }
    for user_id, unit_id, role in Membership.objects.filter(user_id__in=users).values_list(
        "user_id", "unit_id", "role"
    ):
        u = users[user_id]
        writer.writerow(
            [
                u.external_id,
                u.username,
                u.first_name,
                u.last_name,
                u.email,
                u.job_title,
                ext[unit_id],
                "ja" if role == "leader" else "",
            ]
        )
    return units.getvalue().encode(), people.getvalue().encode()


def _reorganised(units: bytes, people: bytes) -> tuple[bytes, bytes]:
    unit_rows = list(csv.reader(io.StringIO(units.decode()), delimiter=";"))
    header, rows = unit_rows[0], unit_rows[1:]
    parents = {row[2] for row in rows}
    leaves = [row[0] for row in rows if row[0] not in parents]
    gone = set(leaves[-50:])
    kept_units = [row for row in rows if row[0] not in gone]
    for row in kept_units[:100]:
        row[1] = f"{row[1]} (ny)"
    out_units = io.StringIO()
    writer = csv.writer(out_units, delimiter=";")
    writer.writerows([header, *kept_units])

    person_rows = list(csv.reader(io.StringIO(people.decode())))
    header, rows = person_rows[0], person_rows[1:]
    targets = [row[0] for row in kept_units[-300:]]
    kept_people = []
    for i, row in enumerate(rows):
        if i % 10 == 3 and not row[7]:
            continue  # a leaver
        if row[6] in gone:
            row[6] = targets[i % len(targets)]
        elif i % 80 == 7:
            row[6] = targets[i % len(targets)]  # a move
        kept_people.append(row)
    for n in range(500):
        kept_people.append(
            [
                f"new-{n}",
                f"ny{n}",
                "Ny",
                f"Kollega {n}",
                f"ny{n}@demokommune.example",
                "Konsulent",
                targets[n % len(targets)],
                "",
            ]
        )
    out_people = io.StringIO()
    writer = csv.writer(out_people)
    writer.writerows([header, *kept_people])
    return out_units.getvalue().encode(), out_people.getvalue().encode()


def _measure(runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from home.demo import demo_create
    from organisation.import_jobs import import_check_start, import_confirm, import_jobs_run
    from organisation.models import ImportJob

    call_command("migrate", interactive=False, verbosity=0)
    now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    started = time.perf_counter()
    demo_create(size="municipality", now=now)
    print(f"  demo created in {time.perf_counter() - started:.1f} s", flush=True)
    actor = User.objects.get(username="admin")
    original = _files()
    changed = _reorganised(*original)

    def worker_now() -> datetime:
        return ImportJob.objects.latest("updated_at").updated_at + timedelta(seconds=1)

    def check(files: tuple[bytes, bytes]) -> tuple[ImportJob, float]:
        job, _ = import_check_start(
            actor=actor,
            source=ImportJob.Source.CSV,
            now=now,
            units_file=files[0],
            people_file=files[1],
            units_name="enheder.csv",
            people_name="personer.csv",
        )
        began = time.perf_counter()
        import_jobs_run(now=worker_now())
        seconds = time.perf_counter() - began
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PREVIEW, (job.error, job.problems[:3])
        return job, seconds

    def confirm(job: ImportJob) -> float:
        assert import_confirm(job=job, actor=actor, fingerprint=job.fingerprint, now=now)
        began = time.perf_counter()
        import_jobs_run(now=worker_now())
        seconds = time.perf_counter() - began
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.error
        return seconds

    checks: list[float] = []
    confirms: list[float] = []
    counts: dict[str, int] = {}
    for run in range(runs):
        job, seconds = check(changed)
        checks.append(seconds)
        if not counts:  # the first run's preview; later runs reactivate who the first created
            counts = {key: len(names) for key, names in (job.plan or {}).items()}
        confirms.append(confirm(job))
        print(
            f"  run {run + 1}: check {checks[-1]:.1f} s, confirm {confirms[-1]:.1f} s", flush=True
        )
        back, _seconds = check(original)
        confirm(back)
    return {
        "vendor": connection.vendor,
        "people": User.objects.filter(external_id__gt="").count(),
        "files_kib": (len(changed[0]) + len(changed[1])) // 1024,
        "check_s": statistics.median(checks),
        "confirm_s": statistics.median(confirms),
        "runs": runs,
        "plan": counts,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sparring.settings")
    os.environ.setdefault("SECRET_KEY", "insecure-key-for-benchmarks-only-0123456789abcdefghijkl")
    os.environ.pop("DEBUG", None)
    folder = tempfile.TemporaryDirectory()
    if args.database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder.name) / 'bench.sqlite3'}"
    else:
        import psycopg
        from psycopg import sql

        parts = urlsplit(args.postgres_url)
        name = parts.path.lstrip("/")
        maintenance = urlunsplit(parts._replace(path="/postgres"))
        # FORCE: autovacuum visits a freshly loaded database and would block the drop.
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(drop)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        os.environ["DATABASE_URL"] = args.postgres_url
    print(f"Import benchmark on {args.database}", flush=True)
    try:
        result = _measure(args.runs)
    finally:
        folder.cleanup()
        if args.database == "postgres":
            from django.db import connections

            connections.close_all()
            with psycopg.connect(maintenance, autocommit=True) as conn:
                conn.execute(drop)
    load = os.getloadavg()
    print(
        f"{args.database}: {result['people']:,} people, files {result['files_kib']:,} KiB; "
        f"check {result['check_s']:.1f} s, confirm {result['confirm_s']:.1f} s "
        f"(medians of {result['runs']}); preview {result['plan']}; "
        f"{os.cpu_count()} cores, load {load[0]:.1f}, Python {platform.python_version()}, "
        f"{sys.platform}"
    )


if __name__ == "__main__":
    main()
