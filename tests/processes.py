"""What the tests that run Sparring as processes of its own share: a free loopback port, the
environment of such a process (the suite's own variables left out), a migrated SQLite
database, and a PostgreSQL database of the test's own beside the suite's."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django

ROOT = Path(__file__).resolve().parents[1]
# Migrated SQLite databases to copy, one per set of migrations: migrating an empty database in
# a process of its own takes about 12 s of a core.
TEMPLATES = ROOT / "var" / "test-templates"

# Where a test makes its own PostgreSQL database when DATABASE_URL names none.
POSTGRES = os.environ.get(
    "SPARRING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of an app process on `database_url`: this one's, without pytest's and
    Django's own variables, with production settings (DEBUG off) for plain HTTP on loopback,
    and `settings` on top."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST")) and k not in {"DEBUG", "DATABASE_URL"}
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="insecure-key-for-tests-of-processes-0123456789abcdefghijklmnop",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="sparring.settings",
        **settings,
    )
    return env


@contextmanager
def postgres_database(name: str, *, server: str = POSTGRES) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database `name` on the server of the URL `server`,
    dropped afterwards."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(server)
    maintenance = urlunsplit(parts._replace(path="/postgres"))

    def run(statement: str) -> None:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(name)))

    run("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    run("CREATE DATABASE {}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        run("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def migrated_sqlite(path: Path) -> None:
    """Put an SQLite database with every migration applied at `path`: a copy of one made by
    `manage.py migrate` once for these migrations (whichever test process asks first, the
    others wait for it) and kept under var/test-templates."""
    migrations = hashlib.sha256(django.get_version().encode())
    for migration in sorted(ROOT.glob("*/migrations/*.py")):
        migrations.update(migration.relative_to(ROOT).as_posix().encode())
        migrations.update(migration.read_bytes())
    template = TEMPLATES / f"{migrations.hexdigest()[:16]}.sqlite3"
    if not template.exists():
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        with (TEMPLATES / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not template.exists():
                _template_make(template)
    shutil.copyfile(template, path)


def _template_make(template: Path) -> None:
    for old in TEMPLATES.glob("*.sqlite3*"):
        old.unlink()
    partial = template.with_name(f"{template.stem}.partial")
    env = process_environment(f"sqlite:///{partial}")
    command = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=300)
    # Everything in the one file: a copy of it is then the whole database.
    with closing(sqlite3.connect(partial)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(template)
    for leftover in TEMPLATES.glob(f"{partial.name}-*"):
        leftover.unlink()
