from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenQuerySet(models.QuerySet["Token"]):
    def of(self, person: Any) -> TokenQuerySet:
        """A person's own tokens: the only ones they see or revoke."""
        return self.filter(person=person)

    def usable(self, *, now: datetime) -> TokenQuerySet:
        """Tokens not revoked, not expired, of people who can still log in."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, person__is_active=True)


class Token(models.Model):
    """A personal access token for the API. The secret is shown to its person once and kept
    only as a keyed hash (HMAC-SHA256 with the server's secret key); `lookup` is the part of
    the token that finds the row. It ends when it expires, when its person revokes it, and
    when the person is deactivated."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    # "checkins:read", "checkins:write", ...: what the token may do, area by area.
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.name}"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
