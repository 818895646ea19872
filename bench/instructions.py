"""Instructions a request: how much work a page is, counted by Valgrind's callgrind rather than
timed, for comparing two versions of the code on a machine others share.

    python -m bench.instructions USERNAME PATH [PATH ...] [--requests 5] [--database URL]

Times on a shared 2-core machine move by a third from one minute to the next (the calibration
loop of one page benchmark took 0.72 s before its timed requests and 1.03 s after); the number
of instructions a request executes hardly moves: the same code on the same data gives the same
count within a few tenths of a percent, whatever else the machine is doing. It is not time (a
cache miss costs more than an instruction, and a page's ratio to the bare page comes out higher
in instructions than in time), so it compares a page with itself, before and after a change.
Only this process is counted: on SQLite that includes the database's work, on PostgreSQL the
server's own processes are left out.

Each path is requested by USERNAME on the database the page benchmark kept (`python -m
bench.run --reuse`, SQLite, `--people` as there; or the one `--database` names), in a process
of its own under
callgrind, which counts only while the timed requests run: once with none and once with
`--requests`, and the difference is divided by their number. Needs Debian's valgrind."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from bench.common import BASE_DIR, child_env
from bench.run import KEPT

# What callgrind writes when the process ends: "==123== Collected : 94321221".
COLLECTED = re.compile(r"Collected : (\d+)")
WARM_UP = 3


def count(url: str, username: str, path: str, requests: int) -> int:
    """The instructions `requests` requests of `path` by `username` execute (and the constant
    cost of switching the counting on and off), in a process of its own."""
    finished = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.instructions",
            "--child",
            username,
            path,
            "--requests",
            str(requests),
        ],
        cwd=BASE_DIR,
        # Python's string hashes fixed, so that the same sets and dicts are built the same way.
        env=child_env(url) | {"PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise SystemExit(f"{path}: the request process failed:\n{finished.stderr[-3000:]}")
    return int(COLLECTED.findall(finished.stderr)[-1])


def _child(username: str, path: str, requests: int) -> None:
    """Runs under callgrind: log in, warm up, then count `requests` requests only."""
    import django

    django.setup()
    import gc
    import logging

    from django.test import Client

    from accounts.models import User

    logging.disable(logging.INFO)  # a log line a request is not the page's work
    client = Client()
    client.force_login(User.objects.get(username=username))
    for _ in range(WARM_UP):
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status} for {username}")
    gc.collect()
    gc.freeze()  # as the page benchmark does: the loading's leftovers are not walked
    switch = ["callgrind_control", "--instr"]
    subprocess.run([*switch, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(requests):
        client.get(path)
    subprocess.run([*switch, "off", str(os.getpid())], check=True, capture_output=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("username")
    parser.add_argument("paths", nargs="+", metavar="path")
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--database", help="the database's URL (default: the kept SQLite one)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.username, args.paths[0], args.requests)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")
    url = args.database
    if url is None:
        kept = KEPT / f"bench-{args.people}.sqlite3"
        if not kept.exists():
            raise SystemExit(
                f"No kept database: run python -m bench.run --reuse --people {args.people}"
            )
        url = f"sqlite:///{kept}"
    for path in args.paths:
        none = count(url, args.username, path, 0)
        some = count(url, args.username, path, args.requests)
        if some <= none:
            raise SystemExit(f"{path}: callgrind counted nothing; was the counting switched on?")
        per_request = (some - none) / args.requests
        print(f"{path} as {args.username}: {per_request / 1e6:.2f} million instructions a request")


if __name__ == "__main__":
    main()
