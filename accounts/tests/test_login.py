from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.db import connection, transaction
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import LOGIN_AT, SEEN_AT
from accounts.models import LoginAttempt, Session, User
from accounts.services import login_try_begin, login_try_failed, person_deactivate
from accounts.session_store import SessionStore
from conftest import FROZEN_AT, PASSWORD
from core.models import AuditEntry

LOGIN = "/login/"


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_and_every_attempt_is_recorded(cast):
    client = Client()
    assert login(client, "alice", "wrong").status_code == 200
    response = login(client, "alice")
    assert response.status_code == 302 and response["Location"] == "/"
    assert list(LoginAttempt.objects.order_by("at").values_list("succeeded", flat=True)) == [
        False,
        True,
    ]
    assert Session.objects.filter(user=cast.alice).count() == 1


def test_wrong_password_is_explained_in_danish_and_english(cast):
    danish = login(Client(), "alice", "wrong").content.decode()
    assert "korrekt brugernavn og adgangskode" in danish
    english = Client()
    english.cookies["django_language"] = "en"
    assert "correct username and password" in login(english, "alice", "wrong").content.decode()


@override_settings(SPARRING_LOCKOUT_ATTEMPTS=3)
def test_lockout_after_repeated_failures_even_with_the_right_password(cast):
    client = Client()
    for _ in range(3):
        login(client, "alice", "wrong")
    response = login(client, "alice")
    assert response.status_code == 200
    assert "Wait 15 minutes" in response.content.decode() or "Vent 15 minutter" in (
        response.content.decode()
    )
    assert not Session.objects.filter(user=cast.alice).exists()
    # Other people are not locked out by alice's failures.
    assert login(Client(), "bob").status_code == 302


@override_settings(SPARRING_LOCKOUT_ATTEMPTS=3, SPARRING_LOCKOUT_MINUTES=0)
def test_lockout_ends_after_the_window(cast):
    client = Client()
    for _ in range(3):
        login(client, "alice", "wrong")
    assert login(client, "alice").status_code == 302


def test_logout_ends_the_session_on_the_server(cast):
    client = Client()
    login(client, "alice")
    session_key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=session_key).exists()
    stolen = Client()
    stolen.cookies["sessionid"] = session_key
    assert stolen.get("/").status_code == 302


def test_deactivating_a_person_ends_all_their_sessions(cast):
    laptop, phone = Client(), Client()
    login(laptop, "alice")
    login(phone, "alice")
    assert Session.objects.filter(user=cast.alice).count() == 2
    person_deactivate(actor=cast.ada, person=cast.alice, now=FROZEN_AT)
    assert not Session.objects.filter(user=cast.alice).exists()
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 302
    assert login(Client(), "alice").status_code == 200, "and cannot log in again"
    entry = AuditEntry.objects.get(action="person.deactivate")
    assert entry.actor == cast.ada and entry.data["sessions_ended"] == 2


def test_a_session_past_its_expiry_or_of_someone_inactive_logs_nobody_in(cast):
    client = Client()
    login(client, "alice")
    assert client.get("/").status_code == 200
    Session.objects.filter(user=cast.alice).update(
        expire_date=F("expire_date") - timedelta(hours=2)
    )
    assert client.get("/").status_code == 302
    client = Client()
    login(client, "bob")
    assert client.get("/").status_code == 200
    # Deactivated without the sessions ended (person_deactivate ends them too).
    User.objects.filter(pk=cast.bob.pk).update(is_active=False)
    assert client.get("/").status_code == 302


def test_a_request_reads_its_session_with_its_person_in_one_statement(cast):
    client = Client()
    login(client, "alice")
    client.get("/")  # the login's session renewed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200 and response.context["user"] == cast.alice
    reads = [q["sql"] for q in queries.captured_queries]
    # The session with its person (and, in the same statement, what the session store of
    # the settings reads with them): nothing else.
    assert len(reads) == 1, reads
    assert '"accounts_session"' in reads[0] and '"accounts_user"' in reads[0]


def test_the_person_is_the_one_the_sessions_data_names_and_their_password_still_counts(cast):
    """The row's person is a copy kept for ending sessions; what Django reads, the data, wins,
    and its hash of the password is still checked against the person read."""
    client = Client()
    login(client, "alice")
    Session.objects.filter(user=cast.alice).update(user=cast.bob)
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200 and response.context["user"] == cast.alice
    alice = User.objects.get(pk=cast.alice.pk)
    alice.set_password("another-long-passphrase")
    alice.save()
    assert client.get("/").status_code == 302


@pytest.mark.django_db(transaction=True)  # as a server runs: no transaction around requests
def test_a_session_is_renewed_by_one_statement_and_a_deleted_one_is_not_brought_back(cast):
    client = Client()
    login(client, "alice")
    session = client.session
    session[SEEN_AT] = time.time() - 120  # last seen two minutes ago
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:accessibility")).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith('UPDATE "accounts_session"'), writes
    # Ended elsewhere while this request ran (a logout on another device): not written again.
    store = SessionStore(session.session_key)
    store[SEEN_AT] = 0
    Session.objects.filter(session_key=session.session_key).delete()
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


def test_inside_a_transaction_a_failed_session_write_leaves_it_usable(cast):
    store = SessionStore()
    store.create()
    key = store.session_key
    Session.objects.filter(session_key=key).delete()
    with transaction.atomic():
        with pytest.raises(UpdateError):
            store.save()
        assert User.objects.filter(pk=cast.alice.pk).exists()  # the transaction goes on


@override_settings(SESSION_ABSOLUTE_HOURS=1)
def test_absolute_session_timeout(cast):
    client = Client()
    login(client, "alice")
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGIN_AT] = time.time() - 3601
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_idle_timeout_is_the_cookie_age(cast, settings):
    client = Client()
    login(client, "alice")
    session = Session.objects.get(user=cast.alice)
    remaining = (
        session.expire_date - session.expire_date.now(tz=session.expire_date.tzinfo)
    ).total_seconds()
    assert abs(remaining - settings.SESSION_IDLE_MINUTES * 60) < 60
    assert client.cookies["sessionid"]["httponly"]


@override_settings(SPARRING_LOCKOUT_ATTEMPTS=3, SPARRING_LOCKOUT_MINUTES=15)
def test_trying_while_locked_does_not_prolong_the_lockout_and_records_nothing(cast):
    start = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    for minute in range(3):
        attempt = login_try_begin(username="alice", address="10.0.0.1", now=start)
        assert attempt is not None
        login_try_failed(attempt=attempt, now=start + timedelta(minutes=minute))
    recorded = LoginAttempt.objects.count()
    # Someone keeps trying every few minutes while alice is locked: nothing is recorded.
    for minutes in (4, 8, 12, 16):
        assert (
            login_try_begin(
                username="alice", address="10.0.0.1", now=start + timedelta(minutes=minutes)
            )
            is None
        )
    assert LoginAttempt.objects.count() == recorded
    assert login_try_begin(username="alice", address="10.0.0.1", now=start + timedelta(minutes=18))


@override_settings(SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS=4)
def test_one_address_trying_many_people_is_locked_out(cast):
    client = Client()
    for username in ["alice", "bob", "lena", "eve"]:
        login(client, username, "Sommer2026!")
    assert login(client, "ada").status_code == 200, "locked for this address"
    assert not Session.objects.filter(user=cast.ada).exists()
