"""How fast Sparring answers when its database is gone, and how fast it is back.

    python -m bench.outages [--rounds 5] [--probes 200]

Runs the app as its own process (WSGI in one long-lived thread, as in tests/test_outages.py)
against a PostgreSQL cluster of its own (initdb and pg_ctl on a free port), then measures:
the seconds from a login post to the 503 page while PostgreSQL is stopped (connection refused)
and while a port takes the connection and never answers; the status and seconds of the first
request after PostgreSQL is restarted; and the latency of /health/live and /health/ready with
the database up. Writes the figures into docs/benchmarks.md between the outage markers."""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.processes import free_port
from tests.test_outages import SERVE, Browser, Cluster, _environment, _manage

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS = BASE_DIR / "docs" / "benchmarks.md"
START, END = "<!-- outages:start -->", "<!-- outages:end -->"


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Browser]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    browser = Browser(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if browser.request("/accessibility/").status == 200:
                return process, browser
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the app did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f} ms)"


def _percentiles(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:.1f} ms, p95 {cuts[94] * 1000:.1f} ms"


def measure(rounds: int, probes: int) -> list[str]:
    cluster = Cluster()
    try:
        env = _environment(cluster.url)
        _manage(env, "migrate", "--noinput")
        process, browser = _serve(env)
        try:
            live = [browser.request("/health/live").seconds for _ in range(probes)]
            ready = [browser.request("/health/ready").seconds for _ in range(probes)]
            refused: list[float] = []
            statuses_down: set[int] = set()
            first_after_start: list[float] = []
            statuses_after_start: list[int] = []
            for _ in range(rounds):
                cluster.stop()
                for _ in range(3):
                    answer = browser.log_in("alice", "wrong-password")
                    refused.append(answer.seconds)
                    statuses_down.add(answer.status)
                cluster.start()
                answer = browser.log_in("alice", "wrong-password")
                first_after_start.append(answer.seconds)
                statuses_after_start.append(answer.status)
            after_restart: list[float] = []
            statuses_after_restart: list[int] = []
            for _ in range(rounds):
                browser.log_in("alice", "wrong-password")
                cluster.restart()
                answer = browser.log_in("alice", "wrong-password")
                after_restart.append(answer.seconds)
                statuses_after_restart.append(answer.status)
        finally:
            _stop(process)
        version = subprocess.run(
            [str(cluster.bin / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()
    finally:
        cluster.remove()

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        process, browser = _serve(
            _environment(f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/sparring")
        )
        try:
            silent_times: list[float] = []
            statuses_silent: set[int] = set()
            for _ in range(rounds):
                answer = browser.log_in("alice", "wrong-password")
                silent_times.append(answer.seconds)
                statuses_silent.add(answer.status)
        finally:
            _stop(process)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"## Outages, run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"load average {load} at the end; Python {platform.python_version()}, {version}",
        f"- App: Django's WSGI application in one thread (wsgiref), {rounds} rounds, "
        "login posts (a request that reads and writes the database). `python -m bench.outages`",
        "writes this section. Other work on the machine (see the load) stretches every figure.",
        "",
        "| situation | answer | seconds (median, max) |",
        "|---|---|---|",
        f"| PostgreSQL stopped (connection refused) | {sorted(statuses_down)} | {_ms(refused)} |",
        f"| a port that takes the connection and never answers | {sorted(statuses_silent)} "
        f"| {_ms(silent_times)} |",
        f"| first request after PostgreSQL is started again | {sorted(statuses_after_start)} "
        f"| {_ms(first_after_start)} |",
        f"| first request after a PostgreSQL restart | {sorted(statuses_after_restart)} "
        f"| {_ms(after_restart)} |",
        f"| `/health/live`, database up, {probes} requests | 200 | {_percentiles(live)} |",
        f"| `/health/ready`, database up, {probes} requests | 200 | {_percentiles(ready)} |",
    ]


def write(lines: list[str]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = "\n".join([START, *lines, END])
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args()
    lines = measure(args.rounds, args.probes)
    print("\n".join(lines))
    write(lines)


if __name__ == "__main__":
    main()
