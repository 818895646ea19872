"""A kept PostgreSQL connection is checked at the start of each request without asking the
server, while it is in use.

Django's health check (CONN_HEALTH_CHECKS, sparring/settings.py) sends `SELECT 1` before a
request's first query: a round trip on every request, for a connection that nearly always
works. A server that ends a connection (a restart, `pg_terminate_backend`, an idle timeout)
says so on its socket, with a last message and then the end of the stream, and an idle
connection is sent nothing else. So a connection whose socket has something to read, or has
hung up, is closed and the request opens a new one; one whose last request began less than
`TRUSTED_SECONDS` ago counts as checked. Any other is left to Django's `SELECT 1`:
a server gone without a word (a network that fails) says nothing on the socket, and the
connection's keepalives (sparring/settings.py) take that long to notice."""

from __future__ import annotations

import select
import time
from typing import Any

from django.db import connections

# The keepalives' idle time (sparring/settings.py): a connection used within it is live as far
# as the kernel knows.
TRUSTED_SECONDS = 10


def checked_by_its_socket(**kwargs: Any) -> None:
    """At each request's start: Django's `request_started`, after Django's own
    `close_old_connections` (connected as django.db is imported, before any app starts),
    which marks each kept connection as not yet checked."""
    now = time.monotonic()
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
        elif now - getattr(connection, "_socket_checked_at", -TRUSTED_SECONDS) < TRUSTED_SECONDS:
            connection.health_check_done = True
        connection._socket_checked_at = now


def _ended_by_the_server(raw: Any) -> bool:
    try:
        if raw.closed:
            return True
        poller = select.poll()
        poller.register(raw.fileno(), select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))  # data, a hang-up or an error: never a live idle one
    except Exception:  # whatever fails here, a new connection is the answer
        return True
