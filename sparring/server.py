"""The production server's configuration: gunicorn, as `manage.py serve` starts it.

gunicorn was chosen over granian by measurement (docs/benchmarks.md, "Under load"): on the
same load they served about as many requests a second, and gunicorn's workers are Python
classes, so one can finish the connections already waiting when it is told to stop (below),
and it tells when a worker ends, which the metrics of several processes need.

Everything comes from the environment:
- SPARRING_BIND: the address to listen on, 127.0.0.1:8000 unless set (0.0.0.0:8000 in the
  container image);
- WEB_CONCURRENCY: how many worker processes, one per core (at least two) unless set;
- SPARRING_GRACEFUL_SECONDS: how long, after SIGTERM, requests may take to finish (30);
- LOG_FORMAT and LOG_LEVEL: as for the app (sparring/settings.py), so the server's own lines
  and the app's share one format.
"""

from __future__ import annotations

import errno
import os
import time
from typing import Any

from gunicorn.workers.sync import SyncWorker  # type: ignore[import-untyped]

from core.log import logging_config


def _workers() -> int:
    # One per core, at least two: on two cores under the load of `python -m bench.load`, two
    # served more requests a second than three under the mixed load on either database, and
    # about as many under the writes; fewer processes switch less between themselves,
    # PostgreSQL and the load (docs/benchmarks.md, "Under load").
    return int(os.environ.get("WEB_CONCURRENCY") or max(os.cpu_count() or 1, 2))


bind = [os.environ.get("SPARRING_BIND", "127.0.0.1:8000")]
workers = _workers()
worker_class = "sparring.server.DrainingWorker"
# A request that takes longer than this is stopped and its worker replaced.
timeout = 60
graceful_timeout = int(os.environ.get("SPARRING_GRACEFUL_SECONDS", "30"))
# The app logs every request itself, with its id (core.log); the server's own log is its
# master's and workers' lines, in the app's format.
accesslog = None
logconfig_dict = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"), format=os.environ.get("LOG_FORMAT", "text")
)
# No control socket: it would sit in the user's home, shared by every server on the machine.
control_socket_disable = True
# The TLS proxy in front tells the scheme; Django reads it (SECURE_PROXY_SSL), not gunicorn.
forwarded_allow_ips = ""


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live figures leave the metrics (prometheus_client's files)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


# How long a stopping worker goes on taking the connections that were waiting for it.
DRAIN_SECONDS = 2.0


class DrainingWorker(SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker, which after SIGTERM first answers the connections the kernel
    had already accepted for it, their requests sent, and nobody had taken yet.

    The plain sync worker stops taking connections at once: a request waiting in the
    listening socket's queue is reset when the last worker closes the socket. This one goes
    on taking them, oldest first, until none waits or DRAIN_SECONDS have passed (under a load
    that does not stop, new ones keep coming), then exits. A request sent after that is
    refused or reset: by then the service manager or load balancer has stopped sending."""

    def run(self) -> None:
        super().run()
        until = time.monotonic() + DRAIN_SECONDS
        for listener in self.sockets:
            while time.monotonic() < until:
                try:
                    self.accept(listener)
                except OSError as error:
                    if error.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.ECONNABORTED):
                        break
                    raise
