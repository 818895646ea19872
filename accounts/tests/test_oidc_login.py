"""OpenID Connect login end to end: Sparring on a live server, a real OpenID provider
(oidc-provider-mock) in its own process, and a plain HTTP client in the role of the browser.

The provider's authorize page asks only for the subject; the claims it then issues for that
subject are set beforehand through its PUT /users/<sub> endpoint.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Session, User
from accounts.services import person_deactivate
from conftest import FROZEN_AT

CLIENT_ID = "sparring"
PROVIDER_NAME = "Testudbyder"


@dataclass(frozen=True)
class Provider:
    url: str
    discovery: dict[str, Any]

    def endpoint(self, name: str) -> str:
        return str(self.discovery[name])

    def set_person(self, sub: str, **claims: Any) -> None:
        """The claims the provider will issue for this subject."""
        httpx.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _discover(process: subprocess.Popen[bytes], url: str, deadline: float) -> dict[str, Any]:
    """The provider's discovery document, once it answers; raises if it dies or never does."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"provider exited with {process.returncode}")
        try:
            response = httpx.get(f"{url}/.well-known/openid-configuration", timeout=1)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError("provider did not answer in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """A real OpenID provider on 127.0.0.1 that only knows clients which registered and
    insists on a nonce, as production providers do."""
    log_path: Path = tmp_path_factory.mktemp("provider") / "provider.log"
    # A free port can be taken between probing and binding; then try another one.
    for _attempt in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "oidc_provider_mock",
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--require-registration=true",
                    "--require-nonce=true",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            discovery = _discover(process, url, deadline=time.monotonic() + 30)
        except (RuntimeError, TimeoutError):
            _stop(process)
            continue
        try:
            yield Provider(url=url, discovery=discovery)
        finally:
            _stop(process)
        return
    pytest.fail("The OpenID provider did not start:\n" + log_path.read_text(errors="replace"))


@pytest.fixture
def oidc(provider: Provider, live_server: Any) -> Iterator[Provider]:
    """Sparring configured for the provider, as the OIDC_* environment variables would."""
    registration = httpx.post(
        provider.endpoint("registration_endpoint"),
        json={
            "redirect_uris": [f"{live_server.url}/oidc/callback/"],
            "token_endpoint_auth_method": "client_secret_post",
        },
        timeout=5,
    )
    registration.raise_for_status()
    client = registration.json()
    with override_settings(
        OIDC_ENABLED=True,
        AUTHENTICATION_BACKENDS=[
            "accounts.backends.PersonBackend",
            "accounts.oidc.SparringOIDCBackend",
        ],
        OIDC_RP_CLIENT_ID=client["client_id"],
        OIDC_RP_CLIENT_SECRET=client["client_secret"],
        OIDC_RP_SIGN_ALGO="RS256",
        OIDC_OP_AUTHORIZATION_ENDPOINT=provider.endpoint("authorization_endpoint"),
        OIDC_OP_TOKEN_ENDPOINT=provider.endpoint("token_endpoint"),
        OIDC_OP_USER_ENDPOINT=provider.endpoint("userinfo_endpoint"),
        OIDC_OP_JWKS_ENDPOINT=provider.endpoint("jwks_uri"),
        OIDC_OP_ISSUER=provider.discovery["issuer"],
        # This provider signs with its one key and leaves "kid" out of the token header, which
        # OpenID Connect allows; the signature is still checked against the key it publishes.
        OIDC_VERIFY_KID=False,
        OIDC_OP_LOGOUT_ENDPOINT=provider.endpoint("end_session_endpoint"),
        OIDC_STORE_ID_TOKEN=True,
        OIDC_PROVIDER_NAME=PROVIDER_NAME,
        OIDC_TIMEOUT=10,
        SPARRING_BASE_URL=live_server.url,
        # The live server speaks plain HTTP, where a browser would not send Secure cookies.
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield provider


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, follow_redirects=False) as client:
        yield client


def to_provider(browser: httpx.Client, provider: Provider, base_url: str) -> str:
    """Follow the button on Sparring's login page to the provider's authorize page."""
    login_page = browser.get(f"{base_url}/login/")
    assert login_page.status_code == 200
    button = re.search(r'href="(/oidc/authenticate/)"', login_page.text)
    assert button, "the login page has no button for the provider"

    start = browser.get(base_url + button.group(1))
    assert start.status_code == 302
    authorize_url = str(start.headers["location"])
    assert authorize_url.startswith(provider.endpoint("authorization_endpoint") + "?")

    authorize_page = browser.get(authorize_url)
    assert authorize_page.status_code == 200, authorize_page.text
    assert 'name="sub"' in authorize_page.text
    return authorize_url


def back_to_sparring(
    browser: httpx.Client, base_url: str, authorize_url: str, decision: dict[str, str]
) -> str:
    """Submit the provider's authorize form (it posts to its own URL), follow the redirect to
    Sparring's callback and return where Sparring sends the browser next."""
    answer = browser.post(authorize_url, data=decision)
    assert answer.status_code == 302, answer.text
    callback_url = str(answer.headers["location"])
    assert callback_url.startswith(f"{base_url}/oidc/callback/?")

    callback = browser.get(callback_url)
    assert callback.status_code == 302, callback.text
    return str(callback.headers["location"])


def oidc_login(browser: httpx.Client, provider: Provider, base_url: str, sub: str) -> str:
    """The whole authorization-code flow, logging in at the provider as this subject."""
    authorize_url = to_provider(browser, provider, base_url)
    return back_to_sparring(browser, base_url, authorize_url, {"sub": sub})


def assert_refused(browser: httpx.Client, base_url: str, location: str) -> None:
    """Back on the login page, told why, and not logged in."""
    assert location == "/login/"
    login_page = browser.get(base_url + location)
    assert login_page.status_code == 200
    with translation.override("da"):
        message = gettext(
            "You could not be logged in with %(provider)s. "
            "Please try again or contact an administrator."
        ) % {"provider": PROVIDER_NAME}
    assert message in login_page.text
    home = browser.get(f"{base_url}/")
    assert home.status_code == 302
    assert home.headers["location"].startswith("/login/")


def session_of(browser: httpx.Client) -> Session | None:
    key = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    return Session.objects.filter(session_key=key).first() if key else None


def assert_on_home_page(browser: httpx.Client, base_url: str, person: User) -> httpx.Response:
    home = browser.get(f"{base_url}/")
    assert home.status_code == 200
    with translation.override("da"):
        assert gettext("My page") in home.text  # "Min side"
    assert person.display_name in home.text
    return home


def test_the_login_page_offers_the_provider_only_when_oidc_is_enabled(db: None) -> None:
    with override_settings(OIDC_ENABLED=True, OIDC_PROVIDER_NAME=PROVIDER_NAME):
        enabled = Client().get("/login/")
    with override_settings(OIDC_ENABLED=False, OIDC_PROVIDER_NAME=PROVIDER_NAME):
        disabled = Client().get("/login/")

    assert 'href="/oidc/authenticate/"' in enabled.content.decode()
    assert PROVIDER_NAME in enabled.content.decode()
    assert 'href="/oidc/authenticate/"' not in disabled.content.decode()
    assert PROVIDER_NAME not in disabled.content.decode()


def test_a_known_person_logs_in_matched_case_insensitively_by_email(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    oidc.set_person(
        "alice-at-provider",
        email="Alice@EXAMPLE.org",
        email_verified=True,
        given_name="Alice",
        family_name="Andersen",
    )
    people_before = User.objects.count()

    assert oidc_login(browser, oidc, live_server.url, "alice-at-provider") == "/"

    assert_on_home_page(browser, live_server.url, cast.alice)
    session = session_of(browser)
    assert session is not None
    assert session.user_id == cast.alice.pk
    assert User.objects.count() == people_before


def test_an_unknown_email_creates_a_person_without_a_password(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    oidc.set_person(
        "nora-at-provider",
        email="nora.nielsen@example.org",
        email_verified=True,
        given_name="Nora",
        family_name="Nielsen",
    )

    assert oidc_login(browser, oidc, live_server.url, "nora-at-provider") == "/"

    nora = User.objects.get(email="nora.nielsen@example.org")
    assert (nora.first_name, nora.last_name) == ("Nora", "Nielsen")
    assert not nora.has_usable_password()
    assert nora.is_active
    assert nora.external_id == ""
    assert_on_home_page(browser, live_server.url, nora)
    session = session_of(browser)
    assert session is not None
    assert session.user_id == nora.pk


def test_with_match_claim_sub_a_person_is_matched_on_external_id(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    cast.alice.external_id = "0b1d7a52-6f0e-4c2a-9a57-3f1c2e4d5a6b"
    cast.alice.save(update_fields=["external_id"])
    # An e-mail no one has: only the subject can lead to alice.
    oidc.set_person(
        cast.alice.external_id,
        email="a.andersen@new-domain.example",
        given_name="Alice",
        family_name="Andersen",
    )
    people_before = User.objects.count()

    with override_settings(OIDC_MATCH_CLAIM="sub"):
        assert oidc_login(browser, oidc, live_server.url, cast.alice.external_id) == "/"

    assert_on_home_page(browser, live_server.url, cast.alice)
    session = session_of(browser)
    assert session is not None
    assert session.user_id == cast.alice.pk
    assert User.objects.count() == people_before


def test_with_match_claim_sub_an_unknown_subject_with_a_taken_email_is_refused(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    # Matching on the subject never falls back to e-mail, and a new person cannot take an
    # e-mail that already belongs to someone.
    oidc.set_person(
        "someone-else-entirely",
        email=cast.bob.email,
        given_name="Mallory",
        family_name="Mallet",
    )
    people_before = User.objects.count()

    with override_settings(OIDC_MATCH_CLAIM="sub"):
        location = oidc_login(browser, oidc, live_server.url, "someone-else-entirely")

    assert_refused(browser, live_server.url, location)
    assert User.objects.count() == people_before
    assert not Session.objects.filter(user__isnull=False).exists()


def test_a_deactivated_person_is_refused(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    person_deactivate(actor=None, person=cast.alice, now=FROZEN_AT, reason="Left the organisation")
    oidc.set_person(
        "alice-who-left",
        email=cast.alice.email,
        email_verified=True,
        given_name="Alice",
        family_name="Andersen",
    )

    location = oidc_login(browser, oidc, live_server.url, "alice-who-left")

    assert_refused(browser, live_server.url, location)
    assert not Session.objects.filter(user=cast.alice).exists()
    session = session_of(browser)
    assert session is None or session.user_id is None


def test_saying_no_at_the_provider_leads_back_to_the_login_page(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    authorize_url = to_provider(browser, oidc, live_server.url)

    location = back_to_sparring(browser, live_server.url, authorize_url, {"action": "deny"})

    assert_refused(browser, live_server.url, location)
    assert not Session.objects.filter(user__isnull=False).exists()


def test_logging_out_ends_the_session_on_the_server(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    oidc.set_person(
        "alice-at-provider",
        email=cast.alice.email,
        email_verified=True,
        given_name="Alice",
        family_name="Andersen",
    )
    oidc_login(browser, oidc, live_server.url, "alice-at-provider")
    home = assert_on_home_page(browser, live_server.url, cast.alice)
    old_cookie = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    assert Session.objects.filter(session_key=old_cookie, user=cast.alice).exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text)
    assert token

    logout = browser.post(
        f"{live_server.url}/logout/", data={"csrfmiddlewaretoken": token.group(1)}
    )

    assert not Session.objects.filter(session_key=old_cookie).exists()
    assert not Session.objects.filter(user=cast.alice).exists()
    # Then on to the provider, so its session ends too, and from there back to our login page.
    assert logout.status_code == 302
    end_session_url = logout.headers["location"]
    assert end_session_url.startswith(oidc.endpoint("end_session_endpoint") + "?")
    assert "id_token_hint=" in end_session_url
    end_session = browser.get(end_session_url)
    assert end_session.status_code == 200
    confirm_url = re.search(r'<form method="post" action="([^"]+)"', end_session.text)
    redirect_uri = re.search(r'name="redirect_uri" value="([^"]+)"', end_session.text)
    assert confirm_url
    assert redirect_uri
    confirmed = browser.post(
        oidc.url + confirm_url.group(1), data={"redirect_uri": redirect_uri.group(1)}
    )
    assert confirmed.status_code == 302
    assert confirmed.headers["location"] == f"{live_server.url}/login/"
    assert browser.get(confirmed.headers["location"]).status_code == 200

    # Someone who kept a copy of the old cookie gets nothing with it.
    with httpx.Client(
        timeout=10, cookies={settings.SESSION_COOKIE_NAME: old_cookie or ""}
    ) as stale:
        again = stale.get(f"{live_server.url}/")
    assert again.status_code == 302
    assert again.headers["location"].startswith("/login/")


def test_an_address_an_administrator_just_put_in_does_not_log_in_as_the_person(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client, client_for: Any
) -> None:
    """Changing someone's e-mail to an address one holds at the provider must not give a
    login as them: the same days that hold back password links hold back this login."""
    from django.urls import reverse

    client_for(cast.ada).post(
        reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk}),
        {
            "username": "alice",
            "first_name": "Alice",
            "email": "ada.second@example.net",
            "units": [cast.team.pk],
        },
    )
    cast.alice.refresh_from_db()
    assert cast.alice.email == "ada.second@example.net"
    oidc.set_person("ada-second", email="ada.second@example.net", email_verified=True)
    people_before = User.objects.count()

    location = oidc_login(browser, oidc, live_server.url, "ada-second")

    assert_refused(browser, live_server.url, location)
    assert User.objects.count() == people_before, "nor is a second person made with it"
