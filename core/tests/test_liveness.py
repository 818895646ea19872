"""A kept PostgreSQL connection is checked at a request's start by its socket, not by a
query: a live one is kept without a word to the server, one the server ended is replaced."""

from __future__ import annotations

import select
import time
from typing import Any, cast

import psycopg
import pytest
from django.conf import settings
from django.core.signals import request_started
from django.db import connection

from core.liveness import checked_by_its_socket

UID = "core.liveness.checked_by_its_socket"


def _request_starts() -> None:
    """What a server's handler does as a request comes in: Django's close_old_connections, then
    the check. (Django's test client takes close_old_connections off the signal for each of
    its requests and puts it back last; a server's order is the one of the apps' start.)"""
    request_started.disconnect(dispatch_uid=UID)
    request_started.connect(checked_by_its_socket, dispatch_uid=UID)
    request_started.send(sender=None)


@pytest.mark.django_db(transaction=True)
def test_a_live_connection_is_kept_unasked_and_one_the_server_ended_is_replaced():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's connections: run with DATABASE_URL=postgres://...")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    kept = connection.connection
    _request_starts()
    # Its first request leaves it to Django's SELECT 1 (nothing says it was used lately); the
    # next, straight after, finds it checked without a query, and kept.
    assert not cast(Any, connection).health_check_done
    _request_starts()
    assert cast(Any, connection).health_check_done and connection.connection is kept

    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname=database["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server's goodbye reaches the socket.
    deadline = time.monotonic() + 5
    while not select.select([kept.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server never ended the connection"
    _request_starts()
    assert connection.connection is None  # closed before the request's first query
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
