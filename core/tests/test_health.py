"""/health/live and /health/ready for a load balancer: cheap, no session, no writes, no host
check and no HTTPS redirect; ready is 503 until the database answers, every migration is
applied and a worker ticked recently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Session
from core import health
from core.models import WorkerHeartbeat
from core.services import worker_heartbeat_record

NOW = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr("core.health.timezone.now", lambda: NOW)


@pytest.fixture
def forget_migrations():
    health._Migrations.applied = False
    yield
    health._Migrations.applied = False


def test_live_answers_200_without_touching_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies


def test_ready_is_200_with_database_migrations_and_a_recent_worker(db):
    worker_heartbeat_record(now=NOW - timedelta(seconds=40), host="app1")
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "migrations": True, "worker": True},
    }
    assert response["Cache-Control"] == "private, no-store"


def test_ready_is_503_when_no_worker_ticked_recently(db, settings):
    response = Client().get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"]["worker"] is False
    worker_heartbeat_record(now=NOW - timedelta(seconds=301), host="app1")
    assert Client().get("/health/ready").status_code == 503
    worker_heartbeat_record(now=NOW - timedelta(seconds=299), host="app2")
    assert Client().get("/health/ready").status_code == 200
    # A deployment can leave the worker out of the load balancer's decision.
    WorkerHeartbeat.objects.all().delete()
    settings.SPARRING_WORKER_STALE_SECONDS = 0
    response = Client().get("/health/ready")
    assert response.status_code == 200 and response.json()["checks"]["worker"] is None


def test_ready_is_503_while_a_migration_is_not_applied(db, forget_migrations):
    worker_heartbeat_record(now=NOW, host="app1")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'core' AND name = '0002_worker_heartbeat'"
        )
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": False, "worker": True}


def test_ready_is_503_when_the_database_does_not_answer(db, monkeypatch):
    from django.db import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


def test_ready_is_cheap_and_writes_nothing(db, django_assert_num_queries):
    worker_heartbeat_record(now=NOW, host="app1")
    Client().get("/health/ready")  # the first probe also checks the migrations once
    sessions = Session.objects.count()
    with django_assert_num_queries(2):  # SELECT 1 and the heartbeat
        response = Client().get("/health/ready")
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == sessions


def test_health_skips_host_checks_and_the_https_redirect(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SPARRING_WORKER_STALE_SECONDS = 0
    client = Client()  # made after the settings change, so its middleware sees them
    # A load balancer asks by the machine's address, over plain HTTP.
    for url in ("/health/live", "/health/ready"):
        response = client.get(url, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, url
    # Everything else still redirects and checks the host.
    assert client.get("/accessibility/").status_code == 301
    assert client.get("/accessibility/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_health_takes_no_post(db):
    assert Client().post("/health/ready").status_code == 405
    assert Client().head("/health/live").status_code == 200
