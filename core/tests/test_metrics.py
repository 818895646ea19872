"""/metrics for Prometheus: open only to the scraper's token or its network, and 404 to
everyone else, exactly like an address that does not exist; requests counted by the name of
their view, never their path; the worker's heartbeat read at the moment of the scrape; and
counters added up over the server's worker processes."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import Session
from core.services import worker_heartbeat_record

TOKEN = "the-scrapers-token-0123456789abcdef"


@pytest.fixture
def scraper(db, settings):
    """A Prometheus server with the token."""
    settings.SPARRING_METRICS_TOKEN = TOKEN
    return Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def scrape(client: Client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    body = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


# --- Who may scrape ---------------------------------------------------------------------------


def test_without_token_or_networks_everyone_gets_404(db):
    assert django_settings.SPARRING_METRICS_TOKEN == ""
    assert django_settings.SPARRING_METRICS_NETWORKS == []
    # Not even with a token of its own, and not from the machine itself.
    for client in (Client(), Client(HTTP_AUTHORIZATION="Bearer ")):
        response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 404
        assert response["Cache-Control"] == "private, no-store"


def test_the_token_opens_it_and_nothing_else_does(scraper, settings):
    response = scraper.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert b"sparring_worker_heartbeat_age_seconds" in response.content
    for header in (
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer",
        "",
    ):
        assert Client(HTTP_AUTHORIZATION=header).get("/metrics").status_code == 404, header
    # The scheme's case is the client's choice (RFC 9110).
    assert Client(HTTP_AUTHORIZATION=f"bearer {TOKEN}").get("/metrics").status_code == 200


def test_an_address_inside_the_networks_opens_it(db, settings):
    settings.SPARRING_METRICS_NETWORKS = ["10.20.0.0/16", "fd12:3456::/48"]
    client = Client()
    assert client.get("/metrics", REMOTE_ADDR="10.20.7.8").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="fd12:3456::9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.20.7.8").status_code == 200
    for outside in ("10.21.0.1", "203.0.113.7", "127.0.0.1", "2001:db8::1"):
        assert client.get("/metrics", REMOTE_ADDR=outside).status_code == 404, outside
    # A token that is not set opens nothing.
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


def test_behind_a_proxy_the_client_address_counts_not_the_proxys(db, settings):
    settings.SPARRING_METRICS_NETWORKS = ["10.20.0.0/16"]
    settings.SPARRING_TRUSTED_PROXIES = 1
    client = Client()
    proxy = "10.20.0.2"
    inside = client.get("/metrics", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.20.5.5")
    assert inside.status_code == 200
    # Everyone on the internet reaches the app through the proxy inside the network.
    outside = client.get("/metrics", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert outside.status_code == 404
    # A client cannot claim an address of the network: the proxy appends the real one.
    claimed = client.get(
        "/metrics", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.20.5.5, 203.0.113.7"
    )
    assert claimed.status_code == 404


def test_refused_it_is_the_page_of_any_address_that_does_not_exist(db, settings):
    settings.SPARRING_METRICS_TOKEN = TOKEN
    stranger = Client(HTTP_AUTHORIZATION="Bearer guess")
    refused = stranger.get("/metrics")
    missing = stranger.get("/no-such-page")
    assert refused.status_code == missing.status_code == 404
    # The same page, but for the address in its links to choose a language.
    assert refused.content.replace(b"/metrics", b"/no-such-page") == missing.content
    assert refused["Content-Type"] == missing["Content-Type"]
    # Other methods too: a 405 would say that something answers here.
    assert stranger.post("/metrics").status_code == 404
    assert stranger.head("/metrics").status_code == 404


def test_it_takes_no_session_no_host_check_and_no_https_redirect(scraper, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")  # sees the settings changed
    sessions = Session.objects.count()
    # Prometheus asks by the machine's address, over plain HTTP.
    response = client.get("/metrics", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == sessions
    assert client.post("/metrics").status_code == 405
    assert client.head("/metrics").status_code == 200


def test_scraping_reads_the_database_three_times(scraper, django_assert_num_queries):
    scraper.get("/metrics")  # the first scrape finds each app's readings
    # The heartbeat, and the e-mail and the chat outbox.
    with django_assert_num_queries(3):
        assert scraper.get("/metrics").status_code == 200


def _settings_with(**variables: str) -> subprocess.CompletedProcess[str]:
    """Sparring's settings loaded in a process of their own, with these variables."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sparring.settings", **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("SPARRING_METRICS_NETWORKS", "10.0.0.0/8,intranet"),
        ("SPARRING_METRICS_NETWORKS", "10.0.0.1/8"),
        ("SPARRING_METRICS_TOKEN", "short"),
    ],
)
def test_a_wrong_metrics_setting_stops_the_start(variable, raw):
    result = _settings_with(**{variable: raw})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr
    # The same start with a right value.
    right = {"SPARRING_METRICS_NETWORKS": "10.0.0.0/8, fd12::/64", "SPARRING_METRICS_TOKEN": TOKEN}
    assert _settings_with(**{variable: right[variable]}).returncode == 0


# --- What it says -----------------------------------------------------------------------------


def test_requests_are_counted_by_view_method_and_status(cast, client_for, scraper):
    before = scrape(scraper)
    alice = client_for(cast.alice)
    assert alice.get("/").status_code == 200
    assert alice.get("/").status_code == 200
    assert alice.get("/checkins/999999/").status_code == 404
    assert alice.get("/no-such-page/42/").status_code == 404
    assert Client().get("/health/live").status_code == 200
    after = scrape(scraper)

    def counted(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "sparring_http_requests_total"
    assert counted(requests, view="home:index", method="GET", status="200") == 2
    assert counted(requests, view="checkins:detail", method="GET", status="404") == 1
    # A path that leads nowhere is counted without the path, which holds ids.
    assert counted(requests, view="unmatched", method="GET", status="404") == 1
    assert counted("sparring_http_request_duration_seconds_count", view="home:index") == 2
    assert counted("sparring_http_request_duration_seconds_count", view="unmatched") == 1
    assert counted("sparring_http_request_database_seconds_count") == 4
    # The logged-in page reads the session, the person and what it shows.
    assert counted("sparring_database_queries_total", view="home:index") >= 4
    # Neither the probes nor the scrapes themselves are counted; no label holds a path.
    views = {dict(labels).get("view") for (_name, labels) in after}
    assert not {"core:metrics", "core:health_live", "core:health_ready"} & views
    assert not any(view and view.startswith("/") for view in views)


def test_an_unknown_method_is_counted_as_other(cast, client_for, scraper):
    before = scrape(scraper)
    client_for(cast.alice).generic("BREW", "/")
    after = scrape(scraper)
    labels = {"view": "home:index", "method": "other", "status": "405"}
    name = "sparring_http_requests_total"
    assert value(after, name, **labels) - value(before, name, **labels) == 1


def test_the_heartbeat_age_is_read_at_the_scrape(scraper, clock):
    assert value(scrape(scraper), "sparring_worker_heartbeat_age_seconds") == math.inf
    worker_heartbeat_record(now=clock.now() - timedelta(minutes=10), host="app1")
    worker_heartbeat_record(now=clock.now() - timedelta(seconds=40), host="app2")
    assert value(scrape(scraper), "sparring_worker_heartbeat_age_seconds") == 40
    clock.advance(timedelta(seconds=20))
    assert value(scrape(scraper), "sparring_worker_heartbeat_age_seconds") == 60


# --- Several worker processes -----------------------------------------------------------------

# A worker process of the server: answers one request through the middleware and exits.
_WORKER = """
import django

django.setup()

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from core.metrics import MetricsMiddleware


def answer(request):
    request.resolver_match = resolve(request.path)
    return HttpResponse("Tilgængelighed")


MetricsMiddleware(answer)(RequestFactory().get("/accessibility/"))
"""


def test_counters_add_up_over_worker_processes(scraper, monkeypatch, tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sparring.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    for _worker in range(2):
        subprocess.run(
            [sys.executable, "-c", _WORKER],
            env=environment,
            cwd=django_settings.BASE_DIR,
            check=True,
            timeout=120,
        )
    # Each process kept its counters in files of its own.
    assert len(list(tmp_path.glob("counter_*.db"))) == 2
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scrape(scraper)
    labels = {"view": "core:accessibility", "method": "GET", "status": "200"}
    assert value(samples, "sparring_http_requests_total", **labels) == 2
    assert (
        value(samples, "sparring_http_request_duration_seconds_count", view="core:accessibility")
        == 2
    )
    # The readings of the database come with them, once.
    assert value(samples, "sparring_worker_heartbeat_age_seconds") == math.inf
