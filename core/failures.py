"""Failures that are the service's, not the request's: the database cannot be reached, or the
disk under it is full or read-only. They get a 503 that asks people to come back in a moment
(with Retry-After) instead of a 500 that says something is broken for good.

Plain Python apart from the exception classes, so it can be tested without a database."""

from __future__ import annotations

import errno
import sqlite3

from django.db import InterfaceError, OperationalError

# Seconds a browser or a load balancer is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

# SQLite raises OperationalError for a broken SQL statement too; only these mean the storage
# is out of reach (read-only folder or file, full disk, failing disk, a writer holding the lock).
SQLITE_UNAVAILABLE = (
    "readonly database",
    "read-only",
    "disk i/o error",
    "database or disk is full",
    "unable to open database file",
    "database is locked",
)
# The same, when a file on the disk (not the database) cannot be written.
OS_UNAVAILABLE = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO}


def is_unavailable(error: BaseException | None) -> bool:
    """True if `error`, or an error it was raised from, says the database or its disk is out of
    reach for now: PostgreSQL refused, timed out or dropped the connection, or SQLite cannot
    write its files."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sqlite3.OperationalError):
            return _sqlite_unavailable(error)
        if isinstance(error, OperationalError | InterfaceError):
            # Django's wrapper: the driver's own error is its cause.
            if isinstance(error.__cause__, sqlite3.Error):
                return _sqlite_unavailable(error)
            # PostgreSQL: psycopg's OperationalError is the connection's (refused, timed out,
            # closed, server shutting down) or another passing one (a deadlock, a cancelled
            # statement), worth a retry; a broken statement is a ProgrammingError.
            return True
        if isinstance(error, OSError) and error.errno in OS_UNAVAILABLE:
            return True
        error = error.__cause__ or error.__context__
    return False


def _sqlite_unavailable(error: BaseException) -> bool:
    message = str(error).lower()
    return any(part in message for part in SQLITE_UNAVAILABLE)
