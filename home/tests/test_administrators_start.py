"""The administrator's start on Min side: a setup checklist that ticks as Sparring is set up,
and how the system is running. Only administrators see it; time is the view's `now`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.services import password_link_send
from core.models import AuditEntry
from core.services import worker_heartbeat_record
from home.selectors import for_administrators_start
from notifications.delivery import deliver_due
from notifications.models import ChatWebhook, OutgoingEmail
from notifications.selectors import EMAIL_TEST
from notifications.services import EmailTestError, email_test_send
from organisation.models import ImportJob, Value
from pulse.models import Question, Survey
from pulse.services import round_open

TEST_EMAIL = reverse("email_admin:test")


def _start(cast, clock):
    start = for_administrators_start(user=cast.ada, now=clock.now())
    assert start is not None
    return start


def test_only_an_administrator_has_a_start(cast, clock):
    for person in (cast.alice, cast.lena, cast.eve):
        assert for_administrators_start(user=person, now=clock.now()) is None


@pytest.mark.parametrize(("who", "shown"), [("alice", False), ("lena", False), ("ada", True)])
def test_min_side_shows_the_checklist_and_health_to_administrators_only(
    who, shown, cast, client_for, clock
):
    html = client_for(getattr(cast, who)).get("/").content.decode()
    assert ('id="setup-heading"' in html) is shown
    assert ('id="health-heading"' in html) is shown
    assert (TEST_EMAIL in html) is shown


def test_organisation_imported_needs_units_and_people_beyond_the_administrator(db, clock):
    ada = User.objects.create(username="ada", is_administrator=True)
    start = for_administrators_start(user=ada, now=clock.now())
    assert start is not None and not start.organisation.imported


def test_the_checklist_ticks_as_sparring_is_set_up(cast, clock):
    Value.objects.update(is_active=False)
    start = _start(cast, clock)
    assert start.organisation.imported  # the cast's units and people
    assert not start.organisation.has_values
    assert not start.login.done
    assert not start.notifications.email_tested
    assert start.notifications.chat_channels == 0
    assert not start.pulse.has_round and start.pulse.first_opens_on is None
    assert start.steps_done == 1

    Value.objects.create(name="Nysgerrighed")
    newcomer = User(username="nina", email="nina@example.org")
    newcomer.set_unusable_password()
    newcomer.save()
    password_link_send(actor=cast.ada, person=newcomer, now=clock.now())
    ChatWebhook.objects.create(name="Hele kommunen", format="zulip", url="https://chat.example/h")
    survey = Survey.objects.create(name="Trivsel", starts_on=clock.today() + timedelta(days=6))
    survey.units.set([cast.team])
    survey.items.create(question=Question.objects.create(theme="trust", text_da="T", text_en="T"))
    start = _start(cast, clock)
    assert start.organisation.has_values and start.login.done
    assert start.notifications.chat_channels == 1
    assert not start.pulse.has_round
    assert start.pulse.first_opens_on == clock.today() + timedelta(days=6)

    round_open(survey=survey, opens_at=clock.now())
    email_test_send(actor=cast.ada, now=clock.now())
    assert not _start(cast, clock).notifications.email_tested  # written, not yet delivered
    deliver_due(clock=clock.now)
    start = _start(cast, clock)
    assert start.notifications.email_tested and start.pulse.has_round
    assert start.notifications.my_test_email is not None
    assert start.notifications.my_test_email.sent_at == clock.now()
    assert start.steps_done == len(start.steps) == 5


@override_settings(OIDC_ENABLED=True)
def test_openid_connect_is_a_login_method(cast, clock):
    assert _start(cast, clock).login.done


def test_a_reset_link_is_not_an_invitation(cast, clock):
    assert cast.alice.has_usable_password()
    password_link_send(actor=cast.ada, person=cast.alice, now=clock.now())
    assert not _start(cast, clock).login.done


def test_health_worker_emails_and_imports(cast, clock):
    start = _start(cast, clock)
    assert start.worker.last_seen is None and start.worker.late
    assert start.notifications.emails_waiting == start.notifications.emails_given_up == 0
    assert start.organisation.imports_under_way == []

    worker_heartbeat_record(now=clock.now() - timedelta(minutes=2), host="a")
    worker_heartbeat_record(now=clock.now() - timedelta(hours=3), host="b")
    for attempts, next_attempt_at in [(0, clock.now()), (3, clock.now()), (10, None)]:
        OutgoingEmail.objects.create(
            recipient=cast.alice,
            kind="help_request",
            to_address="alice@example.org",
            subject="x",
            body="x",
            attempts=attempts,
            next_attempt_at=next_attempt_at,
        )
    OutgoingEmail.objects.create(
        recipient=cast.bob, kind="x", to_address="b@x", subject="x", body="x", sent_at=clock.now()
    )
    job = ImportJob.objects.create(started_by=cast.ada, status=ImportJob.Status.RUNNING)
    ImportJob.objects.create(started_by=cast.ada, status=ImportJob.Status.DONE)
    start = _start(cast, clock)
    assert start.worker.last_seen == clock.now() - timedelta(minutes=2)
    assert not start.worker.late and not start.worker.just_now
    assert start.notifications.emails_waiting == 2
    assert start.notifications.emails_given_up == 1
    assert [j.pk for j in start.organisation.imports_under_way] == [job.pk]

    later = clock.advance(timedelta(minutes=10))
    assert for_administrators_start(user=cast.ada, now=later).worker.late  # type: ignore[union-attr]


def test_health_reads_in_danish(cast, client_for, clock):
    worker_heartbeat_record(now=clock.now() - timedelta(minutes=2))
    # Django puts a no-break space between a number and its unit.
    html = client_for(cast.ada).get("/").content.decode().replace("\xa0", " ")
    assert "Sidst set for 2 minutter siden" in html
    assert "Ingen venter på at blive sendt." in html
    assert "Ingen under vej." in html

    clock.advance(timedelta(hours=1))
    html = client_for(cast.ada).get("/").content.decode()
    assert "Baggrundsprocessen kører ikke" in html


def test_an_administrator_sends_a_test_email_to_themselves(cast, client_for, clock):
    client = client_for(cast.ada)
    response = client.post(TEST_EMAIL)
    assert response.status_code == 302 and response["Location"] == reverse("home:index")
    email = OutgoingEmail.objects.get(kind=EMAIL_TEST)
    assert email.recipient == cast.ada and email.to_address == "ada@example.org"
    assert email.sent_at is None  # the worker sends it
    entry = AuditEntry.objects.get(action="email.test")
    assert entry.actor == cast.ada

    # While it waits, another is refused; the page says why.
    html = client.post(TEST_EMAIL, follow=True).content.decode()
    assert "venter allerede" in html
    assert OutgoingEmail.objects.filter(kind=EMAIL_TEST).count() == 1
    assert "venter på baggrundsprocessen" in html

    deliver_due(clock=clock.now)
    html = client.get("/").content.decode()
    assert "Din seneste test-e-mail blev sendt" in html
    assert client.post(TEST_EMAIL).status_code == 302
    assert OutgoingEmail.objects.filter(kind=EMAIL_TEST).count() == 2


def test_no_test_email_without_an_address(cast, clock):
    cast.ada.email = ""
    cast.ada.save()
    with pytest.raises(EmailTestError):
        email_test_send(actor=cast.ada, now=clock.now())
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("who", ["alice", "lena", "eve"])
def test_the_test_email_is_for_administrators_only(who, cast, client_for, clock):
    client = client_for(getattr(cast, who))
    assert client.post(TEST_EMAIL).status_code == 404
    assert client.get(TEST_EMAIL).status_code == 404
    assert not OutgoingEmail.objects.exists()
    assert not AuditEntry.objects.filter(action="email.test").exists()


def test_an_administrator_in_no_team_is_told_what_they_can_do(cast, client_for, clock):
    html = client_for(cast.ada).get("/").content.decode()
    assert "En administrator kan tilføje dig" not in html
    assert reverse("administration:person_edit", kwargs={"user_id": cast.ada.pk}) in html
    assert reverse("administration:import") in html
    # The checklist comes first for an administrator in no team.
    assert html.index('id="setup-heading"') < html.index('id="checkins-heading"')
    teams = client_for(cast.ada).get(reverse("home:teams")).content.decode()
    assert "En administrator kan tilføje dig" not in teams
    # A member in no team is still told to ask.
    loner = User.objects.create(username="loner")
    assert "En administrator kan tilføje dig" in client_for(loner).get("/").content.decode()


def test_an_administrator_in_a_team_sees_the_checklist_after_their_week(cast, client_for, clock):
    from organisation.models import Membership

    Membership.objects.create(user=cast.ada, unit=cast.team)
    html = client_for(cast.ada).get("/").content.decode()
    assert html.index('id="checkins-heading"') < html.index('id="setup-heading"')


def _queries(client):
    client.get("/")  # warm: the session's once-a-minute renewal is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_query_count_of_the_administrators_min_side_is_pinned(cast, client_for, clock):
    client = client_for(cast.ada)
    before = _queries(client)
    worker_heartbeat_record(now=clock.now(), host="a")
    worker_heartbeat_record(now=clock.now(), host="b")
    for i in range(20):
        email_test_send(actor=cast.ada, now=clock.now())
        deliver_due(clock=clock.now)
        OutgoingEmail.objects.create(
            recipient=cast.alice, kind=f"k{i}", to_address="a@x", subject="x", body="x"
        )
        ImportJob.objects.create(started_by=cast.ada, status=ImportJob.Status.QUEUED)
        ChatWebhook.objects.create(name=f"c{i}", format="zulip", url="https://chat.example/h")
    after = _queries(client)
    # Min side as anyone in no team sees it (14, with the session read with its person and unread
    # notifications, and the two of their conversations; the member's week in
    # home/tests/test_week.py), and twelve for the start: units, other people, the values, imports
    # under way, invitations sent, the outbox, a test e-mail delivered, one's own latest, the chat
    # channels, a round, the first survey (asked only while there is no round) and the worker.
    assert before == after == 26, (before, after)
