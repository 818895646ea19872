"""OpenID Connect login (Keycloak, OS2faktor, Entra ID) through mozilla-django-oidc.

A person is matched by e-mail or, when OIDC_MATCH_CLAIM names another claim, by that claim
against their external id (for example the OS2mo uuid that Keycloak puts in a claim).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.backends import person_read
from accounts.models import User
from accounts.services import links_held, unique_username

logger = logging.getLogger("sparring.accounts")

# What a callback can fail with: a tampered, replayed or expired state (SuspiciousOperation),
# a token that does not verify, a provider that does not answer or answers nonsense.
CALLBACK_FAILURES: tuple[type[Exception], ...] = (
    SuspiciousOperation,
    jwt.PyJWTError,
    requests.RequestException,
    KeyError,
    ValueError,
)


def callback_failure_reason(error: Exception) -> str:
    """One sentence for the login page about why a callback failed, in the reader's language."""
    if isinstance(error, requests.RequestException):
        return _("%(provider)s did not answer as expected.") % {
            "provider": settings.OIDC_PROVIDER_NAME
        }
    if isinstance(error, SuspiciousOperation) and "state" in str(error).lower():
        return _(
            "The login was started in another window, took too long or was already used. "
            "Please start again."
        )
    return _("The answer from %(provider)s could not be verified.") % {
        "provider": settings.OIDC_PROVIDER_NAME
    }


def username_from_email(email: str, claims: dict[str, Any] | None = None) -> str:
    return unique_username((email or "").split("@")[0] or "user")


def provider_logout_url(request: HttpRequest) -> str:
    """Where to send the browser after our own logout, so the provider's session ends too."""
    from urllib.parse import urlencode

    params = {"post_logout_redirect_uri": settings.SPARRING_BASE_URL + "/login/"}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"


class SparringOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    @property
    def match_claim(self) -> str:
        return str(settings.OIDC_MATCH_CLAIM)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # Matching by e-mail trusts only an address the provider says it verified: anyone can
        # put someone else's address on an account at many providers. A provider that never
        # sends email_verified (Entra ID) is trusted only when the installation says so.
        if self.match_claim == "email":
            verified = claims.get("email_verified")
            if verified is None and settings.OIDC_TRUST_EMAIL_WITHOUT_VERIFIED_CLAIM:
                verified = True
            if verified is not True and str(verified).lower() != "true":
                logger.warning("oidc: refused an e-mail address not said to be verified")
                return False
        return bool(claims.get(self.match_claim))

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The id token's signature, and that it comes from our provider (iss), is meant for
        us (aud) and has not expired (exp, required): the library checks the signature only."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("oidc: the token's algorithm is not the configured one")
        try:
            return dict(
                jwt.decode(
                    payload,
                    key,
                    algorithms=[self.OIDC_RP_SIGN_ALGO],
                    audience=self.OIDC_RP_CLIENT_ID,
                    issuer=settings.OIDC_OP_ISSUER,
                    options={"require": ["exp", "iss", "aud"]},
                    leeway=60,
                )
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"oidc: the id token was refused: {exc}") from exc

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        value = str(claims.get(self.match_claim, ""))
        if not value:
            return User.objects.none()
        if self.match_claim == "email":
            people = User.objects.filter(email__iexact=value)
            # An administrator or an import that changes someone's address could otherwise
            # put in an address they hold at the provider and log in as that person: the same
            # days that hold back password links hold back a login by the new address. The
            # backend is where the request meets the clock, like a view.
            if any(links_held(person=person, now=timezone.now()) for person in people):
                raise SuspiciousOperation("oidc: the e-mail address was changed recently")
            return people
        return User.objects.filter(external_id=value)

    def create_user(self, claims: dict[str, Any]) -> User:
        email = str(claims.get("email", ""))
        try:
            # When matching on another claim, the e-mail may already belong to someone; that
            # person is never taken over by e-mail, and the login is refused, not a crash.
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username_from_email(email or str(claims.get(self.match_claim))),
                    email=email,
                    first_name=str(claims.get("given_name", "")),
                    last_name=str(claims.get("family_name", "")),
                    external_id=(
                        "" if self.match_claim == "email" else str(claims[self.match_claim])
                    ),
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
        except IntegrityError as exc:
            raise SuspiciousOperation("oidc: the new person clashes with an existing one") from exc
        logger.info("oidc: created person %s from claim %s", user.pk, self.match_claim)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        logger.info("oidc: login of person %s (active=%s)", user.pk, user.is_active)
        return user

    def get_user(self, user_id: int) -> User | None:
        user = person_read(user_id)
        return user if user is not None and user.is_active else None
