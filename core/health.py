"""Health endpoints for a load balancer or a service manager.

- `/health/live`: the process answers. Always 200, touches nothing.
- `/health/ready`: the database answers, every migration on disk is applied, and a worker
  began a tick recently. 200 when all hold, 503 otherwise, with which check failed.

Both are answered by `HealthCheckMiddleware` before the rest of the stack: no session, no
login, no database write, no host check and no HTTPS redirect (a load balancer asks by the
machine's address over plain HTTP)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Readiness:
    database: bool
    migrations: bool
    # None when the worker is not checked (SPARRING_WORKER_STALE_SECONDS = 0).
    worker: bool | None

    @property
    def ready(self) -> bool:
        return self.database and self.migrations and self.worker is not False


class _Migrations:
    # Migrations, once applied, stay applied: after the first "yes" this process stops asking,
    # so a probe every few seconds costs one query, not a walk over every migration file.
    applied = False


def readiness(*, now: datetime) -> Readiness:
    """What `/health/ready` reports at `now`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        migrations = _migrations_applied()
        worker = _worker_seen(now=now)
    except DatabaseError:
        return Readiness(database=False, migrations=False, worker=False)
    return Readiness(database=True, migrations=migrations, worker=worker)


def _migrations_applied() -> bool:
    if not _Migrations.applied:
        executor = MigrationExecutor(connection)
        _Migrations.applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _Migrations.applied


def _worker_seen(*, now: datetime) -> bool | None:
    stale_after = settings.SPARRING_WORKER_STALE_SECONDS
    if stale_after <= 0:
        return None
    since = now - timedelta(seconds=stale_after)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()


@login_not_required
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    state = readiness(now=timezone.now())
    body = {"status": "ok" if state.ready else "unavailable", "checks": asdict(state)}
    return JsonResponse(body, status=200 if state.ready else 503)
