"""Reads about accounts and how people log in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from accounts.services import INVITATION
from core.models import AuditEntry


@dataclass(frozen=True)
class AdministratorsStartLogin:
    """How people log in, for the administrator's start."""

    oidc: bool
    invitations_sent: bool

    @property
    def done(self) -> bool:
        return self.oidc or self.invitations_sent


def for_administrators_start() -> AdministratorsStartLogin:
    """Whether people have a way in: OpenID Connect is configured, or local accounts have
    been invited to choose a password (the audit log keeps every link sent)."""
    if settings.OIDC_ENABLED:
        return AdministratorsStartLogin(oidc=True, invitations_sent=False)
    invited = AuditEntry.objects.filter(action="password.link_sent", data__kind=INVITATION).exists()
    return AdministratorsStartLogin(oidc=False, invitations_sent=invited)
