"""One log format for the app, its worker and the production server: every line with its time
in UTC with the offset written out, its level, logger and the request it belongs to, as text
or, with LOG_FORMAT=json, as one JSON object a line.

A request gets an id when it arrives: the one a trusted reverse proxy sent in X-Request-ID
(so the proxy's log and ours name the same request), else a new one. Every line logged while
the request runs carries it, and the response tells it in X-Request-ID, so a person who
reports an error can quote it. Each request is logged once, with its method, path, status and
time; never its query string, which may hold what someone searched for."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id may look like: a uuid, a hex or base64url token; anything else is replaced.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
requests = logging.getLogger("sparring.requests")


def utc_time(created: float) -> str:
    """A record's time, in UTC with its offset: 2026-12-01T09:00:00.123+00:00."""
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_time(record.created)


# The attributes every LogRecord has; anything else on a record was passed as `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request id, message, the `extra` fields
    given, and the traceback of an exception as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        entry.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str, format: str) -> dict[str, Any]:
    """The LOGGING setting, and the production server's: Sparring's lines from `level` up,
    everyone else's warnings, and the server's own lines, through one handler on standard
    error in the format asked for."""
    formatter = {"()": JsonFormatter} if format == "json" else {"()": TextFormatter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"sparring": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "sparring",
                "filters": ["request_id"],
            }
        },
        # One handler, at the root: every line is written once, whoever logs it, and a
        # library's warning comes out in the same format.
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "sparring": {"level": level},
            "django": {"level": "WARNING"},
            # The production server's master and workers: started, stopped, a worker lost.
            "gunicorn.error": {"level": "INFO", "propagate": True},
        },
    }


class RequestLogMiddleware:
    """Names the request (REQUEST_ID_HEADER), and logs it once when its response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_id.set(self._id_of(request))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers[REQUEST_ID_HEADER] = request_id.get()
            took = round((time.perf_counter() - started) * 1000, 1)
            requests.info(
                "%s %s %s %s ms",
                request.method,
                request.path,
                response.status_code,
                took,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": took,
                },
            )
            return response
        finally:
            request_id.reset(token)

    @staticmethod
    def _id_of(request: HttpRequest) -> str:
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        if settings.SPARRING_TRUSTED_PROXIES and _WELL_FORMED.fullmatch(sent):
            return sent
        return uuid.uuid4().hex
