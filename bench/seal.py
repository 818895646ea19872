"""Time sealing a municipal-size wellbeing round on SQLite and PostgreSQL.

A round for 25,000 people in 1,500 units (8 levels) with 10 questions, answered by everyone,
with a comment from one in five, is sealed (pulse.services.round_seal) and the files settled
(storage_settle), as the worker does in one tick. Measured twice: with no other round open,
and with a second round of the same size open and half answered, whose rows sealing writes
back into the emptied open tables. Each case is built afresh and timed a few times; the
figures are medians. The open round's rows are written with bulk inserts (answering is
measured elsewhere); only sealing is timed.

    python -m bench.seal [--database sqlite|postgres|both] [--repeats 3]

Figures go to docs/benchmarks.md, between the seal markers."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.run import (
    BASE_DIR,
    DEFAULT_POSTGRES_URL,
    DOCS,
    _load,
    _memory,
    _postgres_database,
    _sqlite_database,
)

START = "<!-- seal:start -->"
END = "<!-- seal:end -->"
PEOPLE = 25_000
UNITS = 1_500
LEVELS = 8
QUESTIONS = 10
CLOSED = datetime(2026, 3, 1, 8, tzinfo=UTC)  # when the timed round opened
CHILD_TIMEOUT_S = 1800


def _tree(rng: random.Random) -> dict[int, int | None]:
    """1,500 unit ids with their parents, 8 levels deep."""
    parent: dict[int, int | None] = {1: None}
    level = {1: 1}
    below_bottom = [1]  # units that may still get units below them
    for unit in range(2, UNITS + 1):
        up = rng.choice(below_bottom[-300:])
        parent[unit], level[unit] = up, level[up] + 1
        if level[unit] < LEVELS:
            below_bottom.append(unit)
    return parent


def _open_round(
    number: int, *, answered: float, users: list[int], questions: list[Any], rng: random.Random
) -> Any:
    """A closed (or still open) round with its open tables filled as answering leaves them."""
    from pulse.models import (
        OpenComment,
        OpenParticipation,
        OpenTally,
        Round,
        RoundUnit,
        Survey,
    )

    survey = Survey.objects.create(name=f"Bench {number}", starts_on=date(2026, 3, 1))
    opens_at = CLOSED + timedelta(days=number)
    round_ = Round.objects.create(
        survey=survey, number=1, opens_at=opens_at, closes_at=opens_at + timedelta(days=5)
    )
    round_.questions.set(questions)
    parent = _tree(rng)
    RoundUnit.objects.bulk_create(
        (
            RoundUnit(round=round_, unit_id=u, parent_id=up, name=f"Enhed {u}")
            for u, up in parent.items()
        ),
        batch_size=2000,
    )
    people = [u for u in users if rng.random() < answered]
    home = {person: rng.randint(1, UNITS) for person in people}
    counts = {(u, q.pk): [0] * 5 for u in parent for q in questions}
    for person in people:
        for q in questions:
            counts[home[person], q.pk][rng.randint(0, 4)] += 1
    OpenTally.objects.bulk_create(
        (
            OpenTally(
                round=round_, unit_id=u, question_id=q, **{f"c{i + 1}": c[i] for i in range(5)}
            )
            for (u, q), c in counts.items()
        ),
        batch_size=2000,
    )
    OpenParticipation.objects.bulk_create(
        (OpenParticipation(round=round_, user_id=person) for person in people), batch_size=5000
    )
    OpenComment.objects.bulk_create(
        (
            OpenComment(
                round=round_, unit_id=home[person], text=f"En kommentar fra enhed {home[person]}."
            )
            for person in people
            if rng.random() < 0.2
        ),
        batch_size=5000,
    )
    return round_


def _measure(repeats: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sparring.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from pulse.models import Question, Tally
    from pulse.services import round_seal, storage_settle

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(2026)
    User.objects.bulk_create((User(username=f"bench{i}") for i in range(PEOPLE)), batch_size=5000)
    users = list(User.objects.values_list("pk", flat=True))
    questions = Question.objects.bulk_create(
        Question(theme="trust", text_da=f"Spørgsmål {i}", text_en=f"Question {i}", position=i)
        for i in range(QUESTIONS)
    )
    cases: dict[str, list[float]] = {"alone": [], "beside an open round": []}
    number = 0
    for _repeat in range(repeats):
        for case, times in cases.items():
            number += 1
            round_ = _open_round(number, answered=1.0, users=users, questions=questions, rng=rng)
            other = None
            if case != "alone":
                number += 1
                other = _open_round(number, answered=0.5, users=users, questions=questions, rng=rng)
            started = time.perf_counter()
            assert round_seal(round_=round_, now=round_.closes_at + timedelta(minutes=1))
            storage_settle()
            times.append(time.perf_counter() - started)
            assert Tally.objects.filter(round=round_).count() == UNITS * QUESTIONS
            if other is not None:  # close it quietly, so the next case starts alike
                round_seal(round_=other, now=other.closes_at + timedelta(minutes=1))
                storage_settle()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            server = "PostgreSQL " + cursor.fetchone()[0].split()[1]
        else:
            cursor.execute("SELECT sqlite_version()")
            server = "SQLite " + cursor.fetchone()[0]
    return {
        "server": server,
        "cases": {case: statistics.median(times) for case, times in cases.items()},
        "samples": cases,
    }


def _run_child(database: str, url: str, repeats: int) -> dict[str, Any]:
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.setdefault("SECRET_KEY", "insecure-key-for-benchmarks-only-0123456789abcdefghijkl")
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="sparring.settings")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        output = Path(handle.name)
    try:
        command = [
            sys.executable,
            "-m",
            "bench.seal",
            "--repeats",
            str(repeats),
            "--child-output",
            str(output),
        ]
        subprocess.run(command, env=env, cwd=BASE_DIR, check=True, timeout=CHILD_TIMEOUT_S)
        result: dict[str, Any] = json.loads(output.read_text())
        return result
    finally:
        output.unlink(missing_ok=True)


def _section(results: dict[str, dict[str, Any]], repeats: int, load: str) -> str:
    cores = os.cpu_count()
    lines = [
        f"## Sealing a round, run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {cores} cores, {_memory()}, {platform.system()} {platform.machine()}, {load}",
        f"- Software: Python {platform.python_version()}, "
        + ", ".join(r["server"] for r in results.values()),
        f"- Round: {PEOPLE:,} people who all answered, {UNITS:,} units ({LEVELS} levels), "
        f"{QUESTIONS} questions, a comment from about one in five; median of {repeats} runs",
        "",
        "| database | sealed alone | beside a second round open (half answered) |",
        "|---|---:|---:|",
    ]
    for database, result in results.items():
        alone, beside = result["cases"]["alone"], result["cases"]["beside an open round"]
        lines.append(f"| {database} | {alone:.2f} s | {beside:.2f} s |")
    return "\n".join(lines) + "\n"


def _write_docs(section: str) -> None:
    text = DOCS.read_text()
    generated = f"{START}\n{section}{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = f"{before}{generated}{rest.split(END, 1)[1]}"
    else:
        text = f"{text.rstrip()}\n\n{generated}\n"
    DOCS.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.seal", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database to drop, create and measure (default: %(default)s)",
    )
    parser.add_argument("--child-output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_output:
        args.child_output.write_text(json.dumps(_measure(args.repeats)))
        return
    load = _load()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = {}
    for database in databases:
        print(f"{database}: sealing {args.repeats} rounds of each case ...", flush=True)
        fresh = (
            _sqlite_database() if database == "sqlite" else _postgres_database(args.postgres_url)
        )
        with fresh as url:
            results[database] = _run_child(database, url, args.repeats)
        print(f"{database}: {results[database]['cases']}", flush=True)
    _write_docs(_section(results, args.repeats, load))
    print(f"Figures written to {DOCS.relative_to(BASE_DIR)}.")


if __name__ == "__main__":
    main()
