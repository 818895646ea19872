"""Scaling out, for real: two production servers (`manage.py serve`) and two workers
(`manage.py worker`) as separate processes on loopback ports, on one PostgreSQL database of
the test's own, with a real SMTP server and a real chat webhook on 127.0.0.1. It shows:

- a session made on one server works on the other, and ending it on one ends it on both;
- every e-mail and chat message goes out exactly once, though both workers deliver;
- a survey's round is opened once and a closed round sealed once, though both workers tick;
- killing a server (its whole process group, as a machine or container dies) loses no write
  it acknowledged: every recognition answered with a redirect is in the database;
- killing a worker mid-delivery loses no e-mail: the other sends what the dead one had
  claimed once its claim (SPARRING_DELIVERY_LEASE_SECONDS, short here) has run out.

The child processes read the machine's clock, as in production; nothing asserted depends on
the day or the hour (tests/scale_out_data.py). Every wait is bounded; every process is killed
at the end whatever happens."""

from __future__ import annotations

import asyncio
import email
import email.policy
import functools
import http.client
import http.server
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller

from tests.processes import free_port, postgres_database, process_environment

pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get(
    "SPARRING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
LEASE_SECONDS = 3
CSRF = secrets.token_hex(16)  # Django takes the unmasked secret as the form's token


class Inbox:
    """A real SMTP server that keeps (to, subject) of every message, slowly when asked."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[str, str]] = []
        self.delay = 0.0
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for to in envelope.rcpt_tos:
            self.received.append((to, str(message["Subject"]).strip()))
        return "250 Message accepted for delivery"


class ChatChannel(http.server.ThreadingHTTPServer):
    """A chat service's incoming webhook: keeps the text of every message posted to it."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        channel = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                # Slack's format: the text, an empty line, and the link.
                channel.texts.append(json.loads(body)["text"].split("\n\n")[0])
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)


def _data(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.scale_out_data", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


class Processes:
    """The servers and workers, each in a process group of its own."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str], **extra: str) -> None:
        with (self.logs / f"{name}.log").open("wb") as out:
            self.started[name] = subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env={**self.env, **extra},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, name: str) -> None:
        """As a machine dies: the process and all its children at once, with no warning."""
        process = self.started[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()[-3000:]


def _request(
    port: int, method: str, path: str, *, cookie: str = "", form: dict[str, Any] | None = None
) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"csrftoken={CSRF}; {cookie}"}
    body = None
    if form is not None:
        body = urlencode({"csrfmiddlewaretoken": CSRF, **form}, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _wait_for(what: str, condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"Not within {seconds} s: {what}")


def test_two_servers_and_two_workers_on_one_postgresql(tmp_path):
    inbox = Inbox()
    channel = ChatChannel()
    inbox.controller.start()
    threading.Thread(target=channel.serve_forever, daemon=True).start()
    with postgres_database(f"sparring_scale_{os.getpid()}") as url:
        env = process_environment(
            url,
            WEB_CONCURRENCY="2",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(inbox.port),
            SPARRING_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
            SPARRING_DELIVERY_LEASE_SECONDS=str(LEASE_SECONDS),
            SPARRING_WORKER_STALE_SECONDS="0",
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        made = _data(env, "prepare", str(channel.server_address[1]))
        processes = Processes(env, tmp_path)
        ports = {"a": free_port(), "b": free_port()}
        try:
            for name, port in ports.items():
                processes.start(f"server-{name}", ["serve"], SPARRING_BIND=f"127.0.0.1:{port}")
            for name in ("1", "2"):
                processes.start(f"worker-{name}", ["worker", "--interval", "1"])
            for name, port in ports.items():
                _wait_for(f"server {name} answers", functools.partial(_answers, port), 60)

            _one_session_on_both_servers(ports, made)
            state = _delivered_exactly_once(env, made, inbox, channel)
            assert state["rounds_of_survey_to_open"] == [1]
            assert state["sealed"]
            assert state["tallies"] == 3  # one unit, three questions: each written once
            assert state["tally_answers"] == 3 * 4
            assert state["participations"] == 4
            assert state["open_tallies"] == 0
            _killing_a_server_loses_no_acknowledged_write(env, made, ports, processes)
            _killing_a_worker_loses_no_email(env, made, inbox, processes)
        finally:
            processes.stop_all()
            inbox.controller.stop()
            channel.shutdown()


def _answers(port: int) -> bool:
    try:
        return _request(port, "GET", "/health/live").status == 200
    except OSError:
        return False


def _one_session_on_both_servers(ports: dict[str, int], made: dict[str, Any]) -> None:
    login = _request(
        ports["a"],
        "POST",
        "/login/",
        form={"username": "person1", "password": "correct-horse-battery-staple"},
    )
    assert login.status == 302
    session = next(
        value.split(";")[0]
        for name, value in login.getheaders()
        if name.lower() == "set-cookie" and value.startswith("sessionid=")
    )
    assert _request(ports["b"], "GET", "/", cookie=session).status == 200
    assert _request(ports["b"], "POST", "/logout/", cookie=session, form={}).status == 302
    assert _request(ports["a"], "GET", "/", cookie=session).status == 302  # to the login


def _delivered_exactly_once(
    env: dict[str, str], made: dict[str, Any], inbox: Inbox, channel: ChatChannel
) -> dict[str, Any]:
    state: dict[str, Any] = {}

    def all_out() -> bool:
        state.update(_data(env, "state", str(made["to_open"]), str(made["to_seal"])))
        return bool(state["emails_waiting"] == 0 and state["chat_waiting"] == 0 and state["sealed"])

    _wait_for("every e-mail and chat message sent, the round sealed", all_out, 90)
    received = Counter(inbox.received)
    assert [mail for mail, times in received.items() if times > 1] == []
    assert sorted([to, subject] for to, subject in received) == state["emails_sent"]
    assert len(state["emails_sent"]) >= 120
    posted = Counter(channel.texts)
    assert [text for text, times in posted.items() if times > 1] == []
    assert sorted(posted) == state["chat_sent"]
    assert {f"Nyhed {n}" for n in range(60)} <= set(posted)
    return state


def _killing_a_server_loses_no_acknowledged_write(
    env: dict[str, str], made: dict[str, Any], ports: dict[str, int], processes: Processes
) -> None:
    acknowledged: list[str] = []
    lock = threading.Lock()
    until = time.monotonic() + 4

    def thank(giver: str, receiver: int) -> None:
        turn = 0
        while time.monotonic() < until:
            turn += 1
            text = f"Tak {secrets.token_hex(6)}"
            port = ports["a"] if turn % 2 else ports["b"]
            try:
                answer = _request(
                    port,
                    "POST",
                    "/recognition/new/",
                    cookie=f"sessionid={giver}",
                    form={
                        "recipients": receiver,
                        "text": text,
                        "values": made["value"],
                        "where": "organisation",
                    },
                )
            except OSError:
                continue  # the server died before it answered: nothing was promised
            if answer.status == 302:
                with lock:
                    acknowledged.append(text)

    givers = made["sessions"][2:6]
    threads = [
        threading.Thread(target=thank, args=(giver, made["people"][1]), daemon=True)
        for giver in givers
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    processes.kill("server-a")
    for thread in threads:
        thread.join(timeout=60)

    assert acknowledged, "no recognition was saved"
    state = _data(env, "state", str(made["to_open"]), str(made["to_seal"]))
    assert set(acknowledged) <= set(state["recognitions"])


def _killing_a_worker_loses_no_email(
    env: dict[str, str], made: dict[str, Any], inbox: Inbox, processes: Processes
) -> None:
    before = Counter(inbox.received)
    inbox.delay = 0.05  # a slow mail server: the workers are mid-delivery when one dies
    queued = _data(env, "emails", "80")["queued"]
    time.sleep(1.5)
    processes.kill("worker-1")
    state: dict[str, Any] = {}

    def all_out() -> bool:
        state.update(_data(env, "state", str(made["to_open"]), str(made["to_seal"])))
        return bool(state["emails_waiting"] == 0)

    _wait_for("the other worker sends every e-mail", all_out, 90)
    new = Counter(inbox.received) - before
    sent = {tuple(mail) for mail in state["emails_sent"]}
    assert set(new) <= sent
    # Each of these has a subject of its own (a person thanked twice gets the same subject).
    queued_now = Counter({mail: n for mail, n in new.items() if mail[1].startswith("Besked ")})
    assert len(queued_now) == queued
    # The one e-mail the killed worker was sending may go twice: never lost, rarely doubled.
    assert sum(times - 1 for times in queued_now.values()) <= 1
