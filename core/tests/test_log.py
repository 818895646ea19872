"""The log's one format: times in UTC with the offset, the request's id on every line logged
while it runs and in its response, and JSON lines when asked for."""

from __future__ import annotations

import json
import logging
import re

import pytest

from core.log import REQUEST_ID_HEADER, JsonFormatter, RequestIdFilter, TextFormatter

# 2026-03-10 08:00:00 UTC, 09:00 in Copenhagen: the line says the former, with its offset.
CREATED = 1773129600.25


def _record(message: str = "sent %d e-mails", *args: object, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {"name": "sparring.notifications", "levelname": "INFO", "levelno": logging.INFO,
         "msg": message, "args": args, **extra}
    )  # fmt: skip
    record.created = CREATED
    RequestIdFilter().filter(record)
    return record


def test_a_text_line_has_its_time_in_utc_with_the_offset():
    line = TextFormatter().format(_record("sent %d e-mails", 3))
    assert line == "2026-03-10T08:00:00.250+00:00 INFO sparring.notifications [-] sent 3 e-mails"


def test_a_json_line_holds_the_fields_and_the_extra_ones():
    entry = json.loads(JsonFormatter().format(_record("sent %d e-mails", 3, batch=7)))
    assert entry == {
        "time": "2026-03-10T08:00:00.250+00:00",
        "level": "INFO",
        "logger": "sparring.notifications",
        "request_id": "-",
        "message": "sent 3 e-mails",
        "batch": 7,
    }


def test_a_json_line_carries_the_traceback_as_one_string():
    try:
        raise ValueError("the worker's tick failed")
    except ValueError:
        import sys

        record = _record("tick failed", exc_info=sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: the worker's tick failed" in json.loads(line)["exception"]


def test_every_line_of_a_request_and_its_response_carry_its_id(cast, client_for, caplog):
    with caplog.at_level(logging.INFO, logger="sparring"):
        response = client_for(cast.alice).get("/")
    request_id = response[REQUEST_ID_HEADER]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (line,) = [r for r in caplog.records if r.name == "sparring.requests"]
    assert line.request_id == request_id
    assert line.getMessage().startswith("GET / 200 ")
    assert line.status == 200


def test_the_query_string_is_never_logged(cast, client_for, caplog):
    with caplog.at_level(logging.INFO, logger="sparring"):
        client_for(cast.alice).get("/learning/search/?q=min+diagnose")
    assert "diagnose" not in caplog.text


@pytest.mark.parametrize(
    ("proxies", "sent", "kept"),
    [
        (0, "proxy-id-0123456789", False),  # no proxy to trust: anyone could send one
        (1, "proxy-id-0123456789", True),
        (1, "short", False),
        (1, "with spaces and <html>", False),
    ],
)
def test_a_trusted_proxys_request_id_is_kept(settings, cast, client_for, proxies, sent, kept):
    settings.SPARRING_TRUSTED_PROXIES = proxies
    response = client_for(cast.alice).get("/", headers={REQUEST_ID_HEADER: sent})
    assert (response[REQUEST_ID_HEADER] == sent) is kept
