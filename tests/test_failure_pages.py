"""Failure that speaks Danish: a database or disk out of reach gives Sparring's own 503 page
(Retry-After) in the person's language, any other error Sparring's own 500 page, and both
render without the database."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from core.failures import is_unavailable
from core.views import server_error
from profiles.models import ProfileNote


def _client(user=None, language: str = "") -> Client:
    # Like a browser: the error page comes back instead of the test re-raising the error.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _break_home(monkeypatch, error: Exception) -> None:
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("home.views.for_min_side", fail)


def test_a_database_that_is_down_gives_a_danish_503_page(cast, monkeypatch):
    _break_home(monkeypatch, OperationalError("connection refused"))
    response = _client(cast.alice).get(reverse("home:index"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Sparring er utilgængelig et øjeblik" in html
    assert "Server Error" not in html


def test_the_503_page_is_in_english_for_a_person_who_chose_english(cast, monkeypatch):
    _break_home(monkeypatch, OperationalError("server closed the connection unexpectedly"))
    response = _client(cast.alice, language="en").get(reverse("home:index"))
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="en">' in html and "Sparring is unavailable for a moment" in html


def test_a_database_error_while_loading_the_session_is_a_503_too(cast, monkeypatch):
    # Before any view: the session is read by the login check in the middleware.
    client = _client(cast.alice)

    def fail(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("accounts.session_store.SessionStore.load", fail)
    response = client.get(reverse("home:index"))
    assert response.status_code == 503
    assert "Sparring er utilgængelig et øjeblik" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page limit")
def test_a_full_sqlite_disk_gives_503_and_saves_nothing(cast):
    """The disk is made full honestly: SQLite may not grow the database by one more page, so
    the next write that needs a page fails with "database or disk is full"."""
    client = _client(cast.alice)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        response = client.post(
            reverse("profiles:new"),
            {"title": "Stor note", "body": "x" * 9_000, "visibility": "private"},
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    assert response.status_code == 503
    assert "Sparring er utilgængelig et øjeblik" in response.content.decode()
    assert not ProfileNote.objects.filter(title="Stor note").exists()


def test_an_unexpected_error_gives_sparrings_own_500_page(cast, monkeypatch):
    _break_home(monkeypatch, RuntimeError("a bug"))
    response = _client(cast.alice).get(reverse("home:index"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    html = response.content.decode()
    assert "Der gik noget galt" in html and "Server Error (500)" not in html
    assert "a bug" not in html


def test_the_error_pages_render_with_the_database_blocked(rf: RequestFactory, django_db_blocker):
    request = rf.get("/notes/", HTTP_ACCEPT_LANGUAGE="da")
    for error, status in (
        (OperationalError("database or disk is full"), 503),
        (ValueError("a bug"), 500),
    ):
        with django_db_blocker.block():
            try:
                raise error
            except Exception:
                response = server_error(request)
        assert response.status_code == status
        assert b"dkfds.min" in response.content  # the real page, not the plain fallback


def test_an_expired_form_gets_sparrings_own_403_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Formularen var udløbet" in response.content.decode()


def test_a_wrong_host_gets_sparrings_own_400_page(db):
    response = Client().get("/accessibility/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in response.content.decode()


def _sqlite_error(tmp_path, sql: str, *, read_only: bool) -> sqlite3.Error:
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE IF NOT EXISTS t (x)").connection.commit()
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    with pytest.raises(sqlite3.Error) as caught:
        sqlite3.connect(uri, uri=True).execute(sql)
    return caught.value


def test_which_errors_mean_unavailable(tmp_path):
    read_only = _sqlite_error(tmp_path, "INSERT INTO t VALUES (1)", read_only=True)
    assert "readonly database" in str(read_only) and is_unavailable(read_only)
    wrapped = OperationalError(str(read_only))
    wrapped.__cause__ = read_only
    assert is_unavailable(wrapped)
    # A broken statement is a bug, not an outage, on SQLite as elsewhere.
    syntax = _sqlite_error(tmp_path, "SELEKT 1", read_only=False)
    assert not is_unavailable(syntax)
    wrapped = OperationalError(str(syntax))
    wrapped.__cause__ = syntax
    assert not is_unavailable(wrapped)
    assert is_unavailable(OSError(28, "No space left on device"))
    assert not is_unavailable(ValueError("x"))
    try:
        try:
            raise OperationalError("the server closed the connection")
        except OperationalError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as error:
        assert is_unavailable(error)
