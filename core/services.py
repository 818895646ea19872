"""Writes that belong to no feature: the worker's heartbeat."""

from __future__ import annotations

import socket
from datetime import datetime

from core.models import WorkerHeartbeat


def worker_heartbeat_record(*, now: datetime, host: str = "") -> None:
    """Note that the worker on `host` (this machine unless given) is alive at `now`."""
    WorkerHeartbeat.objects.update_or_create(
        host=host or socket.gethostname(), defaults={"seen_at": now}
    )
