"""Online backups of the database, taken while the app keeps writing.

- SQLite: SQLite's backup API copies the database from a connection of its own, in one step,
  so the copy is the database as one read transaction saw it. In WAL mode a reader never
  blocks the writer: people keep working while the copy is made.
- PostgreSQL: `pg_dump --format=custom`, which reads one snapshot of the database.

Either way the copy is written under a temporary name beside the target (mode 600: it holds
personal data), checked, and only then renamed into place, so the target name never holds half
a backup. Restoring is a procedure with the app stopped, described in docs/backup.md."""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRESQL_ENGINE = "django.db.backends.postgresql"
# Seconds the copy waits for a lock SQLite holds briefly (a checkpoint, a recovery).
SQLITE_TIMEOUT = 20
# Connection options of the settings that libpq also reads from the environment; the others
# (keepalives and such) matter to a long-lived server connection, not to one dump.
LIBPQ_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """The backup failed and nothing was written under the target name; the message is for
    the operator."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes


def database_backup(*, output: Path, alias: str = "default") -> Backup:
    """Write a consistent copy of the database `alias` to `output`, replacing a file there only
    once the copy is complete and checked."""
    database = connections[alias].settings_dict
    engine = database["ENGINE"]
    if engine not in (SQLITE_ENGINE, POSTGRESQL_ENGINE):
        raise BackupError(
            _("Backups are made of SQLite and PostgreSQL databases, not of %(engine)s.")
            % {"engine": engine}
        )
    if engine == SQLITE_ENGINE:
        return sqlite_backup(database=Path(str(database["NAME"])), output=output)
    with _written_atomically(output) as partial:
        _postgresql_dump(alias=alias, target=partial)
    return Backup(path=output, size=output.stat().st_size)


def sqlite_backup(*, database: Path, output: Path) -> Backup:
    """Copy the SQLite database file `database` to `output`, while others may write to it."""
    with _written_atomically(output) as partial:
        _sqlite_copy(source=database, target=partial)
    return Backup(path=output, size=output.stat().st_size)


def backup_command_line(*, output: Path, alias: str = "default") -> str:
    """The pg_dump command that makes the backup, for operators with tooling of their own: the
    connection's variables first (never the password), then the command."""
    database = connections[alias].settings_dict
    if database["ENGINE"] != POSTGRESQL_ENGINE:
        raise BackupError(
            _(
                "--print-command is for PostgreSQL. On SQLite the copy is made by this command "
                "itself, with SQLite's backup API."
            )
        )
    command, environment = pg_dump_command(database=database, output=output)
    variables = [f"{name}={shlex.quote(value)}" for name, value in environment.items()]
    return " ".join([*variables, shlex.join(command)])


def pg_dump_command(
    *, database: Mapping[str, Any], output: Path, include_password: bool = False
) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments for the database settings `database`, and the variables to add to its
    environment. The password travels only in the environment (PGPASSWORD), where other users
    of the machine cannot read it, and only with `include_password`."""
    command = ["pg_dump", "--format=custom", f"--file={output}", "--no-password"]
    for setting, option in (("HOST", "--host"), ("PORT", "--port"), ("USER", "--username")):
        if database.get(setting):
            command.append(f"{option}={database[setting]}")
    command.append(f"--dbname={database['NAME']}")
    options = database.get("OPTIONS") or {}
    environment = {
        variable: str(options[option])
        for option, variable in LIBPQ_VARIABLES.items()
        if option in options
    }
    if include_password and database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return command, environment


@contextlib.contextmanager
def _written_atomically(output: Path) -> Iterator[Path]:
    """A temporary file beside `output` to write into; renamed to `output` when the block ends
    without an error, removed otherwise."""
    folder = output.parent
    if not folder.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": folder})
    if output.is_dir():
        raise BackupError(
            _("%(path)s is a folder: give the name of the backup file.") % {"path": output}
        )
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".partial")
    except OSError as error:
        raise BackupError(
            _("Cannot write in %(folder)s: %(error)s") % {"folder": folder, "error": error}
        ) from error
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        _flush(partial)
        partial.replace(output)
        _flush(folder)  # the rename itself survives a power cut
    except OSError as error:
        raise BackupError(
            _("Cannot write the backup to %(path)s: %(error)s") % {"path": output, "error": error}
        ) from error
    finally:
        for leftover in (partial, *_sqlite_companions(partial)):
            leftover.unlink(missing_ok=True)


def _flush(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sqlite_companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _sqlite_copy(*, source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(_("The SQLite database %(path)s does not exist.") % {"path": source})
    try:
        # mode=rw: never create an empty database where the real one was expected.
        live = sqlite3.connect(
            f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=SQLITE_TIMEOUT
        )
        try:
            copy = sqlite3.connect(target)
            try:
                # One step (pages=-1) reads every page in one read transaction: a snapshot of
                # one moment. A copy in several steps starts over whenever another process
                # writes between two steps, which under steady writing may never end.
                live.backup(copy, pages=-1)
                # The copy is a single file, with no -wal beside it to lose on the way.
                copy.execute("PRAGMA journal_mode=DELETE")
                problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
                broken_links = copy.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                copy.close()
        finally:
            live.close()
    except sqlite3.Error as error:
        raise BackupError(
            _("SQLite could not copy %(path)s: %(error)s") % {"path": source, "error": error}
        ) from error
    if problems != ["ok"]:
        raise BackupError(
            _("The copy fails SQLite's integrity check: %(problems)s")
            % {"problems": "; ".join(problems[:5])}
        )
    if broken_links:
        raise BackupError(
            _("The copy has %(count)d rows whose foreign key points nowhere, in %(tables)s.")
            % {
                "count": len(broken_links),
                "tables": ", ".join(sorted({row[0] for row in broken_links})),
            }
        )


def _postgresql_dump(*, alias: str, target: Path) -> None:
    command, environment = pg_dump_command(
        database=connections[alias].settings_dict, output=target, include_password=True
    )
    try:
        finished = subprocess.run(
            command,
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        major = _server_major(alias)
        raise BackupError(
            _(
                "pg_dump was not found. Install PostgreSQL's client programs of the server's "
                "major version (on Debian: %(package)s)."
            )
            % {"package": f"postgresql-client-{major or '<major>'}"}
        ) from error
    if finished.returncode != 0:
        raise BackupError(
            _(
                "pg_dump failed (exit status %(status)d): %(error)s\n"
                "pg_dump's major version must match the server's (or be newer): this pg_dump "
                "is %(client)s, the server's major version is %(server)s."
            )
            % {
                "status": finished.returncode,
                "error": "\n".join(finished.stderr.strip().splitlines()[-5:]),
                "client": _client_version(),
                "server": _server_major(alias) or _("unknown (the server cannot be reached)"),
            }
        )


def _server_major(alias: str) -> str | None:
    """The server's major version ("15"), None when it cannot be reached."""
    try:
        connection = connections[alias]
        connection.ensure_connection()
        version: int = connection.pg_version  # type: ignore[attr-defined]
    except DatabaseError:
        return None
    return str(version // 10000)


def _client_version() -> str:
    try:
        answer = subprocess.run(
            ["pg_dump", "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return _("unknown")
    return answer.stdout.strip() or _("unknown")
