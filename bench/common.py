"""What the benchmarks share: a fresh database for each run, a child process per database
(so Django reads a fresh DATABASE_URL), the machine's description, and writing a section of
figures into docs/benchmarks.md between markers of its own."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS = BASE_DIR / "docs" / "benchmarks.md"
SCRATCH = BASE_DIR / "var" / "bench"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/sparring_bench"


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) of the samples."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


@contextmanager
def sqlite_database() -> Iterator[str]:
    """The URL of a new SQLite file, removed afterwards."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="run-", dir=SCRATCH))
    try:
        yield f"sqlite:///{directory / 'bench.sqlite3'}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if SCRATCH.exists() and not any(SCRATCH.iterdir()):
            SCRATCH.rmdir()


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """The PostgreSQL database at `url`, dropped and created afresh, and dropped afterwards."""
    postgres_recreate(url)
    try:
        yield url
    finally:
        _postgres_run(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


def postgres_recreate(url: str) -> None:
    """Drop the PostgreSQL database at `url` if it exists, and create it empty."""
    import psycopg

    try:
        _postgres_run(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        _postgres_run(url, "CREATE DATABASE {}")
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL is not reachable ({error}).\n"
            "Start it, pass --postgres-url, or measure SQLite only with --database sqlite."
        ) from None


def _postgres_run(url: str, statement: str) -> None:
    """Run `statement` about the database at `url` ({} is its name) from the maintenance
    database beside it."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    name = sql.Identifier(parts.path.lstrip("/"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(name))


def child_env(url: str) -> dict[str, str]:
    """The environment of a child process that measures the database at `url`."""
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.setdefault("SECRET_KEY", "insecure-key-for-benchmarks-only-0123456789abcdefghijkl")
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="sparring.settings",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver,127.0.0.1",
    )
    return env


def memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def load() -> str:
    try:
        one, five, _fifteen = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) at the start"


def write_section(section: str, *, start: str, end: str, intro: str) -> None:
    """Put `section` between the markers in docs/benchmarks.md, or at its end."""
    text = DOCS.read_text() if DOCS.exists() else intro
    generated = f"{start}\n{section}{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = f"{before}{generated}{after}"
    else:
        text = f"{text.rstrip()}\n\n{generated}\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)


def planner_statistics_make() -> None:
    """The query planner's statistics, as a running installation has them after an import:
    PostgreSQL's autovacuum makes them in its own time (where it is on: a server may run with
    it off, and a load run on a database without them measured bad plans), the worker makes
    SQLite's at its first tick. Run in a process where Django is set up."""
    from django.db import connection
    from django.utils import timezone

    from notifications.tasks import statistics_refresh

    statistics_refresh(timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
