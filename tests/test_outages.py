"""Outages, for real: Sparring runs as its own process (Django's WSGI application in one
long-lived thread, so a kept database connection is reused as in production), and the test
takes its storage away.

- PostgreSQL: a second cluster of the test's own, made with `initdb` and started and stopped
  with `pg_ctl` on a free port (as the `postgres` user when the test runs as root). Stopped,
  the app answers the Danish 503 page within 3 s; started again, the very next request is a
  200, with no restart of the app; a restart of PostgreSQL between two requests costs none.
- SQLite: the database folder and files are made read-only (mode 555/444). As root, whom
  modes do not stop, the app runs with the capabilities that override file modes removed
  (`setpriv --bounding-set=-dac_override,...`), so the kernel enforces the modes on it like on
  any other user. Every request that needs the database answers 503.

Every wait is bounded; the processes are stopped at the end whatever happens."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import free_port, migrated_sqlite, process_environment

# Each test starts the app on a database of its own (a SQLite file, a PostgreSQL cluster),
# whatever DATABASE_URL names, so one run of the suite is enough.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
UNAVAILABLE_DA = "Sparring er utilgængelig et øjeblik"
SERVE = (
    "import sys; from wsgiref.simple_server import WSGIRequestHandler, make_server\n"
    "from sparring.wsgi import application\n"
    "class Quiet(WSGIRequestHandler):\n"
    "    def log_message(self, *args): pass\n"
    "make_server('127.0.0.1', int(sys.argv[1]), application, handler_class=Quiet)"
    ".serve_forever()\n"
)


def _environment(database_url: str) -> dict[str, str]:
    # These tests are about the database; the worker's heartbeat has tests of its own.
    return process_environment(
        database_url, SPARRING_BASE_URL="http://127.0.0.1", SPARRING_WORKER_STALE_SECONDS="0"
    )


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )


@dataclass
class Response:
    status: int
    seconds: float
    headers: dict[str, str]
    text: str


class _PlainHttpCookies(http.cookiejar.DefaultCookiePolicy):
    # The app marks its cookies Secure (production behind TLS); the test speaks plain HTTP.
    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


class Browser:
    """Just enough of a browser: cookies, and the login form's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar(policy=_PlainHttpCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def request(self, path: str, data: dict[str, str] | None = None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=15) as answer:
                status, headers, raw = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        return Response(status, time.monotonic() - started, headers, raw.decode())

    def log_in(self, username: str, password: str) -> Response:
        """Posts the login form: a request that reads (and writes) the database."""
        form = self.request("/login/")
        assert form.status == 200, form.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token, "the login form has a CSRF token"
        return self.request(
            "/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )


@pytest.fixture
def serve() -> Iterator[Callable[..., Browser]]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str], prefix: tuple[str, ...] = ()) -> Browser:
        port = free_port()
        process = subprocess.Popen(
            [*prefix, sys.executable, "-c", SERVE, str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.append(process)
        browser = Browser(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                # A page that needs no database (the health endpoints have tests of their own).
                if browser.request("/accessibility/").status == 200:
                    return browser
            except OSError:
                time.sleep(0.1)
        process.kill()
        raise AssertionError(f"the app did not start: {process.communicate()[1].decode()}")

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- PostgreSQL ------------------------------------------------------------------------------


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    assert pg_ctl, "PostgreSQL's server programs (initdb, pg_ctl) are needed for this test"
    return Path(pg_ctl).parent


class Cluster:
    """A PostgreSQL cluster of the test's own on a free port, trust authentication."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="sparring-outage-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        # PostgreSQL refuses to run as root: then the cluster belongs to `postgres`.
        self.prefix: tuple[str, ...] = ("runuser", "-u", "postgres", "--") if IS_ROOT else ()
        if IS_ROOT:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "sparring")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/sparring"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.prefix, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            timeout=60,
            cwd=self.folder,
        )

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )
        log = str(self.folder / "log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "30", *args)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    try:
        _manage(_environment(made.url), "migrate", "--noinput")
        yield made
    finally:
        made.remove()


def test_postgresql_stopped_gives_a_danish_503_within_3_seconds_and_recovers(cluster, serve):
    browser = serve(_environment(cluster.url))
    assert browser.log_in("alice", "wrong-password-1").status == 200  # the form, again

    cluster.stop()
    for _ in range(3):  # not only the first request: no hanging once the app knows either
        answer = browser.log_in("alice", "wrong-password-2")
        assert answer.status == 503
        assert answer.seconds < 3, f"{answer.seconds:.1f} s to the 503 page"
        assert UNAVAILABLE_DA in answer.text and 'lang="da"' in answer.text
        assert answer.headers["Retry-After"] == "30"
    ready = browser.request("/health/ready")
    assert ready.status == 503 and ready.seconds < 3

    cluster.start()
    # The very next request works: the app needs no restart and costs no error.
    assert browser.log_in("alice", "wrong-password-3").status == 200
    assert browser.request("/health/ready").status == 200


def test_a_postgresql_restart_between_two_requests_costs_no_error(cluster, serve):
    browser = serve(_environment(cluster.url))
    for attempt in range(2):
        assert browser.log_in("alice", "wrong-password").status == 200, attempt
        cluster.restart()  # the app's kept connection dies with the old server
        answer = browser.log_in("alice", f"wrong-password-{attempt}")
        assert answer.status == 200, answer.text[:300]


# --- SQLite ----------------------------------------------------------------------------------


def test_a_read_only_sqlite_folder_gives_503(serve):
    folder = Path(tempfile.mkdtemp(prefix="sparring-outage-sqlite-"))
    database = folder / "sparring.sqlite3"
    env = _environment(f"sqlite:///{database}")
    try:
        migrated_sqlite(database)
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        # Root ignores file modes; without the capabilities that let it, it is held to them.
        prefix = (
            ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")
            if IS_ROOT
            else ()
        )
        browser = serve(env, prefix)
        answer = browser.log_in("alice", "wrong-password")
        assert answer.status == 503
        assert UNAVAILABLE_DA in answer.text
        assert answer.headers["Retry-After"] == "30"
        assert browser.request("/health/ready").status == 503
        # A page that needs no database still works.
        assert browser.request("/accessibility/").status == 200
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_postgresql_that_never_answers_gives_503_within_3_seconds(serve):
    """A database host that takes the connection and then says nothing (an overloaded or
    frozen server, a half-open firewall): the kernel completes the handshake on a socket that
    nobody serves, so only the connect timeout can end the wait."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        browser = serve(_environment(f"postgres://postgres@127.0.0.1:{port}/sparring"))
        answer = browser.log_in("alice", "wrong-password")
        assert answer.status == 503
        assert answer.seconds < 3, f"{answer.seconds:.1f} s to the 503 page"
        assert UNAVAILABLE_DA in answer.text
        ready = browser.request("/health/ready")
        assert ready.status == 503 and ready.seconds < 3
