"""Chat channels: messages go from the worker to a real HTTP server on 127.0.0.1 in the JSON
each chat service documents, only to the channels they are meant for, and survive a service
that fails or cannot be reached. Administrators set the webhooks up; nobody else sees them,
and the secret address is never shown whole."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from notifications.chat import chat_post
from notifications.chat_delivery import deliver_due_webhooks
from notifications.delivery import lease
from notifications.models import ChatWebhook, OutgoingEmail, WebhookDelivery
from notifications.services import notify
from notifications.tests.conftest import free_port

TEXT = "Alice takker Bob for hjælpen med budgettet & <tallene>"
LINK = "/recognition/3/"
LABEL = "Se anerkendelsen"
# The part of an address that holds a webhook's secret.
TOKEN = "T0KEN-5ecret-abc123"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A test that made the client give up must not wait for the handler's nap to end.
    block_on_close = False


@dataclass
class ChatServer:
    """A chat service's webhook endpoint that records every POST. `fail` > 0 answers that
    many requests with 500, `status` answers the rest, and `delay` makes it slow."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    fail: int = 0
    status: int = 200
    delay: float = 0.0
    server: _Server | None = None

    def start(self) -> None:
        chat = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                chat.received.append(Received(self.path, dict(self.headers), json.loads(raw)))
                time.sleep(chat.delay)
                if chat.fail:
                    chat.fail -= 1
                    # Some services repeat the address in their error; it must not be kept.
                    status, answer = 500, f"Internal error handling {self.path}"
                else:
                    status, answer = chat.status, "ok"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    if 300 <= status < 400:
                        self.send_header("Location", "/elsewhere")
                    self.end_headers()
                    self.wfile.write(answer.encode())
                except OSError:
                    pass  # the client stopped waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def url(self, path: str = "/hooks/T0KEN-5ecret-abc123") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.received]


@pytest.fixture
def chat_server():
    server = ChatServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def on_premise(settings, dns):
    """The test chat server runs on this machine, as an on-premise one would, which the
    setting for that allows; the other names in these tests resolve to a public address."""
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def tick():
    call_command("worker", "--once")


def deliver():
    return deliver_due_webhooks(clock=timezone.now)


def time_passes(delivery, past=timedelta(seconds=1)):
    """As if the clock had reached the message's next attempt, and the end of its webhook's
    rest after a failure."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - past)
    ChatWebhook.objects.filter(pk=delivery.webhook_id).update(retry_after=None)


def webhook(url, *, format="slack", unit=None, is_active=True, name="Kanal"):
    return ChatWebhook.objects.create(
        name=name, format=format, url=url, unit=unit, is_active=is_active
    )


# --- The formats ------------------------------------------------------------------------------


def _absolute(path):
    return f"{settings.SPARRING_BASE_URL}{path}"


EXPECTED = {
    # Slack: &, < and > are its markup and written as entities; a link is <url|label>.
    "slack": lambda: {
        "text": "Alice takker Bob for hjælpen med budgettet &amp; &lt;tallene&gt;\n\n"
        f"<{_absolute(LINK)}|{LABEL}>"
    },
    # Mattermost and Zulip (its Slack-compatible webhook) read Markdown.
    "mattermost": lambda: {"text": f"{TEXT}\n\n[{LABEL}]({_absolute(LINK)})"},
    "zulip": lambda: {"text": f"{TEXT}\n\n[{LABEL}]({_absolute(LINK)})"},
    # Teams' Workflows: a message with an Adaptive Card attachment.
    "teams": lambda: {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [{"type": "TextBlock", "text": TEXT, "wrap": True}],
                    "actions": [{"type": "Action.OpenUrl", "title": LABEL, "url": _absolute(LINK)}],
                },
            }
        ],
    },
}


@pytest.mark.parametrize("format", ["slack", "mattermost", "zulip", "teams"])
def test_each_chat_service_gets_the_json_it_documents(format, cast, chat_server):
    # Zulip's address names the channel and topic in its query, which must arrive intact.
    path = f"/api/v1/external/slack_incoming?api_key={TOKEN}&stream=Sparring&topic=Tak"
    hook = webhook(chat_server.url(path), format=format)

    assert chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL) == 1
    # Nothing is posted until the worker runs.
    assert chat_server.received == []
    tick()

    [received] = chat_server.received
    assert received.path == path
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["User-Agent"] == "Sparring"
    assert received.body == EXPECTED[format]()
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.sent_at is not None and delivery.next_attempt_at is None
    assert delivery.attempts == 1

    # Posted once, however many ticks follow.
    tick()
    assert len(chat_server.received) == 1


def test_a_message_links_only_to_a_path_in_sparring(cast):
    for link in ["https://evil.example/", "//evil.example/", "recognition/3/"]:
        with transaction.atomic():
            with pytest.raises(ValueError):
                chat_post(unit=None, text="Tak", link=link, link_label="Se")
            # The caller's transaction goes on: the refusal came before anything was written.
            assert not transaction.get_rollback()


# --- Retries ----------------------------------------------------------------------------------


def test_a_failing_chat_service_is_tried_again_after_a_while(cast, chat_server):
    chat_server.fail = 1
    webhook(chat_server.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    before = timezone.now()

    tick()

    delivery = WebhookDelivery.objects.get()
    assert delivery.sent_at is None
    assert delivery.attempts == 1
    assert (delivery.last_error, delivery.last_status) == ("http_status", 500)
    # The service's answer is never kept, nor the secret in the address it repeats.
    assert "Internal error" not in delivery.error_text
    assert TOKEN not in delivery.error_text
    retry = delivery.next_attempt_at
    assert retry is not None
    assert before + timedelta(seconds=55) < retry < timezone.now() + timedelta(seconds=65)
    tick()
    assert len(chat_server.received) == 1

    time_passes(delivery)
    tick()

    assert len(chat_server.received) == 2
    delivery.refresh_from_db()
    assert delivery.sent_at is not None
    assert delivery.attempts == 2
    assert delivery.last_error == ""


def test_a_chat_service_that_is_down_loses_nothing(cast):
    port = free_port()
    down = ChatServer(port=port)
    webhook(down.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)

    tick()  # nothing listens on the port

    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.sent_at is None
    assert delivery.last_error == "connection_refused"

    down.start()
    try:
        time_passes(delivery)
        tick()
    finally:
        down.stop()
    assert len(down.received) == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is not None


def test_a_dead_channel_is_tried_once_per_run_and_holds_up_no_other(cast, chat_server):
    dead = webhook(ChatServer(port=free_port()).url(), name="Nede")
    for _ in range(3):
        chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    alive = webhook(chat_server.url(), name="Oppe")
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)

    sent, failed = deliver()

    assert (sent, failed) == (1, 1)
    assert len(chat_server.received) == 1
    assert WebhookDelivery.objects.filter(webhook=alive, sent_at__isnull=False).count() == 1
    tried = WebhookDelivery.objects.filter(webhook=dead, attempts=1)
    assert tried.count() == 1
    assert WebhookDelivery.objects.filter(webhook=dead, attempts=0).count() == 3


def test_a_chat_service_that_does_not_answer_in_time_is_tried_again(cast, chat_server, settings):
    settings.SPARRING_WEBHOOK_TIMEOUT = 1
    chat_server.delay = 2
    webhook(chat_server.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)

    started = time.monotonic()
    sent, failed = deliver()

    assert (sent, failed) == (0, 1)
    assert time.monotonic() - started < 2
    delivery = WebhookDelivery.objects.get()
    assert delivery.sent_at is None and delivery.next_attempt_at is not None
    assert delivery.last_error == "timeout"


def test_a_redirect_is_a_failure_not_a_success(cast, chat_server):
    # urllib would follow it with a GET, which posts nothing.
    chat_server.status = 302
    webhook(chat_server.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    tick()
    delivery = WebhookDelivery.objects.get()
    assert delivery.sent_at is None
    assert (delivery.last_error, delivery.last_status) == ("http_status", 302)
    assert chat_server.paths() == ["/hooks/T0KEN-5ecret-abc123"]


def test_the_worker_gives_up_after_the_last_attempt_but_keeps_the_message(
    cast, chat_server, settings, caplog
):
    settings.SPARRING_WEBHOOK_MAX_ATTEMPTS = 3
    chat_server.fail = 100
    webhook(chat_server.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(3):
        started = timezone.now()
        tick()
        delivery.refresh_from_db()
        if delivery.next_attempt_at is not None:
            waits.append(round((delivery.next_attempt_at - started) / timedelta(minutes=1)))
            time_passes(delivery)
    assert waits == [1, 2]
    assert delivery.attempts == 3
    assert delivery.gave_up
    assert (delivery.last_error, delivery.last_status) == ("http_status", 500)
    assert "giving up" in caplog.text
    assert TOKEN not in caplog.text
    # Given up means given up.
    tick()
    assert len(chat_server.received) == 3


def test_a_message_claimed_by_a_worker_that_died_is_posted_after_the_lease(cast, chat_server):
    webhook(chat_server.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    from notifications.chat_delivery import _claim_next

    claimed = _claim_next(now=timezone.now())
    assert claimed is not None
    assert _claim_next(now=timezone.now()) is None
    tick()
    assert chat_server.received == []

    time_passes(claimed)
    tick()
    assert len(chat_server.received) == 1


def test_the_lease_is_longer_than_an_attempt_can_take():
    # Connecting, sending and reading each wait at most the timeout.
    assert timedelta(seconds=3 * settings.SPARRING_WEBHOOK_TIMEOUT) < lease()


def test_a_webhook_switched_off_after_the_message_was_written_gets_nothing(cast, chat_server):
    hook = webhook(chat_server.url())
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    hook.is_active = False
    hook.save()
    tick()
    assert chat_server.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.gave_up and delivery.last_error == "switched_off"


def test_only_http_and_https_addresses_are_ever_opened(cast):
    # The form refuses anything else; this is the worker's own check behind it.
    hook = webhook("https://chat.example/hook")
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    ChatWebhook.objects.filter(pk=hook.pk).update(url="file:///etc/passwd")
    assert deliver() == (0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.gave_up and delivery.last_error == "bad_address"


# --- Routing ----------------------------------------------------------------------------------


def test_a_message_goes_only_to_the_channels_it_is_meant_for(cast, chat_server):
    webhook(chat_server.url("/organisation"))
    webhook(chat_server.url("/organisation-off"), is_active=False)
    webhook(chat_server.url("/secretariat"), unit=cast.team)
    webhook(chat_server.url("/secretariat-off"), unit=cast.team, is_active=False)
    webhook(chat_server.url("/economy"), unit=cast.other_team)

    assert chat_post(unit=None, text="Til alle", link=LINK, link_label=LABEL) == 1
    tick()
    assert chat_server.paths() == ["/organisation"]

    chat_server.received.clear()
    # A team's news stays in the team's channel: never the organisation's, never another's.
    assert chat_post(unit=cast.team, text="Til teamet", link=LINK, link_label=LABEL) == 1
    tick()
    assert chat_server.paths() == ["/secretariat"]

    # A team without a channel of its own gets nothing posted anywhere.
    chat_server.received.clear()
    assert chat_post(unit=cast.organisation, text="Hmm", link=LINK, link_label=LABEL) == 0
    tick()
    assert chat_server.received == []


def test_a_message_is_queued_only_if_what_caused_it_is_committed(cast):
    from django.db import transaction

    webhook("https://chat.example/hook")

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
        raise Rollback
    assert not WebhookDelivery.objects.exists()


def test_one_worker_tick_delivers_emails_and_chat_messages(cast, chat_server, smtp_server):
    webhook(chat_server.url())
    notify(recipient=cast.alice, kind="help_request", text="Bob beder om hjælp")
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)

    call_command("worker", "--once")

    assert len(smtp_server.received) == 1
    assert len(chat_server.received) == 1
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert not WebhookDelivery.objects.filter(sent_at__isnull=True).exists()


# --- Administration ---------------------------------------------------------------------------


def _pages(hook):
    """Every chat administration page: (method, url, data)."""
    return [
        ("get", reverse("chat_admin:webhooks"), {}),
        ("get", reverse("chat_admin:webhook_new"), {}),
        (
            "post",
            reverse("chat_admin:webhook_new"),
            {"name": "X", "format": "slack", "url": "https://x.example/", "is_active": "on"},
        ),
        ("get", reverse("chat_admin:webhook_edit", kwargs={"webhook_id": hook.pk}), {}),
        (
            "post",
            reverse("chat_admin:webhook_edit", kwargs={"webhook_id": hook.pk}),
            {"name": "X", "format": "teams", "url": "", "is_active": ""},
        ),
        ("get", reverse("chat_admin:webhook_delete", kwargs={"webhook_id": hook.pk}), {}),
        ("post", reverse("chat_admin:webhook_delete", kwargs={"webhook_id": hook.pk}), {}),
        ("post", reverse("chat_admin:webhook_test", kwargs={"webhook_id": hook.pk}), {}),
    ]


@pytest.mark.parametrize("viewer", ["alice", "lena"])
def test_only_administrators_see_the_chat_administration(viewer, cast, client_for):
    hook = webhook(f"https://chat.example/hooks/{TOKEN}", unit=cast.team)
    client = client_for(getattr(cast, viewer))
    for method, url, data in _pages(hook):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{viewer}: {method} {url}"
    # Nothing changed.
    assert list(ChatWebhook.objects.values_list("name", "format", "is_active")) == [
        ("Kanal", "slack", True)
    ]
    assert not WebhookDelivery.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="chat_webhook").exists()


def _form_errors(response):
    return response.context["form"].errors.as_data()


def test_an_administrator_sets_up_a_teams_channel(cast, client_for, chat_server):
    client = client_for(cast.ada)
    url = chat_server.url()
    response = client.post(
        reverse("chat_admin:webhook_new"),
        {
            "name": "Sekretariatets kanal",
            "format": "teams",
            "url": url,
            "unit": cast.team.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("chat_admin:webhooks")
    hook = ChatWebhook.objects.get()
    assert (hook.name, hook.format, hook.url, hook.unit, hook.is_active) == (
        "Sekretariatets kanal",
        "teams",
        url,
        cast.team,
        True,
    )
    entry = AuditEntry.objects.get(action="chat_webhook.create")
    assert entry.actor == cast.ada
    assert entry.target_label == "Sekretariatets kanal"
    assert entry.data == {
        "name": "Sekretariatets kanal",
        "format": "teams",
        "unit": cast.team.pk,
        "is_active": True,
    }
    assert TOKEN not in json.dumps(entry.data)

    # The test button queues a message, which the worker posts.
    response = client.post(reverse("chat_admin:webhook_test", kwargs={"webhook_id": hook.pk}))
    assert response.status_code == 302
    tick()
    [received] = chat_server.received
    card = received.body["attachments"][0]["content"]
    assert card["body"][0]["text"] and card["actions"][0]["title"]
    assert card["actions"][0]["url"] == _absolute(reverse("home:index"))
    assert AuditEntry.objects.filter(action="chat_webhook.test", target_id=str(hook.pk)).exists()

    # The list shows it as sent.
    html = client.get(reverse("chat_admin:webhooks")).content.decode()
    assert "badge-success" in html


def test_editing_keeps_the_saved_address_unless_a_new_one_is_given(cast, client_for):
    hook = webhook(f"https://chat.example/hooks/{TOKEN}", name="Kanal")
    client = client_for(cast.ada)
    edit = reverse("chat_admin:webhook_edit", kwargs={"webhook_id": hook.pk})

    # The saved address is never put back in the form, only its host.
    html = client.get(edit).content.decode()
    assert TOKEN not in html
    assert "https://chat.example/…" in html

    response = client.post(
        edit, {"name": "Alle medarbejdere", "format": "mattermost", "url": "", "is_active": "on"}
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.format, hook.url) == (
        "Alle medarbejdere",
        "mattermost",
        f"https://chat.example/hooks/{TOKEN}",
    )
    entry = AuditEntry.objects.get(action="chat_webhook.update")
    assert entry.data == {"name": ["Kanal", "Alle medarbejdere"], "format": ["slack", "mattermost"]}

    response = client.post(
        edit,
        {"name": "Alle medarbejdere", "format": "mattermost", "url": "https://chat.example/new"},
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.url == "https://chat.example/new"
    assert not hook.is_active
    entry = AuditEntry.objects.filter(action="chat_webhook.update").latest("pk")
    assert entry.data == {"is_active": [True, False], "url": "changed"}
    assert "chat.example" not in json.dumps(entry.data)


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"url": "not an address"}, "url", "invalid"),
        ({"url": "ftp://chat.example/hook"}, "url", "invalid_scheme"),
        ({"url": "file:///etc/passwd"}, "url", "invalid_scheme"),
        ({"url": ""}, "url", "required"),
        ({"name": ""}, "name", "required"),
        ({"format": "irc"}, "format", "invalid_choice"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(data, field, code, cast, client_for):
    client = client_for(cast.ada)
    good = {"name": "Kanal", "format": "slack", "url": "https://chat.example/hook"}
    response = client.post(reverse("chat_admin:webhook_new"), {**good, **data})
    assert response.status_code == 200
    assert [e.code for e in _form_errors(response)[field]] == [code]
    # The error summary leads to the field.
    assert f'href="#id_{field}' in response.content.decode()
    assert not ChatWebhook.objects.exists()

    hook = webhook("https://chat.example/hook")
    edit = reverse("chat_admin:webhook_edit", kwargs={"webhook_id": hook.pk})
    if data != {"url": ""}:  # editing, an empty address keeps the saved one
        response = client.post(edit, {**good, "name": "Ny", **data})
        assert response.status_code == 200
        hook.refresh_from_db()
        assert (hook.name, hook.url) == ("Kanal", "https://chat.example/hook")
    assert not AuditEntry.objects.filter(action__startswith="chat_webhook").exists()


def test_deleting_asks_first_and_takes_the_messages_along(cast, client_for):
    hook = webhook(f"https://chat.example/hooks/{TOKEN}", unit=cast.team, name="Teamkanal")
    chat_post(unit=cast.team, text=TEXT, link=LINK, link_label=LABEL)
    client = client_for(cast.ada)
    url = reverse("chat_admin:webhook_delete", kwargs={"webhook_id": hook.pk})

    response = client.get(url)
    assert response.status_code == 200
    assert "Teamkanal" in response.content.decode()
    assert ChatWebhook.objects.exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not ChatWebhook.objects.exists()
    assert not WebhookDelivery.objects.exists()
    entry = AuditEntry.objects.get(action="chat_webhook.delete")
    assert entry.target_label == "Teamkanal" and entry.actor == cast.ada


def test_an_inactive_webhook_cannot_be_tested(cast, client_for):
    hook = webhook("https://chat.example/hook", is_active=False)
    client_for(cast.ada).post(reverse("chat_admin:webhook_test", kwargs={"webhook_id": hook.pk}))
    assert not WebhookDelivery.objects.exists()


def _queries(client, url):
    client.get(url)  # warm: the session's renewal is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_list_masks_addresses_shows_statuses_and_has_fixed_queries(cast, client_for):
    client = client_for(cast.ada)
    url = reverse("chat_admin:webhooks")
    first = webhook(f"https://chat.example/hooks/{TOKEN}", name="Første")
    chat_post(unit=None, text=TEXT, link=LINK, link_label=LABEL)
    before, _html = _queries(client, url)

    now = timezone.now()
    for i in range(4):
        hook = webhook(f"https://chat{i}.example/api?api_key={TOKEN}{i}", unit=cast.team)
        for _ in range(5):
            WebhookDelivery.objects.create(webhook=hook, text="x", link=_absolute(LINK))
    WebhookDelivery.objects.create(webhook=first, text="x", link="https://x/", sent_at=now)
    WebhookDelivery.objects.create(
        webhook=first,
        text="x",
        link="https://x/",
        next_attempt_at=None,
        last_error="http_status",
        last_status=404,
    )
    after, html = _queries(client, url)

    # The session with its person and unread notifications, the webhooks with their units,
    # and the latest messages of all of them at once.
    assert after == before == 3
    assert TOKEN not in html
    assert "https://chat.example/…" in html and "https://chat3.example/…" in html
    assert "Sekretariatet" in html
    # Sent, given up (with why) and waiting, and only the latest three of each webhook.
    assert "badge-success" in html
    assert "HTTP 404" in html
    assert "badge-warning" in html
    assert html.count('<span class="badge') == 3 + 4 * 3


@pytest.mark.parametrize("format", ["mattermost", "zulip"])
def test_what_people_write_cannot_mention_a_whole_channel(format):
    from notifications.chat import payload_for

    delivery = WebhookDelivery(
        webhook=ChatWebhook(format=format, url="https://chat.example.org/hooks/x"),
        text="Tak @channel og @**all** ![x](https://example.org/pixel.png)",
        link="https://sparring.example.org/recognition/1/",
        link_label="Se det",
    )
    text = payload_for(delivery)["text"]
    assert "@channel" not in text and "@**all**" not in text and "![" not in text
    assert text.replace("\u200b", "").startswith("Tak @channel og @**all**")
