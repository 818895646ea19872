from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from organisation.models import Unit


class User(AbstractUser):
    """A person in the organisation. Created by import, by OIDC login or by an administrator."""

    # Stable key from the source system (OS2mo uuid or the CSV's id column); matches the person
    # again on the next import even after a change of name, e-mail or unit.
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="")
    job_title = models.CharField(_("job title"), max_length=200, blank=True, default="")
    is_administrator = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Manages organisation, people and values. Never reads private content."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="user_external_id_unique",
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def led_units(self) -> models.QuerySet[Unit]:
        from organisation.models import Unit

        return Unit.objects.filter(memberships__user=self, memberships__role="leader")


class Session(AbstractBaseSession):
    """Django's session row plus its user, so all of a person's sessions can be ended at once."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls) -> type:
        from accounts.session_store import SessionStore

        return SessionStore


class LoginAttempt(models.Model):
    """Every local login attempt, kept for lock-out and for the audit of failed logins."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["ip_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"
