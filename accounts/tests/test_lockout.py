"""The lock-out holds at any number of rows, counts the client behind trusted proxies, says
nothing about whether an account exists, tells the person, and keeps no typed name."""

from __future__ import annotations

import re
import secrets
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import LoginAttempt, LoginThrottle, Session
from accounts.net import address_bucket, client_address
from accounts.services import login_throttles_purge, login_try_begin, login_try_failed
from conftest import PASSWORD
from core.models import AuditEntry
from notifications.models import OutgoingEmail

LOGIN = "/login/"
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def locked_message() -> str:
    with translation.override("da"):
        return gettext(
            "Too many failed attempts. Wait %(minutes)d minutes and try again, "
            "or ask an administrator."
        ) % {"minutes": 15}


def test_with_10000_failed_attempts_in_the_table_the_lock_still_holds(cast):
    with CaptureQueriesContext(connection) as empty_table:
        login_try_begin(username="bob", address="192.0.2.77", now=NOW)
    # Yesterday's and today's earlier failures of alice and of others, from many addresses.
    LoginAttempt.objects.bulk_create(
        [
            LoginAttempt(
                user=cast.alice if i % 2 else cast.bob,
                ip_address=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
                succeeded=False,
                at=NOW - timedelta(hours=i % 20),
            )
            for i in range(10_000)
        ],
        batch_size=1000,
    )
    client = Client()
    for _ in range(5):
        assert login(client, "alice", "wrong").status_code == 200
    response = login(client, "alice")
    assert locked_message() in response.content.decode()
    assert not Session.objects.filter(user=cast.alice).exists()
    recorded = LoginAttempt.objects.count()
    for _ in range(20):
        login(client, "alice", "wrong")
    assert LoginAttempt.objects.count() == recorded, "nothing is recorded while locked"
    # The check reads one counter row per name and address, whatever the table holds.
    with CaptureQueriesContext(connection) as full_table:
        login_try_begin(username="bob", address="192.0.2.78", now=NOW)
    assert len(full_table) == len(empty_table)


@override_settings(SPARRING_TRUSTED_PROXIES=1)
def test_50_failures_with_random_names_through_a_trusted_proxy_lock_only_that_address(cast):
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    names = [f"guess-{secrets.token_hex(4)}" for _ in range(50)]
    for name in names:
        assert login(attacker, name, "Sommer2026!").status_code == 200
    # The attacker's address is locked now, whatever name it tries, even a right password.
    assert locked_message() in login(attacker, "bob").content.decode()
    assert not Session.objects.filter(user=cast.bob).exists()
    # A person at another client address, through the same proxy, still logs in.
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert login(colleague, "alice").status_code == 302
    # None of the typed names is kept anywhere.
    assert set(LoginAttempt.objects.filter(succeeded=False).values_list("user", flat=True)) == {
        None
    }
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.7",
        "198.51.100.20",
    }
    kept = " ".join(
        f"{e.summary} {e.target_label} {e.data}" for e in AuditEntry.objects.all()
    ) + " ".join(LoginThrottle.objects.values_list("key", flat=True))
    assert not any(name in kept for name in names)
    assert AuditEntry.objects.filter(action="login.address_locked").count() == 1


def test_the_client_address_is_taken_through_exactly_the_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    settings.SPARRING_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.1", "a header from the client proves nothing"
    settings.SPARRING_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.7"
    settings.SPARRING_TRUSTED_PROXIES = 2
    assert client_address(request) == "1.2.3.4"
    settings.SPARRING_TRUSTED_PROXIES = 1
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(garbage) == "10.0.0.1"


def test_ipv6_addresses_are_counted_per_64():
    assert address_bucket("2001:db8:1:2:aaaa::1") == address_bucket("2001:db8:1:2:bbbb::9")
    assert address_bucket("2001:db8:1:2::1") != address_bucket("2001:db8:1:3::1")
    assert address_bucket("::ffff:192.0.2.1") == "192.0.2.1"
    assert address_bucket("192.0.2.1") == "192.0.2.1"


@override_settings(SPARRING_LOCKOUT_ATTEMPTS=3)
def test_the_lockout_message_is_the_same_for_a_name_that_matches_no_one(cast):
    answers: dict[str, str] = {}
    for name in ("alice", "nobody-by-that-name"):
        client = Client(REMOTE_ADDR=f"192.0.2.{len(answers) + 1}")
        for _ in range(3):
            login(client, name, "wrong")
        page = login(client, name, "wrong").content.decode()
        # The whole page, but for the form's token and the name typed back into the field.
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        answers[name] = page.replace(f'value="{name}"', "")
    assert locked_message() in answers["alice"]
    assert answers["alice"] == answers["nobody-by-that-name"]


@override_settings(SPARRING_LOCKOUT_ATTEMPTS=3)
def test_a_locked_person_is_told_by_email_once_per_lock_and_it_is_audited(cast):
    for minute in range(10):
        attempt = login_try_begin(
            username="alice", address="192.0.2.9", now=NOW + timedelta(minutes=minute)
        )
        if attempt is not None:
            login_try_failed(attempt=attempt, now=NOW + timedelta(minutes=minute))
    told = OutgoingEmail.objects.filter(recipient=cast.alice, kind="account_locked")
    assert told.count() == 1
    assert "alice" not in told.get().subject.lower()
    assert (
        AuditEntry.objects.filter(action="login.failed", target_id=str(cast.alice.pk)).count() == 3
    )
    assert AuditEntry.objects.filter(action="login.locked").count() == 1
    # After the lock, three more failures lock again, and she is told again.
    later = NOW + timedelta(minutes=30)
    for second in range(3):
        attempt = login_try_begin(username="alice", address="192.0.2.9", now=later)
        assert attempt is not None
        login_try_failed(attempt=attempt, now=later + timedelta(seconds=second))
    assert told.count() == 2


def test_failed_logins_show_in_danish_on_the_audit_page(cast, client_for):
    login(Client(), "alice", "wrong")
    page = client_for(cast.ada).get("/administration/audit/").content.decode()
    with translation.override("da"):
        assert gettext("Failed login") in page


def test_the_worker_forgets_counters_that_lock_nothing(cast):
    from notifications.scheduler import run_periodic_tasks

    attempt = login_try_begin(username="alice", address="192.0.2.5", now=NOW - timedelta(days=2))
    assert attempt is not None
    login_try_failed(attempt=attempt, now=NOW - timedelta(days=2))
    assert LoginThrottle.objects.exists()
    assert run_periodic_tasks(NOW) == []
    assert not LoginThrottle.objects.exists()
    assert login_throttles_purge(now=NOW) == 0


@pytest.mark.django_db(transaction=True)
@override_settings(SPARRING_LOCKOUT_ATTEMPTS=5, SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS=1000)
def test_parallel_tries_cannot_pass_the_limit_together():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    let_through: list[bool] = []
    barrier = threading.Barrier(20)

    def one_try(n: int) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            attempt = login_try_begin(username="alice", address=f"192.0.2.{n}", now=NOW)
            let_through.append(attempt is not None)
        finally:
            own.close()

    threads = [threading.Thread(target=one_try, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert let_through.count(True) == 5


def test_a_client_address_written_with_its_port_by_the_proxy_is_the_client_not_the_proxy(
    rf, settings
):
    """Some proxies write "address:port"; read as garbage, everyone would be counted as the
    proxy, and one attacker would lock out every local login."""
    settings.SPARRING_TRUSTED_PROXIES = 1
    for forwarded, client in [
        ("203.0.113.7:50123", "203.0.113.7"),
        ("[2001:db8::7]:50123", "2001:db8::7"),
        ("[2001:db8::7]", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
    ]:
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == client, forwarded


def test_an_ipv6_zone_is_no_part_of_the_client_address(rf, settings, cast):
    """PostgreSQL's address column refuses "fe80::7%eth0": the login would end in an error."""
    settings.SPARRING_TRUSTED_PROXIES = 0
    assert client_address(rf.get("/", REMOTE_ADDR="fe80::7%eth0")) == "fe80::7"
    settings.SPARRING_TRUSTED_PROXIES = 1
    for forwarded in ("fe80::7%eth0", "[fe80::7%eth0]:50123"):
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == "fe80::7", forwarded
    settings.SPARRING_TRUSTED_PROXIES = 0
    response = Client(REMOTE_ADDR="fe80::7%eth0").post(
        "/login/", {"username": "alice", "password": "not-it"}
    )
    assert response.status_code == 200
    assert LoginAttempt.objects.get().ip_address == "fe80::7"
