"""Load through the production server: the municipal demo with its history, served by
`manage.py serve` on 127.0.0.1, loaded by locust (bench/locustfile.py) for a bounded time.

    python -m bench.load [--database sqlite|postgres|both] [--seconds 60]
                         [--scenarios pulse checkin recognition mixed] [--reuse]
                         [--servers gunicorn granian] [--no-write]

Scenarios, each without think time:
- pulse: people answer the open wellbeing round, each once (a round of its own per run);
- checkin: people save their check-in of the week;
- recognition: people thank a colleague;
- mixed: 50 people going through the main pages and writing now and then.

For each it records requests a second, failures, p50 and p95 as locust saw them, and what the
server's processes used of the CPU per request (their CPU time over the requests answered),
and writes them into docs/benchmarks.md between the load markers. `--servers gunicorn granian`
serves the same app with granian too (installed by hand: it is not a dependency), to compare.
The database is built once (about two minutes on SQLite) and kept under var/load for --reuse.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import BASE_DIR, child_env, memory, write_section
from bench.common import load as load_average

LOAD_DIR = BASE_DIR / "var" / "load"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/sparring_load"
PORT = 8131
START, END = "<!-- load:start -->", "<!-- load:end -->"
# Locust users per scenario: enough to keep every server process busy.
USERS = {"pulse": 20, "checkin": 20, "recognition": 20, "mixed": 50}
CLASSES = {
    "pulse": "PulseAnswers",
    "checkin": "CheckinSaves",
    "recognition": "Recognitions",
    "mixed": "Mixed",
}
# The targets of the production issue: writes a second, and the mixed load's rate and p95.
TARGET_PER_SECOND = {"pulse": 200, "checkin": 200, "recognition": 200, "mixed": 150}
MIXED_P95_MS = 300
WHAT = {
    "pulse": "wellbeing answers",
    "checkin": "check-in saves",
    "recognition": "recognitions",
    "mixed": "mixed: 50 people, main pages and writes",
}


@dataclass
class Result:
    database: str
    scenario: str
    server: str
    seconds: float
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    cpu_ms: float  # the server's CPU time per request
    busy: float  # the machine's CPU busy share during the run, both cores
    pages: list[dict[str, Any]]


def database_url(database: str) -> str:
    if database == "postgres":
        return POSTGRES_URL
    return f"sqlite:///{LOAD_DIR / 'load.sqlite3'}"


def sessions_path(database: str) -> Path:
    return LOAD_DIR / f"sessions-{database}.json"


def _child(database: str, step: str) -> dict[str, Any]:
    """Run a step of bench.load_data in a child process with the database's URL."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", "--child", step, "--database", database],
        env=child_env(database_url(database)),
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def prepare(database: str, *, reuse: bool) -> None:
    if reuse and sessions_path(database).exists():
        print(f"{database}: reusing the database built before", flush=True)
    else:
        _build(database)
    # Every run, since a database kept from before may have been built without them.
    _child(database, "statistics")


def _build(database: str) -> None:
    LOAD_DIR.mkdir(parents=True, exist_ok=True)
    if database == "postgres":
        from bench.common import postgres_recreate

        postgres_recreate(POSTGRES_URL)
    else:
        for suffix in ("", "-wal", "-shm"):
            (LOAD_DIR / f"load.sqlite3{suffix}").unlink(missing_ok=True)
    print(f"{database}: building the municipal demo with its history ...", flush=True)
    built = _child(database, "prepare")
    print(f"{database}: built in {built['seconds']} s, {built['sessions']:,} sessions", flush=True)


def _server_command(server: str) -> list[str]:
    if server == "granian":
        from sparring.server import workers  # as many as gunicorn's

        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            str(workers),
            "--no-access-log",
            "sparring.wsgi:application",
        ]
    return [sys.executable, "manage.py", "serve"]


def _wait_ready(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/ready", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not become ready within 60 s: see var/load/server.log")


def _cpu_seconds(pid: int) -> float:
    import psutil  # type: ignore[import-untyped]

    process = psutil.Process(pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _busy() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def run_scenario(database: str, scenario: str, *, seconds: int, server: str) -> Result:
    env = child_env(database_url(database))
    env.update(
        ALLOWED_HOSTS="127.0.0.1",
        SPARRING_BIND=f"127.0.0.1:{PORT}",
        SPARRING_WORKER_STALE_SECONDS="0",
        LOAD_SESSIONS=str(sessions_path(database)),
    )
    if scenario == "pulse":
        opened = _child(database, "round")
        env.update(LOAD_ROUND=str(opened["round"]), LOAD_QUESTIONS=opened["questions"])
    log = (LOAD_DIR / "server.log").open("a")
    started_server = subprocess.Popen(
        _server_command(server), env=env, cwd=BASE_DIR, stdout=log, stderr=log
    )
    try:
        _wait_ready(time.monotonic() + 60)
        prefix = LOAD_DIR / f"{database}-{scenario}"
        cpu_before = _cpu_seconds(started_server.pid)
        busy_before, total_before = _busy()
        began = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(BASE_DIR / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS[scenario]),
                "--spawn-rate",
                str(USERS[scenario]),
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
                CLASSES[scenario],
            ],
            env=env,
            cwd=BASE_DIR,
            check=False,
            timeout=seconds + 60,
        )
        took = time.monotonic() - began
        cpu = _cpu_seconds(started_server.pid) - cpu_before
        busy_after, total_after = _busy()
    finally:
        started_server.send_signal(signal.SIGTERM)
        started_server.wait(timeout=60)
        log.close()
        if scenario == "pulse":
            _child(database, "seal")  # the later runs see no round left open
    rows = list(csv.DictReader(prefix.with_name(prefix.name + "_stats.csv").open()))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    return Result(
        database=database,
        scenario=scenario,
        server=server,
        seconds=round(took, 1),
        requests=requests,
        failures=int(total["Failure Count"]),
        per_second=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        cpu_ms=round(cpu * 1000 / max(requests, 1), 1),
        busy=round((busy_after - busy_before) / max(total_after - total_before, 1), 2),
        pages=[
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
            }
            for row in rows
            if row["Name"] != "Aggregated"
        ],
    )


def target(result: Result) -> tuple[str, bool]:
    """The scenario's target in words, and whether the result meets it."""
    rate = TARGET_PER_SECOND[result.scenario]
    met = result.failures == 0 and result.per_second >= rate
    if result.scenario == "mixed":
        return f"≥ {rate}/s, p95 < {MIXED_P95_MS} ms, no errors", met and result.p95 < MIXED_P95_MS
    return f"≥ {rate}/s, no errors", met


def section(results: list[Result], *, started: datetime, load: str) -> str:
    from sparring.server import workers as server_workers

    lines = [
        f"## Under load, run of {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {os.cpu_count()} cores, {memory()}, {platform.machine()}, {load}; "
        f"Python {platform.python_version()}.",
        f"- The server (`manage.py serve`: gunicorn, {server_workers} sync workers) and locust "
        "ran on the same machine, sharing its two cores, over 127.0.0.1; on PostgreSQL, the "
        "database server too.",
        "",
        "| Database | Load | Server | Requests | Failures | Per second | p50 | p95 "
        "| Server CPU per request | Both cores busy | Target | Result |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in results:
        goal, met = target(r)
        lines.append(
            f"| {r.database} | {WHAT[r.scenario]} | {r.server} | {r.requests:,} | {r.failures} "
            f"| {r.per_second:.0f} | {r.p50:.0f} ms | {r.p95:.0f} ms | {r.cpu_ms} ms "
            f"| {r.busy:.0%} | {goal} | {'pass' if met else 'fail'} |"
        )
    for r in results:
        if r.scenario == "mixed":
            lines += ["", f"Mixed load on {r.database} ({r.server}), by page:", ""]
            lines += ["| Page | Requests | Failures | p50 | p95 |", "|---|--:|--:|--:|--:|"]
            lines += [
                f"| {p['name']} | {p['requests']:,} | {p['failures']} | {p['p50']:.0f} ms "
                f"| {p['p95']:.0f} ms |"
                for p in r.pages
            ]
    return "\n".join(lines) + "\n"


def child(step: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sparring.settings")
    django.setup()
    from bench import load_data

    database = "postgres" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite"
    if step == "prepare":
        print(json.dumps(load_data.prepare(sessions_path=sessions_path(database))))
    elif step == "statistics":
        from bench.common import planner_statistics_make

        planner_statistics_make()
        print(json.dumps({}))
    elif step == "seal":
        print(json.dumps({"sealed": load_data.rounds_seal()}))
    else:
        from pulse.models import Round

        pk = load_data.round_next()
        questions = Round.objects.get(pk=pk).questions.values_list("pk", flat=True)
        print(json.dumps({"round": pk, "questions": ",".join(map(str, questions))}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scenarios", nargs="+", choices=list(CLASSES), default=list(CLASSES))
    parser.add_argument(
        "--servers", nargs="+", choices=["gunicorn", "granian"], default=["gunicorn"]
    )
    parser.add_argument("--reuse", action="store_true", help="Reuse the database built before.")
    parser.add_argument("--no-write", action="store_true", help="Leave docs/benchmarks.md.")
    parser.add_argument(
        "--child", choices=["prepare", "statistics", "round", "seal"], help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return
    load = load_average()
    started = datetime.now(UTC)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        prepare(database, reuse=args.reuse)
        for scenario, server in [(sc, sv) for sc in args.scenarios for sv in args.servers]:
            result = run_scenario(database, scenario, seconds=args.seconds, server=server)
            print(
                f"{database} {scenario} ({result.server}): {result.requests:,} requests, "
                f"{result.failures} failed, {result.per_second:.0f}/s, p50 {result.p50:.0f} ms, "
                f"p95 {result.p95:.0f} ms, server CPU {result.cpu_ms} ms a request, "
                f"cores busy {result.busy:.0%}",
                flush=True,
            )
            results.append(result)
    text = section(results, started=started, load=load)
    print(text)
    if not args.no_write:
        write_section(text, start=START, end=END, intro="# Benchmarks\n\n")


if __name__ == "__main__":
    main()
