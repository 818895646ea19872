"""What the tests that run Sparring as processes of its own share: a free loopback port, the
environment of such a process (the suite's own variables left out), and a PostgreSQL database
of the test's own beside the suite's."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

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
