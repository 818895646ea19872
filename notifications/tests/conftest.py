"""A real SMTP server on 127.0.0.1 for the delivery tests, and the settings that point the
worker at it."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the server received. `refuse` > 0 answers that many recipients with a temporary
    failure (451), as a mail server that is busy or greylisting does."""

    port: int
    received: list[Received] = field(default_factory=list)
    refuse: int = 0
    controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_settings(settings):
    """Settings for delivery over SMTP to 127.0.0.1 on a free port, with nothing listening
    there yet; returns the port."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "sparring@kommune.example"
    return port


@pytest.fixture
def smtp_server(mail_settings):
    """A running SMTP server that the worker delivers to."""
    inbox = Inbox(mail_settings)
    inbox.start()
    yield inbox
    inbox.stop()


# A public address, as a chat service on the internet has (the tests never connect to it).
PUBLIC_ADDRESS = "93.184.215.14"


@dataclass
class FakeDNS:
    """Answers for names, as a test sets them; a name under .example (which never resolves
    for real) resolves to PUBLIC_ADDRESS unless the test says otherwise, and every other name
    as the system resolves it. `asked` lists the names asked for, in order."""

    real: Any
    answers: dict[str, list[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    # Called with the name on each question the fake answers.
    on_ask: Any = None

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        answers = self.answers.get(name)
        if answers is None and name.endswith(".example"):
            answers = [PUBLIC_ADDRESS]
        if answers is None:
            return list(self.real(host, port, *args, **kwargs))
        self.asked.append(name)
        if self.on_ask is not None:
            self.on_ask(name)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        port = int(port or 0)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (answer, port, 0, 0))
            if ":" in answer
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))
            for answer in answers
        ]


@pytest.fixture
def dns(monkeypatch):
    """The resolver, as the test says it answers (FakeDNS)."""
    fake = FakeDNS(real=socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake
