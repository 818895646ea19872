"""E-mail goes out through a real SMTP server on 127.0.0.1, from the worker, and survives a
mail server that is down or refuses: the e-mail is kept and tried again until it arrives.

The clock stands still (the `clock` fixture) and the worker runs no periodic tasks here: a
tick on a check-in day would rightly send that day's reminders too, which is not what these
tests are about (test_worker has that)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from notifications.delivery import _claim_next, backoff, deliver_due, lease
from notifications.kinds import get_kind
from notifications.management.commands import worker
from notifications.models import OutgoingEmail
from notifications.services import Attachment, notification_settings_save, notify
from notifications.tests.conftest import Inbox
from tests.processes import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def only_delivery(tasks, clock):
    """Every test here delivers at a fixed time with no periodic tasks."""


def tick():
    worker.tick(now=timezone.now())


def time_passes(email, past=timedelta(seconds=1)):
    """As if the clock had reached the e-mail's next attempt."""
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - past)


def test_the_worker_delivers_an_email_through_smtp(cast, smtp_server):
    notify(
        recipient=cast.alice,
        kind="help_request",
        text="Bob beder om hjælp: budgettet for næste år",
        url="/notes/",
    )
    # Nothing is sent until the worker runs.
    assert smtp_server.received == []
    email = OutgoingEmail.objects.get()

    call_command("worker", "--once")

    [received] = smtp_server.received
    assert received.rcpt_tos == ["alice@example.org"]
    assert received.mail_from == "sparring@kommune.example"
    with translation.override(settings.LANGUAGE_CODE):
        label = str(get_kind("help_request").label)
    assert received.message["Subject"] == f"Sparring: {label}"
    assert received.message["To"] == "alice@example.org"
    assert received.message["Auto-Submitted"] == "auto-generated"
    body = received.message.get_content()
    assert "Bob beder om hjælp: budgettet for næste år" in body
    assert f"{settings.SPARRING_BASE_URL}/notes/" in body
    assert f"{settings.SPARRING_BASE_URL}/notifications/settings/" in body

    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.next_attempt_at is None

    # A sent e-mail is never sent again, however many ticks follow.
    tick()
    tick()
    assert len(smtp_server.received) == 1


def test_a_refused_email_is_kept_and_delivered_on_a_later_tick(cast, smtp_server):
    smtp_server.refuse = 1
    notify(recipient=cast.alice, kind="help_offer", text="Bob vil gerne hjælpe")
    before = timezone.now()

    tick()

    assert smtp_server.received == []
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "451" in email.last_error
    # Tried again in a minute, not at once.
    retry = email.next_attempt_at
    assert retry is not None
    assert before + timedelta(seconds=55) < retry < timezone.now() + timedelta(seconds=65)
    tick()
    assert smtp_server.received == []
    email.refresh_from_db()
    assert email.attempts == 1

    time_passes(email)
    tick()

    [received] = smtp_server.received
    assert "Bob vil gerne hjælpe" in received.message.get_content()
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 2


def test_a_mail_server_that_is_down_loses_nothing(cast, mail_settings):
    notify(recipient=cast.alice, kind="help_request", text="Kan nogen hjælpe?")
    notify(recipient=cast.bob, kind="help_request", text="Kan nogen hjælpe?")

    tick()  # nothing listens on the port

    emails = list(OutgoingEmail.objects.order_by("pk"))
    # One e-mail finds the door closed; the other is not tried in vain.
    assert [(e.attempts, e.sent_at) for e in emails] == [(1, None), (0, None)]
    assert "ConnectionRefused" in emails[0].last_error

    server = Inbox(mail_settings)
    server.start()
    try:
        for email in emails:
            time_passes(email)
        tick()
    finally:
        server.stop()

    assert sorted(r.rcpt_tos[0] for r in server.received) == [
        "alice@example.org",
        "bob@example.org",
    ]
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 0


def test_backoff_doubles_up_to_an_hour():
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_the_worker_gives_up_after_the_last_attempt_but_keeps_the_email(
    cast, mail_settings, settings, caplog
):
    settings.SPARRING_EMAIL_MAX_ATTEMPTS = 3
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    email = OutgoingEmail.objects.get()
    waits = []
    for _ in range(3):
        started = timezone.now()
        tick()
        email.refresh_from_db()
        if email.next_attempt_at is not None:
            waits.append(round((email.next_attempt_at - started) / timedelta(minutes=1)))
            time_passes(email)
    assert waits == [1, 2]
    assert email.attempts == 3
    assert email.gave_up
    assert email.last_error
    assert "giving up" in caplog.text
    # Given up means given up: later ticks leave it alone.
    tick()
    email.refresh_from_db()
    assert email.attempts == 3


def test_an_email_claimed_by_a_worker_that_died_is_sent_after_the_lease(cast, smtp_server):
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    claimed = _claim_next(timezone.now())
    assert claimed is not None
    # While one worker holds the claim, nobody else can take the e-mail.
    assert _claim_next(timezone.now()) is None
    tick()
    assert smtp_server.received == []

    # That worker died before it sent the e-mail: once the lease has run out, it goes out.
    time_passes(claimed, past=timedelta(seconds=1))
    tick()
    assert len(smtp_server.received) == 1
    claimed.refresh_from_db()
    assert claimed.attempts == 2 and claimed.sent_at is not None


def test_a_person_without_an_email_address_gets_no_email(cast, smtp_server):
    cast.alice.email = ""
    cast.alice.save()
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory test database reports locks instead of waiting; see the next test",
)
def test_two_workers_at_once_send_every_email_exactly_once(smtp_server, django_user_model):
    people = [
        django_user_model.objects.create(username=f"p{i}", email=f"p{i}@example.org")
        for i in range(40)
    ]
    for person in people:
        notify(recipient=person, kind="help_request", text="Hjælp")
    errors = []

    def worker():
        try:
            deliver_due(clock=timezone.now, limit=100)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)

    assert errors == []
    addresses = sorted(r.rcpt_tos[0] for r in smtp_server.received)
    assert addresses == sorted(p.email for p in people)
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}


_MAKE_EMAILS = """
from accounts.models import User
from notifications.services import Attachment, notification_settings_save, notify
for i in range(40):
    person = User.objects.create(username=f"p{i}", email=f"p{i}@example.org")
    notify(recipient=person, kind="help_request", text="Hjælp")
"""


@pytest.mark.own_database
def test_two_worker_processes_on_sqlite_send_every_email_exactly_once(tmp_path, smtp_server):
    """Two real worker processes on one SQLite file, as two workers on one machine run."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sparring.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "false",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrated_sqlite(tmp_path / "sparring.sqlite3")
    subprocess.run(
        [*manage, "shell", "-c", _MAKE_EMAILS], env=env, cwd=ROOT, check=True, timeout=120
    )

    workers = [subprocess.Popen([*manage, "worker", "--once"], env=env, cwd=ROOT) for _ in range(2)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]

    addresses = sorted(r.rcpt_tos[0] for r in smtp_server.received)
    assert addresses == sorted(f"p{i}@example.org" for i in range(40))


def test_the_lease_is_longer_than_an_attempt_can_take():
    # Connecting and sending each wait at most EMAIL_TIMEOUT.
    assert timedelta(seconds=2 * settings.EMAIL_TIMEOUT) < lease()


def test_someone_deactivated_before_the_worker_runs_gets_no_email(cast, smtp_server):
    notify(recipient=cast.bob, kind="help_request", text="Hjælp")
    cast.bob.is_active = False
    cast.bob.save()
    tick()
    assert smtp_server.received == []
    email = OutgoingEmail.objects.get()
    assert email.gave_up and "deactivated" in email.last_error


INVITATION = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Sparring//DA\r\n"
    "METHOD:PUBLISH\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:sparring-7@sparring.example\r\n"
    "DTSTAMP:20261125T080000Z\r\n"
    "DTSTART:20261201T090000Z\r\n"
    "DTEND:20261201T093000Z\r\n"
    "SUMMARY:Sparring om økonomistyring\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_an_email_carries_its_calendar_invitation(cast, smtp_server):
    notify(
        recipient=cast.alice,
        kind="help_request",
        text="Bob vil gerne sparre med dig",
        url="/notes/",
        attachment=Attachment("sparring.ics", INVITATION, "text/calendar; method=PUBLISH"),
    )
    email = OutgoingEmail.objects.get()
    assert email.attachment_type == "text/calendar; method=PUBLISH"

    tick()

    [received] = smtp_server.received
    message = received.message
    assert message.get_content_type() == "multipart/mixed"
    text, invitation = message.iter_parts()
    assert "Bob vil gerne sparre med dig" in text.get_content()
    # What calendar clients look for: the type with its method, the charset, the file name.
    # As it came over the wire: the parsed header would quote the method on its own.
    raw = dict(invitation.raw_items())
    assert raw["Content-Type"] == 'text/calendar; method=PUBLISH; charset="utf-8"'
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == "PUBLISH"
    assert invitation.get_content_charset() == "utf-8"
    assert invitation.get_content_disposition() == "attachment"
    assert invitation.get_filename() == "sparring.ics"
    # Mail travels with CRLF line ends, as iCalendar has them.
    assert invitation.get_content().replace("\r\n", "\n") == INVITATION.replace("\r\n", "\n")


def test_a_cancellation_keeps_its_own_method(cast, smtp_server):
    notify(
        recipient=cast.alice,
        kind="help_request",
        text="Aflyst",
        attachment=Attachment("aflyst.ics", INVITATION, "text/calendar; method=CANCEL"),
    )
    tick()
    [received] = smtp_server.received
    [invitation] = [p for p in received.message.iter_parts() if p.get_filename()]
    assert invitation.get_param("method") == "CANCEL"
    assert invitation.get_content_charset() == "utf-8"


def test_an_email_without_an_attachment_is_a_single_text(cast, smtp_server):
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    tick()
    [received] = smtp_server.received
    assert received.message.get_content_type() == "text/plain"


def test_an_attachment_is_a_named_text_file():
    # It is kept as text in the outbox.
    with pytest.raises(ValueError):
        Attachment("billede.png", "...", "image/png")
    with pytest.raises(ValueError):
        Attachment("", "...", "text/calendar")


def test_no_email_means_no_attachment_stored(cast):
    notification_settings_save(user=cast.alice, choices={"help_request": (True, False)})
    notify(
        recipient=cast.alice,
        kind="help_request",
        text="Hjælp",
        attachment=Attachment("sparring.ics", INVITATION, "text/calendar; method=PUBLISH"),
    )
    assert not OutgoingEmail.objects.exists()


def test_a_password_link_counts_from_the_time_the_worker_sends_it(cast):
    """The link is made as the e-mail leaves, valid from the tick's time (the worker's clock),
    not from whatever the wall clock says: a tick at a given moment writes links for it."""
    from django.core import mail

    from accounts.services import password_link_person, password_link_send

    cast.alice.set_unusable_password()
    cast.alice.save()
    password_link_send(actor=cast.ada, person=cast.alice, now=timezone.now())
    sent_at = timezone.now() + timedelta(days=30)
    mail.outbox.clear()

    deliver_due(clock=lambda: sent_at)

    [message] = mail.outbox
    purpose, uidb64, token, _ = message.body.split("/password/", 1)[1].split()[0].split("/")
    assert purpose == "invitation"
    assert (
        password_link_person(
            purpose="invitation", uidb64=uidb64, token=token, now=sent_at + timedelta(hours=1)
        )
        == cast.alice
    )


def test_an_email_that_cannot_be_written_fails_alone_and_the_rest_go_out(cast, monkeypatch):
    """An unexpected error while one e-mail is put together (its link, its attachment) is that
    e-mail's failure, retried later and given up on like any other: it neither stops the
    tick nor holds back the e-mail behind it, and its attempts do not grow without end."""
    from django.core import mail

    from notifications import account_emails

    def broken(person, now):
        raise RuntimeError("no link today")

    monkeypatch.setitem(account_emails._COMPOSERS, "account_test_broken", broken)
    poison = account_emails.account_email_queue(
        recipient=cast.alice,
        kind="account_test_broken",
        subject="Sparring: test",
        body=f"Link: {account_emails.LINK}\n",
    )
    assert poison is not None
    notify(recipient=cast.bob, kind="help_request", text="Hjælp", url="/notes/")
    mail.outbox.clear()

    sent, failed = deliver_due(clock=timezone.now)

    assert (sent, failed) == (1, 1)
    assert [message.to for message in mail.outbox] == [[cast.bob.email]]
    poison.refresh_from_db()
    assert poison.sent_at is None
    assert poison.next_attempt_at == timezone.now() + backoff(1)
    assert "no link today" in poison.last_error
