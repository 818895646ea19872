"""OpenID Connect login (Keycloak, OS2faktor, Entra ID) through mozilla-django-oidc.

A person is matched by e-mail or, when OIDC_MATCH_CLAIM names another claim, by that claim
against their external id (for example the OS2mo uuid that Keycloak puts in a claim).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import User
from accounts.services import unique_username

logger = logging.getLogger("sparring.accounts")


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
        # An e-mail the provider says it has not verified must not open a person's account.
        # Providers that send no email_verified at all (Entra ID) are trusted as configured.
        if self.match_claim == "email" and claims.get("email_verified") is False:
            logger.warning("oidc: refused an unverified e-mail address")
            return False
        return bool(claims.get(self.match_claim))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        value = str(claims.get(self.match_claim, ""))
        if not value:
            return User.objects.none()
        if self.match_claim == "email":
            return User.objects.filter(email__iexact=value)
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
        return User.objects.filter(pk=user_id, is_active=True).first()
