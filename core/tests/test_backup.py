"""`manage.py backup` under write load, and the restore of docs/backup.md, on each database.

A second process writes units through the app's own service, each in one transaction with its
audit row (and a path set after the first insert), committing as fast as it can. The backup
runs in the middle of it. The copy is then restored into a fresh database, as docs/backup.md
says, and must pass the database's own checks, need no migration, and hold a whole prefix of
the writes: every unit written before the backup began, none written after it ended, no
numbers missing in between and no transaction half there.

- SQLite: a database file of the test's own, made by `migrate` in a subprocess (pytest-django's
  SQLite test database lives in memory, which no backup reads), so the test is the same
  whatever DATABASE_URL names, and marked `own_database` like the other such tests. Two
  backups: `manage.py backup` as an operator runs it, and the command's copy called in this
  process, with the counts read moments before and after it, a window too narrow for a copy
  that left out the `-wal` file to pass.
- PostgreSQL: the test database on the server DATABASE_URL names; the copy is restored into a
  database made for it and dropped at the end. Skipped without a PostgreSQL DATABASE_URL;
  fails, not skips, when PostgreSQL's client programs are missing.

Every process and wait is bounded in time."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from core.backup import pg_dump_command, sqlite_backup
from core.models import AuditEntry
from organisation.models import Unit
from tests.processes import migrated_sqlite, process_environment

ROOT = Path(__file__).resolve().parents[2]
UNITS = Unit._meta.db_table
AUDIT = AuditEntry._meta.db_table
# Writes before the backup starts, so it is taken in the middle of the load, not at its start.
WRITES_BEFORE = 30
# The load stops by itself after this long, whatever happens to the test.
LOAD_SECONDS = 120
WAIT_SECONDS = 60
# pg_restore's options for the connection's settings.
PG_OPTIONS = (("host", "host"), ("port", "port"), ("user", "username"))

# The load: one unit after another through the app's service, each in its own transaction with
# its audit row, until the stop file appears. Exit status 3 if it ran out of time instead.
LOAD = """\
import sys, time
from pathlib import Path
import django
django.setup()
from organisation.services import unit_create
stop, deadline = Path(sys.argv[1]), time.monotonic() + float(sys.argv[2])
root = unit_create(actor=None, name="load", parent=None)
written = 0
while not stop.exists():
    if time.monotonic() > deadline:
        sys.exit(3)
    unit_create(actor=None, name=f"load-{written}", parent=root)
    written += 1
"""


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS} s for {what}"
        time.sleep(0.02)


@contextmanager
def _write_load(env: dict[str, str], folder: Path) -> Iterator[None]:
    """The load runs for the block; when it ends, the load must have stopped cleanly."""
    stop = folder / "stop-the-load"
    load = subprocess.Popen(
        [sys.executable, "-c", LOAD, str(stop), str(LOAD_SECONDS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield
    finally:
        stop.touch()
        try:
            _, err = load.communicate(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            load.kill()
            _, err = load.communicate()
    assert load.returncode == 0, f"the load failed ({load.returncode}): {err[-2000:]}"


def _load_written(cursor: Any) -> int:
    cursor.execute(f"SELECT count(*) FROM {UNITS} WHERE name LIKE 'load-%'")
    return int(cursor.fetchone()[0])


def _command_backup(
    env: dict[str, str], output: Path, written: Callable[[], int]
) -> tuple[int, int]:
    """`manage.py backup` as an operator runs it, in the middle of the load; the numbers of
    units written before it started and after it ended."""
    before = written()
    backup = _manage(env, "backup", "--output", str(output))
    after = written()
    assert backup.returncode == 0, backup.stderr
    # The command speaks the installation's language, Danish by default.
    assert "Sikkerhedskopien er skrevet til" in backup.stdout
    assert output.stat().st_mode & 0o777 == 0o600, "a backup holds personal data"
    print(f"{backup.stdout.strip()} ({before}..{after} units written meanwhile)")
    return before, after


def _assert_whole_prefix(cursor: Any, *, before: int, after: int) -> int:
    """The restored units are load-0 ... load-(n-1) with before <= n <= after, each with its
    audit row and its final path: no transaction is half there."""
    cursor.execute(f"SELECT name FROM {UNITS} WHERE name LIKE 'load-%'")
    numbers = sorted(int(name.removeprefix("load-")) for (name,) in cursor.fetchall())
    assert before <= len(numbers) <= after, (before, len(numbers), after)
    assert numbers == list(range(len(numbers))), "the copy holds later writes without earlier ones"
    cursor.execute(
        f"SELECT u.id FROM {UNITS} u WHERE NOT EXISTS (SELECT 1 FROM {AUDIT} a "
        "WHERE a.action = 'unit.create' AND a.target_type = 'organisation.unit' "
        "AND a.target_id = CAST(u.id AS TEXT))"
    )
    assert cursor.fetchall() == [], "units without their audit row"
    cursor.execute(
        f"SELECT a.target_id FROM {AUDIT} a WHERE a.action = 'unit.create' AND NOT EXISTS "
        f"(SELECT 1 FROM {UNITS} u WHERE CAST(u.id AS TEXT) = a.target_id)"
    )
    assert cursor.fetchall() == [], "audit rows without their unit"
    # A unit's path is set by a second statement of its transaction.
    cursor.execute(f"SELECT id FROM {UNITS} WHERE path LIKE 'new-%'")
    assert cursor.fetchall() == [], "units without their final path"
    return len(numbers)


# --- SQLite ----------------------------------------------------------------------------------


@pytest.mark.own_database
def test_sqlite_backup_under_write_load_restores_a_whole_prefix(tmp_path: Path) -> None:
    live = tmp_path / "live" / "sparring.sqlite3"
    live.parent.mkdir()
    env = process_environment(f"sqlite:///{live}")
    migrated_sqlite(live)

    def written() -> int:
        with closing(sqlite3.connect(live, timeout=20)) as reader:
            return _load_written(reader.cursor())

    copies = tmp_path / "copies"
    copies.mkdir()
    windows = {}
    with _write_load(env, tmp_path):
        _wait_for(lambda: written() >= WRITES_BEFORE, "the load to start writing")
        # The command's own copy, called in this process: the counts are read moments before
        # and after it, a window too narrow for a copy of the main file without its -wal.
        before = written()
        sqlite_backup(database=live, output=copies / "close.sqlite3")
        windows["close.sqlite3"] = (before, written())
        windows["command.sqlite3"] = _command_backup(env, copies / "command.sqlite3", written)
        after = windows["command.sqlite3"][1]
        # The writer was never held up: it goes on after the backups.
        _wait_for(lambda: written() > after, "the load to write after the backups")
    assert sorted(p.name for p in copies.iterdir()) == sorted(windows)

    for name, (before, after) in windows.items():
        # The restore of docs/backup.md, into a fresh folder: the file alone, no -wal or -shm.
        restored = tmp_path / f"restored-{name}" / "sparring.sqlite3"
        restored.parent.mkdir()
        shutil.copyfile(copies / name, restored)
        with closing(sqlite3.connect(restored)) as database:
            assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert database.execute("PRAGMA foreign_key_check").fetchall() == []
            units = _assert_whole_prefix(database.cursor(), before=before, after=after)
        print(f"{name}: {before} <= {units} restored units <= {after}")

        check = _manage(process_environment(f"sqlite:///{restored}"), "migrate", "--check")
        assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.own_database
def test_a_failed_sqlite_backup_leaves_the_previous_copy_and_no_partial_file(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    copy = tmp_path / "copies" / "sparring.sqlite3"
    copy.parent.mkdir()
    copy.write_bytes(b"last night's copy")

    failed = _manage(process_environment(f"sqlite:///{broken}"), "backup", "--output", str(copy))

    assert failed.returncode != 0
    assert "SQLite kunne ikke kopiere" in failed.stderr
    assert copy.read_bytes() == b"last night's copy"
    assert sorted(p.name for p in copy.parent.iterdir()) == ["sparring.sqlite3"]


# --- PostgreSQL ------------------------------------------------------------------------------


# Skipped before pytest-django sets up a test database for nothing.
on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason=(
        "PostgreSQL's backup: run with DATABASE_URL=postgres://... (this run is on SQLite, whose "
        "backup the SQLite tests cover)"
    ),
)


def _client_programs_installed() -> None:
    for program in ("pg_dump", "pg_restore"):
        # A CI machine without them must fail here, not skip.
        assert shutil.which(program), (
            f"{program} is missing: install PostgreSQL's client programs of the server's major "
            "version (on Debian: postgresql-client-<major>)"
        )


def _database_url(name: str) -> str:
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    at = f"{user}{password}@" if user else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{at}{database['HOST'] or ''}{port}/{name}"


def _connection_arguments(name: str) -> dict[str, str]:
    database = connection.settings_dict
    given = {
        "host": database["HOST"],
        "port": str(database["PORT"] or ""),
        "user": database["USER"],
        "password": database["PASSWORD"],
        "dbname": name,
    }
    return {key: value for key, value in given.items() if value}


@contextmanager
def _fresh_database() -> Iterator[str]:
    name = f"sparring_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)).as_string())
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                .format(sql.Identifier(name))
                .as_string()
            )


def _foreign_keys(cursor: Any) -> list[tuple[str, str, str, str]]:
    cursor.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, r.attname "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND c.convalidated AND cardinality(c.conkey) = 1 "
        "ORDER BY 1, 2"
    )
    return [tuple(row) for row in cursor.fetchall()]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_under_write_load_restores_a_whole_prefix(tmp_path: Path) -> None:
    _client_programs_installed()
    env = process_environment(_database_url(connection.settings_dict["NAME"]))

    def written() -> int:
        with connection.cursor() as cursor:
            return _load_written(cursor)

    copy = tmp_path / "sparring.dump"
    with _write_load(env, tmp_path):
        _wait_for(lambda: written() >= WRITES_BEFORE, "the load to start writing")
        before, after = _command_backup(env, copy, written)
        # The writer was never held up: it goes on after the backup.
        _wait_for(lambda: written() > after, "the load to write after the backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sparring.dump", "stop-the-load"]
    with connection.cursor() as cursor:
        live_keys = _foreign_keys(cursor)
    assert len(live_keys) > 20, "the app's foreign keys, read from the live database"

    with _fresh_database() as name:
        arguments = _connection_arguments(name)
        restore_env = {**os.environ}
        if "password" in arguments:
            restore_env["PGPASSWORD"] = arguments["password"]
        restore = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-password",
                *(f"--{option}={arguments[key]}" for key, option in PG_OPTIONS if key in arguments),
                f"--dbname={name}",
                str(copy),
            ],
            env=restore_env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert restore.returncode == 0, restore.stderr

        with psycopg.connect(**arguments, connect_timeout=10) as restored:  # type: ignore[arg-type]
            check_cursor = restored.cursor()
            # Every foreign key came back, was validated when pg_restore added it, and holds.
            assert _foreign_keys(check_cursor) == live_keys
            for table, column, target, target_column in live_keys:
                check_cursor.execute(
                    sql.SQL(
                        "SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT "
                        "EXISTS (SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column})"
                    ).format(
                        table=sql.SQL(table),
                        column=sql.Identifier(column),
                        target=sql.SQL(target),
                        target_column=sql.Identifier(target_column),
                    )
                )
                assert check_cursor.fetchone() == (0,), f"{table}.{column} points nowhere"
            restored_units = _assert_whole_prefix(check_cursor, before=before, after=after)
        print(f"{before} <= {restored_units} restored units <= {after}, {len(live_keys)} keys")

        check = _manage(process_environment(_database_url(name)), "migrate", "--check")
        assert check.returncode == 0, check.stdout + check.stderr


@on_postgresql
def test_a_failed_pg_dump_names_the_versions_and_writes_nothing(tmp_path: Path) -> None:
    _client_programs_installed()
    copy = tmp_path / "sparring.dump"
    copy.write_bytes(b"last night's copy")

    failed = _manage(
        process_environment(_database_url(f"sparring_missing_{uuid.uuid4().hex[:12]}")),
        "backup",
        "--output",
        str(copy),
    )

    assert failed.returncode != 0
    assert "pg_dump fejlede" in failed.stderr and "hovedversion" in failed.stderr
    assert copy.read_bytes() == b"last night's copy"
    assert [p.name for p in tmp_path.iterdir()] == ["sparring.dump"]


@on_postgresql
@pytest.mark.django_db
def test_a_missing_pg_dump_says_which_client_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without pg_dump

    with pytest.raises(CommandError, match=r"pg_dump blev ikke fundet.*postgresql-client-\d+"):
        call_command("backup", "--output", str(tmp_path / "sparring.dump"))

    assert list(tmp_path.iterdir()) == []


# --- The pg_dump command line, on either database ---------------------------------------------


def test_the_password_goes_to_the_environment_never_to_the_command_line() -> None:
    database = {
        "NAME": "sparring",
        "USER": "sparring",
        "PASSWORD": "s3cret-pass",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "verify-full", "keepalives": 1},
    }

    command, environment = pg_dump_command(
        database=database, output=Path("out.dump"), include_password=True
    )
    printed, printed_environment = pg_dump_command(database=database, output=Path("out.dump"))

    assert (
        command
        == printed
        == [
            "pg_dump",
            "--format=custom",
            "--file=out.dump",
            "--no-password",
            "--host=db.internal",
            "--port=5433",
            "--username=sparring",
            "--dbname=sparring",
        ]
    )
    assert environment == {"PGSSLMODE": "verify-full", "PGPASSWORD": "s3cret-pass"}
    assert printed_environment == {"PGSSLMODE": "verify-full"}
