from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_recipient(self, user: Any) -> NotificationQuerySet:
        """A notification is its recipient's alone; nobody else reads it, ever."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something in Sparring that concerns one person, shown in the app (and maybe mailed)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    # Set by notify_once: the occasion (say, the week of a check-in reminder), so that a
    # reminder the worker considers on every tick is made once per person.
    key = models.CharField(max_length=200, blank=True, default="")
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text


class NotificationSetting(models.Model):
    """A person's own choice for one kind. Without a row, the kind's defaults apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(_("kind"), max_length=50)
    in_app = models.BooleanField(_("in Sparring"))
    email = models.BooleanField(_("by e-mail"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_unique")
        ]
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.kind}: in_app={self.in_app} email={self.email}"


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def due(self, now: datetime) -> OutgoingEmailQuerySet:
        # A mail whose worker died mid-send each time is given up on like any other failure.
        return self.filter(
            sent_at__isnull=True,
            next_attempt_at__lte=now,
            attempts__lt=settings.SPARRING_EMAIL_MAX_ATTEMPTS,
        )


class OutgoingEmail(models.Model):
    """An e-mail waiting for the worker, or the record of one it sent or gave up on.

    Written in the same transaction as what caused it, so a mail is never sent for something
    that was rolled back, and never lost for something that was committed. `next_attempt_at`
    is empty once the mail is sent or the worker has given up on it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outgoing_emails"
    )
    kind = models.CharField(_("kind"), max_length=50)
    # As on Notification: a reminder someone gets by e-mail only is made once per occasion too.
    key = models.CharField(max_length=200, blank=True, default="")
    to_address = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outgoing_email_due",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=~models.Q(key=""),
                name="outgoing_email_once_per_key",
            )
        ]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"

    @property
    def gave_up(self) -> bool:
        return self.sent_at is None and self.next_attempt_at is None
