"""A kept PostgreSQL connection is checked at the start of each request without asking the
server.

Django's health check (CONN_HEALTH_CHECKS, sparring/settings.py) sends `SELECT 1` before a
request's first query: a round trip on every request, for a connection that nearly always
works. A server that ends a connection (a restart, `pg_terminate_backend`, an idle timeout)
says so on its socket, with a last message and then the end of the stream, and an idle
connection is sent nothing else. So between requests a connection whose socket has something
to read is closed, and the request opens a new one; any other counts as checked. A server gone
without a word (a network that fails) is noticed as before: the connection's keepalives and
its TCP user timeout end it (sparring/settings.py)."""

from __future__ import annotations

import select
from typing import Any

from django.db import connections


def checked_by_its_socket(**kwargs: Any) -> None:
    """At each request's start: Django's `request_started`, after Django's own
    `close_old_connections` (connected as django.db is imported, before any app starts),
    which marks each kept connection as not yet checked."""
    for each in connections.all(initialized_only=True):
        connection: Any = each  # Django's health check attributes, which its stubs lack
        if (
            connection.vendor != "postgresql"
            or connection.connection is None
            or not connection.health_check_enabled
            or connection.health_check_done
            or connection.in_atomic_block
        ):
            continue
        if _ended_by_the_server(connection.connection):
            connection.close()
        else:
            connection.health_check_done = True


def _ended_by_the_server(raw: Any) -> bool:
    if raw.closed:
        return True
    try:
        readable, _writable, _failed = select.select([raw.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
