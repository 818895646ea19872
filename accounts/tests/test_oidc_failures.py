# ruff: noqa: F811 (the provider fixtures are imported from test_oidc_login)
"""A failed OpenID Connect callback ends on Sparring's own login page with a clear Danish
message, and the id token is trusted only for what it says: the issuer, the audience, an
expiry, and an e-mail address the provider says it verified."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Session
from accounts.oidc import SparringOIDCBackend
from accounts.tests.test_oidc_login import (  # noqa: F401 (fixtures)
    Provider,
    assert_refused,
    back_to_sparring,
    browser,
    oidc,
    oidc_login,
    provider,
    to_provider,
)

ISSUER = "https://login.example.org/realms/kommune"


def _callback_url(browser: httpx.Client, oidc: Provider, base_url: str) -> str:
    """Go through the provider as alice and return the callback URL without following it."""
    oidc.set_person("alice-at-provider", email="alice@example.org", email_verified=True)
    authorize_url = to_provider(browser, oidc, base_url)
    answer = browser.post(authorize_url, data={"sub": "alice-at-provider"})
    assert answer.status_code == 302
    return str(answer.headers["location"])


def _danish(text: str) -> str:
    with translation.override("da"):
        return gettext(text)


def test_an_email_without_email_verified_does_not_log_in_as_its_owner(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    oidc.set_person("mallory", email=cast.alice.email, given_name="Alice")

    location = oidc_login(browser, oidc, live_server.url, "mallory")

    assert_refused(browser, live_server.url, location)
    assert not Session.objects.filter(user=cast.alice).exists()


def test_the_login_uses_pkce(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    authorize_url = to_provider(browser, oidc, live_server.url)
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43


def test_a_replayed_callback_ends_on_the_login_page_in_danish(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    callback_url = _callback_url(browser, oidc, live_server.url)
    first = browser.get(callback_url)
    assert first.status_code == 302 and first.headers["location"] == "/"

    again = browser.get(callback_url)

    assert again.status_code == 302, "never a bare Bad Request (400)"
    assert again.headers["location"] == "/login/"
    # Still logged in from the first time: the message shows on the next page, the home page.
    page = browser.get(f"{live_server.url}/").text
    assert (
        _danish(
            "The login was started in another window, took too long or was already used. "
            "Please start again."
        )
        in page
    )


def test_a_tampered_state_ends_on_the_login_page_in_danish(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    callback_url = _callback_url(browser, oidc, live_server.url)
    parts = urlsplit(callback_url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "tampered" + query["state"][8:]
    tampered = f"{live_server.url}{parts.path}?{urlencode(query)}"

    response = browser.get(tampered)

    assert response.status_code == 302
    assert_refused(browser, live_server.url, response.headers["location"])
    page = browser.get(f"{live_server.url}/login/").text
    assert "Bad Request" not in page


def test_a_callback_without_a_code_ends_on_the_login_page(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    to_provider(browser, oidc, live_server.url)
    response = browser.get(f"{live_server.url}/oidc/callback/?state=whatever")
    assert response.status_code == 302
    assert_refused(browser, live_server.url, response.headers["location"])


def test_a_token_from_another_issuer_is_refused_on_the_login_page(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    oidc.set_person("alice-at-provider", email=cast.alice.email, email_verified=True)
    with override_settings(OIDC_OP_ISSUER="https://someone-else.example"):
        location = oidc_login(browser, oidc, live_server.url, "alice-at-provider")
    assert location == "/login/"
    page = browser.get(f"{live_server.url}/login/").text
    reason = _danish("The answer from %(provider)s could not be verified.")
    assert reason % {"provider": "Testudbyder"} in page
    assert not Session.objects.filter(user=cast.alice).exists()


def test_a_token_signed_with_the_wrong_key_is_refused_on_the_login_page(
    cast: Any, oidc: Provider, live_server: Any, browser: httpx.Client
) -> None:
    oidc.set_person("alice-at-provider", email=cast.alice.email, email_verified=True)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with override_settings(OIDC_RP_IDP_SIGN_KEY=pem):
        location = oidc_login(browser, oidc, live_server.url, "alice-at-provider")
    assert_refused(browser, live_server.url, location)
    assert not Session.objects.filter(user=cast.alice).exists()


# --- The id token's own claims, checked without a provider --------------------------------------


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(key: rsa.RSAPrivateKey, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": "sparring", "sub": "a", "iat": now, "exp": now + 300}
    payload.update(claims)
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key, "RS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-client"},
        {"exp": None},
        {"exp": int(time.time()) - 3600},
        {"iss": None},
    ],
    ids=["wrong-iss", "wrong-aud", "no-exp", "expired", "no-iss"],
)
@override_settings(
    OIDC_RP_CLIENT_ID="sparring",
    OIDC_RP_CLIENT_SECRET="secret",
    OIDC_OP_TOKEN_ENDPOINT="http://127.0.0.1:1/token",
    OIDC_OP_USER_ENDPOINT="http://127.0.0.1:1/userinfo",
    OIDC_OP_JWKS_ENDPOINT="http://127.0.0.1:1/jwks",
    OIDC_OP_ISSUER=ISSUER,
)
def test_an_id_token_with_a_wrong_or_missing_claim_is_refused(
    db: None, key: rsa.RSAPrivateKey, claims: dict[str, Any]
) -> None:
    backend = SparringOIDCBackend()
    assert backend._verify_jws(_token(key), key.public_key())["sub"] == "a"
    with pytest.raises(SuspiciousOperation):
        backend._verify_jws(_token(key, **claims), key.public_key())
