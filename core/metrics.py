"""Metrics for Prometheus at `/metrics`: requests by view and status, how long they took and
how much of that in the database, and, read at each scrape, what waits in the outboxes and
when a worker last began a tick.

Served by several worker processes, the server sets PROMETHEUS_MULTIPROC_DIR to an empty
directory before they start: each process then keeps its counters in files there, and a
scrape, answered by whichever process, adds up the files of all. Without it (tests,
runserver) the counters live in the process. What a scrape reads from the database is never
kept in a process, so it needs no gauge's multiprocess mode: every process reads the same rows.

`/metrics` is answered by core.middleware.HealthCheckMiddleware, before the host check,
sessions and login, and only to a scraper that sends SPARRING_METRICS_TOKEN or asks from
SPARRING_METRICS_NETWORKS; everyone else gets the page of any address that does not exist."""

from __future__ import annotations

import hmac
import ipaddress
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from accounts.net import client_address
from core.middleware import cookie_language
from core.models import WorkerHeartbeat
from core.views import not_found

# The counters of this process. Their own registry, not prometheus_client's default one: in
# multiprocess mode a scrape reads the files instead, and a metric registered with the
# registry a MultiProcessCollector reads would be counted twice.
_LIVE = CollectorRegistry()

# From a quick page to one a person gives up waiting for.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# Most requests spend a millisecond or two in the database (SQLite), some far more.
DATABASE_BUCKETS = (0.001, 0.0025, *LATENCY_BUCKETS)

REQUESTS = Counter(
    "sparring_http_requests",
    "Requests answered, by view (the URL's name), method and status.",
    ["view", "method", "status"],
    registry=_LIVE,
)
LATENCY = Histogram(
    "sparring_http_request_duration_seconds",
    "Seconds to answer a request, by view.",
    ["view"],
    buckets=LATENCY_BUCKETS,
    registry=_LIVE,
)
DATABASE_TIME = Histogram(
    "sparring_http_request_database_seconds",
    "Seconds each request spent in database queries.",
    buckets=DATABASE_BUCKETS,
    registry=_LIVE,
)
QUERIES = Counter(
    "sparring_database_queries",
    "Database queries made while answering requests, by view.",
    ["view"],
    registry=_LIVE,
)

# A path that resolves to no view (a mistyped address, a scanner's guesses): never the path
# itself, which holds ids and would make a series of every address ever asked for.
UNMATCHED = "unmatched"
# Any other method a client makes up is counted as one, for the same reason.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _QueryTimer:
    """A database execute wrapper that counts the queries of one request and their time."""

    __slots__ = ("queries", "seconds")

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


class MetricsMiddleware:
    """Counts and times every request that reaches it, by the name of the view that answered.
    Sits below HealthCheckMiddleware and WhiteNoise: probes, `/metrics` itself and static
    files are not counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timer = _QueryTimer()
        start = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(timer))
            response = self.get_response(request)
        seconds = time.perf_counter() - start
        match = request.resolver_match
        record(
            view=match.view_name if match is not None else UNMATCHED,
            method=request.method or "",
            status=response.status_code,
            seconds=seconds,
            database_seconds=timer.seconds,
            queries=timer.queries,
        )
        return response


def record(
    *, view: str, method: str, status: int, seconds: float, database_seconds: float, queries: int
) -> None:
    """Counts one answered request."""
    REQUESTS.labels(view, method if method in _METHODS else "other", str(status)).inc()
    LATENCY.labels(view).observe(seconds)
    DATABASE_TIME.observe(database_seconds)
    QUERIES.labels(view).inc(queries)


# --- Read at each scrape ---------------------------------------------------------------------

Reading = Callable[[datetime], Iterable[Metric]]
_readings: list[Reading] = []


def reading(function: Reading) -> Reading:
    """Registers a function that reads metrics from the database at the moment it is given.
    Each app keeps its own in its `metrics.py`, found at the first scrape, so that core knows
    no feature app (as each app's `tasks.py` registers its periodic tasks)."""
    _readings.append(function)
    return function


class _Discovered:
    done = False


def seconds_since(moment: datetime | None, *, now: datetime) -> float:
    """How long before `now` a moment was: +Inf for one that never came, and never below 0
    (a row written by a machine whose clock runs a little ahead)."""
    if moment is None:
        return math.inf
    return max((now - moment).total_seconds(), 0.0)


@reading
def worker_heartbeat(now: datetime) -> Iterator[Metric]:
    # The latest tick of any machine's worker, as /health/ready asks (core/health.py).
    last = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    age = GaugeMetricFamily(
        "sparring_worker_heartbeat_age_seconds",
        "Seconds since a background worker last began a tick (+Inf if none ever did).",
    )
    age.add_metric([], seconds_since(last, now=now))
    yield age


class _Readings:
    """The readings of every app at one moment, as a collector of one scrape."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def collect(self) -> Iterator[Metric]:
        for read in _readings:
            yield from read(self.now)


def exposition(*, now: datetime) -> bytes:
    """Every metric in Prometheus' text format: the counters of this process, or of every
    process under PROMETHEUS_MULTIPROC_DIR, and what the database holds at `now`."""
    if not _Discovered.done:
        autodiscover_modules("metrics")
        _Discovered.done = True
    registry = CollectorRegistry()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry.register(_LIVE)
    registry.register(_Readings(now))
    return generate_latest(registry)


# The text format every version of Prometheus reads (prometheus_client's newest, 1.0.0, only
# adds names that need UTF-8, which Sparring's do not).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


# --- Who may scrape --------------------------------------------------------------------------


def scrape_allowed(request: HttpRequest) -> bool:
    """Whether the request carries SPARRING_METRICS_TOKEN as a bearer token, or comes from an
    address in SPARRING_METRICS_NETWORKS (as SPARRING_TRUSTED_PROXIES finds the address)."""
    token = settings.SPARRING_METRICS_TOKEN
    if token:
        scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            return True
    networks = settings.SPARRING_METRICS_NETWORKS
    address = client_address(request) if networks else None
    if address is None:
        return False
    parsed = ipaddress.ip_address(address)
    # Parsed and checked when the settings load; an address of the other IP version is in none.
    return any(parsed in ipaddress.ip_network(network.strip()) for network in networks)


@login_not_required
def view(request: HttpRequest) -> HttpResponse:
    if not scrape_allowed(request):
        # The page of any address that does not exist: nothing says that this one does.
        with translation.override(cookie_language(request)):
            return not_found(request)
    return _scrape(request)


@require_safe
def _scrape(request: HttpRequest) -> HttpResponse:
    return HttpResponse(exposition(now=timezone.now()), content_type=CONTENT_TYPE)
