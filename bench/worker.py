"""Time the worker's bulk work on the municipality demo: the weekly check-in reminder and a
wellbeing round's announcement to everyone, on a quiet database and while the site writes.

    python -m bench.worker [--database sqlite|postgres|both] [--people 25000] [--runs 3]

Each database is measured in a child process on a fresh database (bench/common.py). The child
migrates, creates the demo, then runs the reminder of a Tuesday at 10:00 in Copenhagen `--runs`
times (the week's notifications and e-mails removed between runs) and takes the median; then
once more while another thread writes in short transactions, as the site does, counting what
failed; then opens a round of a survey for the whole organisation and times its announcement.
The parent writes the figures into docs/benchmarks.md between the bench-worker markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import (
    BASE_DIR,
    DEFAULT_POSTGRES_URL,
    DOCS,
    child_env,
    load,
    memory,
    postgres_database,
    sqlite_database,
    write_section,
)

START, END = "<!-- bench-worker:start -->", "<!-- bench-worker:end -->"
TARGET_S = 30.0
CHILD_TIMEOUT_S = 1800
TUESDAY = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))


@dataclass
class WorkerResult:
    database: str
    server_version: str
    people: int
    demo_seconds: float
    reminder_runs: list[float]
    reminded: int
    reminder_emails: int
    loaded_seconds: float
    loaded_writes: int
    loaded_longest_write_s: float
    loaded_errors: list[str]
    announce_seconds: float
    announced: int


def _measure(database: str, people: int, runs: int) -> WorkerResult:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sparring.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import close_old_connections, connection

    from accounts.models import User
    from checkins.models import ReminderRound
    from checkins.reminders import remind_to_check_in
    from home.demo import demo_create
    from notifications.models import Notification, OutgoingEmail
    from organisation.models import Unit
    from pulse.models import Question, Survey
    from pulse.services import round_open
    from pulse.tasks import run_pulse_rounds

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    demo_create(size="municipality", people=people)
    demo_seconds = time.perf_counter() - started
    print(f"  demo created in {demo_seconds:.1f} s", flush=True)

    def forget_the_week() -> None:
        ReminderRound.objects.all().delete()
        Notification.objects.filter(kind="checkin_reminder").delete()
        OutgoingEmail.objects.filter(kind="checkin_reminder").delete()

    samples = []
    for _ in range(runs):
        forget_the_week()
        started = time.perf_counter()
        remind_to_check_in(TUESDAY)
        samples.append(time.perf_counter() - started)
        print(f"  reminder: {samples[-1]:.1f} s", flush=True)
    reminded = Notification.objects.filter(kind="checkin_reminder").count()
    emails = OutgoingEmail.objects.filter(kind="checkin_reminder").count()

    # The site writes all along: someone edits their profile, in short transactions.
    forget_the_week()
    writer_id = User.objects.order_by("pk").values_list("pk", flat=True)[0]
    stop = threading.Event()
    writes: list[float] = []
    errors: list[str] = []

    def site_writes() -> None:
        try:
            while not stop.is_set():
                try:
                    began = time.perf_counter()
                    User.objects.filter(pk=writer_id).update(job_title=f"skrevet {len(writes)}")
                    writes.append(time.perf_counter() - began)
                except Exception as error:
                    errors.append(f"{type(error).__name__}: {error}")
                stop.wait(0.005)
        finally:
            close_old_connections()
            connection.close()

    writer = threading.Thread(target=site_writes)
    writer.start()
    started = time.perf_counter()
    try:
        remind_to_check_in(TUESDAY)
    except Exception as error:
        errors.append(f"reminder: {type(error).__name__}: {error}")
    loaded_seconds = time.perf_counter() - started
    stop.set()
    writer.join()
    print(f"  reminder under write load: {loaded_seconds:.1f} s, {len(writes)} writes", flush=True)

    survey = Survey.objects.create(
        name="Trivsel i kommunen", starts_on=TUESDAY.date(), every_weeks=4, round_days=7
    )
    survey.units.set(Unit.objects.filter(parent__isnull=True))
    for position, question in enumerate(Question.objects.filter(is_active=True)[:5]):
        survey.items.create(question=question, position=position)
    round_ = round_open(survey=survey, opens_at=TUESDAY.replace(hour=8), number=1)
    started = time.perf_counter()
    run_pulse_rounds(TUESDAY)  # the round exists: this announces it
    announce_seconds = time.perf_counter() - started
    announced = Notification.objects.filter(key=f"pulse-{round_.pk}-open").count()
    print(f"  announcement: {announce_seconds:.1f} s to {announced}", flush=True)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            server = f"SQLite {cursor.fetchone()[0]}"
    return WorkerResult(
        database=database,
        server_version=server,
        people=people,
        demo_seconds=demo_seconds,
        reminder_runs=samples,
        reminded=reminded,
        reminder_emails=emails,
        loaded_seconds=loaded_seconds,
        loaded_writes=len(writes),
        loaded_longest_write_s=max(writes, default=0.0),
        loaded_errors=errors[:5],
        announce_seconds=announce_seconds,
        announced=announced,
    )


def _run_child(database: str, url: str, args: argparse.Namespace) -> WorkerResult:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        output = Path(handle.name)
    try:
        command = [
            sys.executable, "-m", "bench.worker", "--database", database,
            "--people", str(args.people), "--runs", str(args.runs),
            "--child-output", str(output),
        ]  # fmt: skip
        subprocess.run(
            command, env=child_env(url), cwd=BASE_DIR, check=True, timeout=CHILD_TIMEOUT_S
        )
        return WorkerResult(**json.loads(output.read_text()))
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"The {database} benchmark failed ({error.returncode}).") from None
    finally:
        output.unlink(missing_ok=True)


def _section(results: list[WorkerResult], machine_load: str) -> str:
    import django

    lines = [
        "## The worker: reminders and announcements in bulk",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `python -m bench.worker` (bench/worker.py).",
        "",
        f"- Machine: {os.cpu_count()} cores, {memory()}, {machine_load}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        + ", ".join(r.server_version for r in results)
        + ".",
        "- The weekly check-in reminder of a Tuesday at 10:00 for the municipality demo, "
        "everyone due (median of the runs); the same once more while another connection "
        "writes every 5 ms in short transactions, as the site does; and a wellbeing round's "
        "announcement to the whole organisation.",
        "",
        "| Database | People | Reminded (in-app / e-mail) | Reminder, median s | Runs "
        "| Under write load s | Writes meanwhile | Longest write s | Errors | Announcement s "
        "| Target | Result |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in results:
        median = statistics.median(r.reminder_runs)
        ok = (
            median < TARGET_S
            and r.loaded_seconds < TARGET_S
            and r.announce_seconds < TARGET_S
            and not r.loaded_errors
        )
        lines.append(
            f"| {r.server_version} | {r.people:,} | {r.reminded:,} / {r.reminder_emails:,} "
            f"| {median:.1f} | {len(r.reminder_runs)} | {r.loaded_seconds:.1f} "
            f"| {r.loaded_writes:,} | {r.loaded_longest_write_s:.2f} | {len(r.loaded_errors)} "
            f"| {r.announce_seconds:.1f} "
            f"| each < {TARGET_S:.0f} s, no errors | {'pass' if ok else '**fail**'} |"
        )
    for r in results:
        for error in r.loaded_errors:
            lines.append(f"\n{r.database}: `{error}`")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker", description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    )
    parser.add_argument("--child-output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_output:
        result = _measure(args.database, args.people, args.runs)
        args.child_output.write_text(json.dumps(asdict(result)))
        return
    machine_load = load()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        print(f"{database}: creating the demo organisation and timing the worker ...", flush=True)
        fresh = sqlite_database() if database == "sqlite" else postgres_database(args.postgres_url)
        with fresh as url:
            results.append(_run_child(database, url, args))
    write_section(_section(results, machine_load), start=START, end=END, intro="# Benchmarks\n")
    print(f"Figures written to {DOCS.relative_to(BASE_DIR)}.")


if __name__ == "__main__":
    main()
