"""Chat webhooks that cannot reach inside (issue 10, point 6): an address that leads to this
machine, a private network or a cloud's metadata service is refused when it is saved and
again at every post, the post goes to the very address that was checked, an on-premise chat
server needs SPARRING_WEBHOOK_ALLOWED_NETWORKS, the administration shows a status and a reason
of Sparring's own but never the answer, a dead webhook rests, and links people wrote reach
the chat as plain text.

No test here reads the clock: every delivery runs at a fixed NOW."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from core.models import AuditEntry
from notifications.chat import chat_post, chat_webhook_create, chat_webhook_test, payload_for
from notifications.chat_delivery import deliver_due_webhooks
from notifications.models import ChatWebhook, WebhookDelivery
from notifications.tests.conftest import free_port
from notifications.tests.test_chat_webhooks import ChatServer, _Server

NOW = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
LINK = "/recognition/3/"
LABEL = "Se anerkendelsen"
TOKEN = "T0KEN-5ecret-abc123"


@pytest.fixture
def chat_server():
    server = ChatServer()
    server.start()
    yield server
    server.stop()


def deliver_at(now: datetime) -> tuple[int, int]:
    """The worker's posting, with its clock standing at `now`."""
    return deliver_due_webhooks(clock=lambda: now)


def queue(text: str = "Tak for hjælpen", *, at: datetime = NOW) -> None:
    """A message for the organisation's channels, due at `at`."""
    chat_post(unit=None, text=text, link=LINK, link_label=LABEL)
    WebhookDelivery.objects.filter(attempts=0, sent_at__isnull=True).update(next_attempt_at=at)


def create(url: str) -> ChatWebhook:
    return chat_webhook_create(actor=None, name="Kanal", format="slack", url=url, unit=None)


# --- Saving -----------------------------------------------------------------------------------


INSIDE = [
    "http://127.0.0.1/hook",
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.10/hook",
    "https://100.64.0.1/hook",
    "https://[fd12:3456::1]/hook",
    "https://intern.example/hook",
    "https://ipv6.intern.example/hook",
    "https://metadata.intern.example/hook",
    "https://both.intern.example/hook",
]


@pytest.fixture
def internal_names(dns):
    dns.answers.update(
        {
            "intern.example": ["10.20.30.40"],
            "ipv6.intern.example": ["::ffff:10.0.0.7"],
            "metadata.intern.example": ["169.254.169.254"],
            # A public address and a private one at once is a trick, not a chat server.
            "both.intern.example": ["93.184.215.14", "192.168.0.1"],
        }
    )
    return dns


@pytest.mark.parametrize("url", INSIDE)
def test_saving_refuses_an_address_that_leads_inside(url, cast, client_for, internal_names):
    client = client_for(cast.ada)
    data = {"name": "Kanal", "format": "zulip", "url": url, "is_active": "on"}

    response = client.post(reverse("chat_admin:webhook_new"), data)

    assert response.status_code == 200
    html = response.content.decode()
    # In Danish, on the address field, and led to by the error summary.
    assert "internt netværk" in html or "link-lokal" in html
    assert response.context["form"].errors["url"]
    assert 'href="#id_url' in html
    assert not ChatWebhook.objects.exists()

    hook = create("https://chat.example/hook")
    edit = reverse("chat_admin:webhook_edit", kwargs={"webhook_id": hook.pk})
    response = client.post(edit, {**data, "name": "Ny"})
    assert response.status_code == 200
    hook.refresh_from_db()
    assert (hook.name, hook.url) == ("Kanal", "https://chat.example/hook")
    assert list(
        AuditEntry.objects.filter(action__startswith="chat_webhook").values_list(
            "action", flat=True
        )
    ) == ["chat_webhook.create"]


def test_saving_refuses_a_name_that_does_not_resolve(cast, client_for, dns):
    dns.answers["ukendt.example"] = []
    response = client_for(cast.ada).post(
        reverse("chat_admin:webhook_new"),
        {"name": "Kanal", "format": "slack", "url": "https://ukendt.example/hook"},
    )
    assert response.status_code == 200
    assert "Sparring kan ikke finde serveren ukendt.example" in response.content.decode()
    assert not ChatWebhook.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "fe80::1",
        "fc00::1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "100.64.0.1",
        "192.0.2.1",
        "198.18.0.1",
        "240.0.0.1",
        "2001:db8::1",
        "2002:7f00:1::",
        "64:ff9b::a00:1",
        "2001::1",
    ],
)
def test_every_non_public_range_is_refused(address):
    import ipaddress

    from notifications.webhook_network import refusal

    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5"])
def test_a_public_address_is_allowed(address):
    import ipaddress

    from notifications.webhook_network import refusal

    assert refusal(ipaddress.ip_address(address)) is None


def test_the_name_is_resolved_outside_any_write_transaction(cast, dns):
    depth_when_asked: list[int] = []
    dns.on_ask = lambda name: depth_when_asked.append(len(connection.atomic_blocks))
    depth = len(connection.atomic_blocks)

    hook = create("https://chat.example/hook")

    assert depth_when_asked == [depth]
    assert ChatWebhook.objects.filter(pk=hook.pk).exists()

    # The worker too resolves after its claim's transaction has closed (the name now leads
    # inside, so nothing is posted).
    dns.answers["chat.example"] = ["10.0.0.1"]
    queue()
    assert deliver_at(NOW) == (0, 1)
    assert depth_when_asked == [depth, depth]


# --- Posting ----------------------------------------------------------------------------------


def test_a_post_is_refused_when_the_name_turns_internal_after_saving(cast, dns, chat_server):
    # Saved while the name led to the internet; by the time the worker posts, it leads to a
    # server on this machine (DNS rebinding).
    hook = create(f"http://chat.example:{chat_server.port}/hooks/{TOKEN}")
    queue()
    dns.answers["chat.example"] = ["127.0.0.1"]

    assert deliver_at(NOW) == (0, 1)

    assert chat_server.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.gave_up
    assert delivery.last_error == "address_internal"
    hook.refresh_from_db()
    assert hook.failures == 1 and hook.retry_after == NOW + timedelta(minutes=1)


def test_the_post_goes_to_the_address_that_was_checked(cast, dns, chat_server, settings):
    # An on-premise server with a name of its own; the name is resolved once per post and
    # the connection made to that answer, with the name as Host.
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    dns.answers["chat.intern.example"] = ["127.0.0.1"]
    create(f"http://chat.intern.example:{chat_server.port}/hooks/{TOKEN}?stream=Tak")
    queue()
    dns.asked.clear()

    assert deliver_at(NOW) == (1, 0)

    assert dns.asked == ["chat.intern.example"]
    [received] = chat_server.received
    assert received.path == f"/hooks/{TOKEN}?stream=Tak"
    assert received.headers["Host"] == f"chat.intern.example:{chat_server.port}"


def test_a_proxy_in_the_environment_is_not_used(cast, dns, chat_server, settings, monkeypatch):
    # A proxy resolves the name itself, where the check cannot follow: webhooks go direct.
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    proxy = ChatServer()
    proxy.start()
    try:
        for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            monkeypatch.setenv(variable, proxy.url("/"))
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        create(chat_server.url())
        queue()
        assert deliver_at(NOW) == (1, 0)
    finally:
        proxy.stop()
    assert proxy.received == []
    assert len(chat_server.received) == 1


# --- The allowed networks ---------------------------------------------------------------------


def test_an_on_premise_server_needs_the_allowed_networks_setting(
    cast, chat_server, settings, client_for
):
    client = client_for(cast.ada)
    data = {
        "name": "Intern Mattermost",
        "format": "mattermost",
        "url": chat_server.url(),
        "is_active": "on",
    }

    response = client.post(reverse("chat_admin:webhook_new"), data)
    assert response.status_code == 200
    assert not ChatWebhook.objects.exists()

    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "fd12:3456::/48"]
    response = client.post(reverse("chat_admin:webhook_new"), data)
    assert response.status_code == 302
    queue()
    assert deliver_at(NOW) == (1, 0)
    assert len(chat_server.received) == 1

    # Taken away again, the server is refused at the next post.
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = []
    queue()
    assert deliver_at(NOW) == (0, 1)
    assert len(chat_server.received) == 1
    assert WebhookDelivery.objects.filter(last_error="address_internal").count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
    ],
)
def test_link_local_stays_refused_whatever_networks_are_allowed(url, cast, settings, client_for):
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["0.0.0.0/0", "::/0", "169.254.0.0/16"]
    response = client_for(cast.ada).post(
        reverse("chat_admin:webhook_new"), {"name": "Kanal", "format": "slack", "url": url}
    )
    assert response.status_code == 200
    assert "link-lokal" in response.content.decode()
    assert not ChatWebhook.objects.exists()


def test_a_wrong_allowed_networks_setting_stops_the_start(monkeypatch):
    import sparring.settings

    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("SPARRING_WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/8,intranet")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SPARRING_WEBHOOK_ALLOWED_NETWORKS"):
        importlib.reload(sparring.settings)
    monkeypatch.delenv("SPARRING_WEBHOOK_ALLOWED_NETWORKS")
    importlib.reload(sparring.settings)


# --- What the administrator sees --------------------------------------------------------------


class _Answering(ChatServer):
    """A chat server that answers 500 with a body that must never reach the page."""

    def start(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(500, "root:x:0:0 REASON-FROM-SERVER")
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(f"BODY-FROM-SERVER {self.path} root:x:0:0".encode())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_the_administration_shows_a_status_and_a_reason_never_the_answer(
    cast, client_for, settings, caplog
):
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    server = _Answering()
    server.start()
    try:
        create(server.url())
        queue()
        assert deliver_at(NOW) == (0, 1)
    finally:
        server.stop()

    html = client_for(cast.ada).get(reverse("chat_admin:webhooks")).content.decode()
    assert "HTTP 500 Internal Server Error" in html
    assert "Chattjenesten svarede med en fejl" in html
    for leak in ("BODY-FROM-SERVER", "REASON-FROM-SERVER", "root:x", TOKEN):
        assert leak not in html
        assert leak not in caplog.text
    delivery = WebhookDelivery.objects.get()
    assert (delivery.last_error, delivery.last_status) == ("http_status", 500)


def _migration() -> Any:
    """The migration that forgets the answers, whatever number it has."""
    [path] = Path(__file__).parent.parent.glob("migrations/*_webhook_errors_without_answers.py")
    return importlib.import_module(f"notifications.migrations.{path.stem}")


@pytest.mark.django_db(transaction=True)
def test_the_migration_forgets_every_answer_that_was_kept():
    from django.db.migrations.executor import MigrationExecutor

    module = _migration()
    target = ("notifications", module.__name__.rsplit(".", 1)[1])
    [before] = [d for d in module.Migration.dependencies if d[0] == "notifications"]
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    Hook = old_apps.get_model("notifications", "ChatWebhook")
    Delivery = old_apps.get_model("notifications", "WebhookDelivery")
    hook = Hook.objects.create(name="Kanal", format="slack", url="https://chat.example/h")
    texts = {
        "http": "HTTP 500: Internal error handling /hooks/secret root:x:0:0",
        "body": "URLError: <urlopen error [Errno 111] Connection refused> from inside",
        "off": "Not sent: the webhook is switched off.",
        "gone": "Not sent: what it was about was deleted.",
        "none": "",
    }
    for text in texts.values():
        Delivery.objects.create(webhook=hook, text="x", link="https://s/", last_error=text)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    new_apps = executor.loader.project_state([target]).apps
    rows = dict(
        new_apps.get_model("notifications", "WebhookDelivery").objects.values_list(
            "pk", "last_error"
        )
    )
    statuses = list(
        new_apps.get_model("notifications", "WebhookDelivery")
        .objects.order_by("pk")
        .values_list("last_error", "last_status")
    )
    assert statuses == [
        ("http_status", 500),
        ("failed", None),
        ("switched_off", None),
        ("withdrawn", None),
        ("", None),
    ]
    assert not any("secret" in text or "root" in text for text in rows.values())

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


# --- A dead webhook ---------------------------------------------------------------------------


def test_a_dead_webhook_rests_longer_after_each_failure(cast, settings):
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    later = ChatServer(port=free_port())  # nothing listens there yet
    hook = create(later.url())
    for _ in range(3):
        queue()

    assert deliver_at(NOW) == (0, 1)
    hook.refresh_from_db()
    assert (hook.failures, hook.retry_after) == (1, NOW + timedelta(minutes=1))

    # Resting: the next batches try nothing, though two messages were never tried.
    assert deliver_at(NOW + timedelta(seconds=30)) == (0, 0)
    assert deliver_at(NOW + timedelta(seconds=59)) == (0, 0)

    second = NOW + timedelta(minutes=1)
    assert deliver_at(second) == (0, 1)
    hook.refresh_from_db()
    assert (hook.failures, hook.retry_after) == (2, second + timedelta(minutes=2))
    assert deliver_at(second + timedelta(minutes=1)) == (0, 0)
    assert WebhookDelivery.objects.filter(attempts=1).count() == 2

    # Back up: after the rest every message goes, and the webhook is well again.
    later.start()
    try:
        assert deliver_at(NOW + timedelta(minutes=4)) == (3, 0)
    finally:
        later.stop()
    hook.refresh_from_db()
    assert (hook.failures, hook.retry_after) == (0, None)
    assert len(later.received) == 3


def test_a_test_message_ends_the_rest(cast, settings):
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    hook = create(ChatServer(port=free_port()).url())
    queue()
    deliver_at(NOW)
    hook.refresh_from_db()
    assert hook.retry_after is not None

    chat_webhook_test(actor=cast.ada, webhook=hook)

    hook.refresh_from_db()
    assert hook.retry_after is None and hook.failures == 1


# --- Links in what people wrote ---------------------------------------------------------------

WRITTEN = (
    "Tak! Se [mit udkast](http://evil.example/login) og https://evil.example/a, "
    "www.evil.example, <http://evil.example|her>, evil.example og mailto:bob@evil.example"
)


def _visible(text: str) -> str:
    """The text as a person reads it: zero-width spaces and Markdown escapes unseen."""
    text = text.replace("\u200b", "")
    for character in "\\[]":
        text = text.replace(f"\\{character}", character)
    return text


def _message_text(format: str) -> tuple[str, str]:
    """(what people wrote as sent, the whole payload as JSON) for `format`."""
    delivery = WebhookDelivery(
        webhook=ChatWebhook(format=format, url="https://chat.example/hooks/x"),
        text=WRITTEN,
        link="https://sparring.example/recognition/1/",
        link_label="Se det i Sparring",
    )
    payload = payload_for(delivery)
    if format == "teams":
        card = payload["attachments"][0]["content"]
        assert card["actions"] == [
            {
                "type": "Action.OpenUrl",
                "title": "Se det i Sparring",
                "url": "https://sparring.example/recognition/1/",
            }
        ]
        return card["body"][0]["text"], json.dumps(payload, ensure_ascii=False)
    written, _, ours = payload["text"].rpartition("\n\n")
    assert ours in (
        "[Se det i Sparring](https://sparring.example/recognition/1/)",
        "<https://sparring.example/recognition/1/|Se det i Sparring>",
    )
    return written, payload["text"]


@pytest.mark.parametrize("format", ["zulip", "mattermost", "teams", "slack"])
def test_links_people_wrote_are_sent_as_plain_text(format):
    written, whole = _message_text(format)

    # Nothing a chat service makes a link of: no [label](address), no <address|label>, no
    # address written out, no domain name.
    assert "](" not in written
    for address in ("http://", "https://", "mailto:b", "www.evil", "evil.example"):
        assert address not in written
    assert "<http" not in written
    # The only link is Sparring's own.
    assert whole.count("](") + whole.count("|Se det") + whole.count("Action.OpenUrl") == 1

    # And it reads as it was written.
    if format == "slack":
        written = written.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert _visible(written).replace("@", "@") == WRITTEN


# --- TLS to the checked address ---------------------------------------------------------------


def _certificates(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    """A certificate authority and a server certificate for `name` it signed: (ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    start = dt.datetime(2020, 1, 1, tzinfo=UTC)
    end = dt.datetime(2100, 1, 1, tzinfo=UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = (tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.mark.parametrize(("certified", "sent"), [("chat.intern.example", 1), ("other.example", 0)])
def test_https_checks_the_certificate_against_the_name_while_connecting_to_the_checked_address(
    certified, sent, cast, dns, settings, tmp_path, monkeypatch
):
    ca, cert, key = _certificates(tmp_path, certified)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    dns.answers["chat.intern.example"] = ["127.0.0.1"]
    server = ChatServer()
    server.start()
    assert server.server is not None
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    try:
        create(f"https://chat.intern.example:{server.port}/hooks/{TOKEN}")
        queue()
        assert deliver_at(NOW) == (sent, 1 - sent)
    finally:
        server.stop()
    assert names == ["chat.intern.example"]
    assert len(server.received) == sent
    if not sent:
        assert WebhookDelivery.objects.get().last_error == "certificate"


def test_a_new_address_ends_the_rest_and_other_edits_keep_it(cast, dns):
    from notifications.chat import chat_webhook_update

    hook = create("https://chat.example/hook")
    ChatWebhook.objects.filter(pk=hook.pk).update(failures=2, retry_after=NOW)
    hook.refresh_from_db()

    edit = {"actor": cast.ada, "format": "slack", "unit": None, "is_active": True}
    chat_webhook_update(webhook=hook, name="Nyt navn", **edit)
    hook.refresh_from_db()
    assert (hook.name, hook.failures, hook.retry_after) == ("Nyt navn", 2, NOW)

    chat_webhook_update(webhook=hook, name="Nyt navn", url="https://new.example/hook", **edit)
    hook.refresh_from_db()
    assert (hook.url, hook.failures, hook.retry_after) == ("https://new.example/hook", 0, None)
