"""The production server for real: `manage.py serve` (gunicorn, sparring/server.py) on a
loopback port, on a database of the test's own of the kind DATABASE_URL names (a SQLite file,
or a new PostgreSQL database beside the suite's), started with --migrate.

Under load of failed logins (each a real request: a password hash, a form, a row of the
lock-out's log), the test sends SIGTERM and shows that every request the server received is
answered in full, that a request sent after the server has gone is refused before anything is
sent (which a client or proxy may try again elsewhere), and that the server exits by itself,
well within its grace. Its log is JSON lines, each with its time in UTC with the offset and
the id of its request, and the id is the one the response carried.

Every wait is bounded; the server is killed at the end whatever happens."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.processes import free_port, postgres_database, process_environment

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 8
GRACE_SECONDS = 20


@contextmanager
def _database() -> Iterator[str]:
    """A new, empty database of the kind the suite runs on, removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        with postgres_database(f"sparring_serve_{os.getpid()}", server=url) as made:
            yield made
        return
    directory = Path(tempfile.mkdtemp(prefix="serve-"))
    try:
        yield f"sqlite:///{directory / 'serve.sqlite3'}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path


@contextmanager
def _serve(database_url: str, log: Path) -> Iterator[Served]:
    port = free_port()
    env = process_environment(
        database_url,
        SPARRING_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="3",
        SPARRING_GRACEFUL_SECONDS=str(GRACE_SECONDS),
        SPARRING_WORKER_STALE_SECONDS="0",
        # The load is failed logins from one address: the address's lock-out would end it.
        SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS="1000000",
        LOG_FORMAT="json",
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--migrate"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180  # the migrations of a new database included
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if _get(port, "/health/live").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"The server did not answer within 180 s:\n{log.read_text()[-3000:]}")
        yield Served(process=process, port=port, log=log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Answer:
    status: int
    body: bytes
    request_id: str


def _get(port: int, path: str) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return Answer(response.status, response.read(), response.getheader("X-Request-ID", ""))
    finally:
        conn.close()


CSRF = secrets.token_hex(16)  # Django takes the unmasked secret as the form's token


def _failed_login(port: int) -> Answer:
    """One failed login, sent whole before its answer is read. Raises ConnectionRefusedError
    when the server is gone before the request is sent."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.connect()
        body = urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "username": f"nobody-{secrets.token_hex(4)}",
                "password": "not the password",
            }
        )
        conn.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={CSRF}",
            },
        )
        response = conn.getresponse()
        return Answer(response.status, response.read(), response.getheader("X-Request-ID", ""))
    finally:
        conn.close()


@dataclass
class Sent:
    started: float
    ended: float
    answer: Answer | None  # None: sent, then reset or cut off
    error: str = ""


@dataclass
class Load:
    """Clients sending failed logins one after another until the server refuses them."""

    port: int
    sent: list[Sent] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, until: float) -> None:
        while time.monotonic() < until:
            started = time.monotonic()
            try:
                outcome = Sent(started, 0.0, _failed_login(self.port))
            except ConnectionRefusedError:
                with self.lock:
                    self.refused += 1
                return  # the server is gone: nothing was sent
            except OSError as error:
                outcome = Sent(started, 0.0, None, repr(error))
            outcome.ended = time.monotonic()
            with self.lock:
                self.sent.append(outcome)


def test_sigterm_under_load_answers_every_request_in_flight_then_exits(tmp_path):
    with _database() as url, _serve(url, tmp_path / "server.log") as served:
        assert _get(served.port, "/login/").status == 200
        load = Load(port=served.port)
        until = time.monotonic() + 60
        threads = [
            threading.Thread(target=load.client, args=(until,), daemon=True) for _ in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(3)  # the load runs; then the service manager stops the server
        stopped_at = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        code = served.process.wait(timeout=GRACE_SECONDS + 10)
        gone_after = time.monotonic() - stopped_at
        for thread in threads:
            thread.join(timeout=40)

        assert code == 0
        assert gone_after < GRACE_SECONDS / 2, "the server waited out its grace: a worker hung"
        # Every request sent before the signal is answered in full, those that were running
        # as it came and those still waiting in the queue.
        before = [s for s in load.sent if s.started < stopped_at]
        assert [s.error for s in before if s.answer is None] == []
        assert all(s.answer.status == 200 for s in before if s.answer)
        assert all(b'name="password"' in s.answer.body for s in before if s.answer)
        in_flight = [s for s in before if s.ended > stopped_at]
        # The test proves something only when requests were running as the signal came.
        assert in_flight, "no request was in flight at SIGTERM"
        assert load.refused == CLIENTS  # once the server is gone, it refuses

        lines = [json.loads(line) for line in served.log.read_text().splitlines() if line]
        assert all(line["time"].endswith("+00:00") for line in lines)
        logged = {line["request_id"] for line in lines if line["logger"] == "sparring.requests"}
        assert {s.answer.request_id for s in in_flight if s.answer} <= logged
