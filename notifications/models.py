from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit


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


class EmailOff(models.Model):
    """A person who wants no notification e-mail at all, whatever their choices per kind: one
    switch on their settings page. They are still told in the app, and e-mails about their own
    account (notifications.account_emails) still reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_off",
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mail turned off")

    def __str__(self) -> str:
        return f"e-mail off for {self.user_id}"


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
    # One text attachment, such as a calendar invitation (an .ics file), or none.
    attachment_name = models.CharField(_("attachment"), max_length=200, blank=True, default="")
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True, default="")
    attachment_content = models.TextField(_("attachment content"), blank=True, default="")

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


# A webhook is posted to by the worker, so only the web's own schemes: never file:, ftp: or
# anything else urllib would happily open.
WEBHOOK_SCHEMES = ["http", "https"]


class WebhookURLValidator(URLValidator):
    """An http or https address, with a message of its own for any other scheme."""

    def __init__(self) -> None:
        super().__init__(schemes=WEBHOOK_SCHEMES)

    def __call__(self, value: Any) -> None:
        scheme = str(value).partition("://")[0].lower() if "://" in str(value) else ""
        if scheme not in self.schemes:
            raise ValidationError(
                _("Enter an address that starts with https:// or http://."),
                code="invalid_scheme",
            )
        super().__call__(value)


validate_webhook_url = WebhookURLValidator()


class ChatWebhook(models.Model):
    """A chat channel Sparring posts to through the channel's incoming webhook: the whole
    organisation's channel (no unit), or one team's."""

    class Format(models.TextChoices):
        ZULIP = "zulip", _("Zulip")
        TEAMS = "teams", _("Microsoft Teams")
        MATTERMOST = "mattermost", _("Mattermost")
        SLACK = "slack", _("Slack")

    name = models.CharField(_("name"), max_length=200)
    format = models.CharField(_("chat service"), max_length=20, choices=Format.choices)
    # The address carries the channel's secret token: whoever has it can post to the channel.
    # It is shown only masked once saved, and never written to the audit log or the logs.
    url = models.URLField(_("webhook address"), max_length=1000, validators=[validate_webhook_url])
    # A team's channel goes with its team: posting a team's news anywhere else would be wrong.
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_webhooks",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # A webhook that keeps failing rests: after its n-th failure in a row the worker leaves
    # all its messages alone until `retry_after` (1, 2, 4 ... minutes, at most an hour), so a
    # dead channel costs one attempt per pause, not one per message per run.
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    retry_after = models.DateTimeField(_("resting until"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("chat webhook")
        verbose_name_plural = _("chat webhooks")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_url(self) -> str:
        """The address without its secret: scheme and host only."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname or ''}/…"


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def due(self, now: datetime) -> WebhookDeliveryQuerySet:
        """Messages whose time has come, to webhooks that are not resting."""
        return self.filter(
            models.Q(webhook__retry_after__isnull=True) | models.Q(webhook__retry_after__lte=now),
            sent_at__isnull=True,
            next_attempt_at__lte=now,
            attempts__lt=settings.SPARRING_WEBHOOK_MAX_ATTEMPTS,
        )


class WebhookFailure(models.TextChoices):
    """Why a chat message was not posted, in words of Sparring's own. Never the chat
    service's answer: it may echo the webhook's secret or, from a server that should never
    have been asked, something from inside the network."""

    HTTP_STATUS = "http_status", _("The chat service answered with an error")
    ADDRESS_INTERNAL = "address_internal", _("Not sent: the address leads to an internal network")
    ADDRESS_METADATA = (
        "address_metadata",
        _("Not sent: the address leads to a link-local or reserved address"),
    )
    NAME_NOT_FOUND = "name_not_found", _("The server's name was not found")
    CONNECTION_REFUSED = "connection_refused", _("The server refused the connection")
    TIMEOUT = "timeout", _("The server did not answer in time")
    CERTIFICATE = "certificate", _("The server's certificate could not be verified")
    NETWORK = "network", _("The server could not be reached")
    SWITCHED_OFF = "switched_off", _("Not sent: the webhook is switched off")
    WITHDRAWN = "withdrawn", _("Not sent: what it was about was deleted")
    BAD_ADDRESS = "bad_address", _("Not sent: the address must start with https:// or http://")
    # What the worker wrote before it kept only its own words (migration 0005).
    FAILED = "failed", _("Not sent")


class WebhookDelivery(models.Model):
    """A chat message waiting for the worker, or the record of one it posted or gave up on.
    The outbox of the chat channels, like OutgoingEmail is of e-mail: written in the
    transaction of what caused it, and `next_attempt_at` empty once posted or given up.

    The message is kept as text and link; the chat service's own format is made when it is
    posted, so a webhook switched to another service gets what that service understands."""

    webhook = models.ForeignKey(ChatWebhook, on_delete=models.CASCADE, related_name="deliveries")
    text = models.TextField(_("text"))
    link = models.URLField(_("link"), max_length=1000)
    link_label = models.CharField(_("link text"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"), max_length=30, blank=True, default="", choices=WebhookFailure.choices
    )
    # The HTTP status of the chat service's answer, when that was the error.
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="webhook_delivery_due",
            )
        ]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self) -> str:
        return f"{self.text[:50]} → {self.webhook_id}"

    @property
    def gave_up(self) -> bool:
        return self.sent_at is None and self.next_attempt_at is None

    @property
    def error_text(self) -> str:
        """Why the last attempt failed, for the administrator: a short reason and, when the
        chat service answered, its status code with the standard phrase for it."""
        if not self.last_error:
            return ""
        reason = str(WebhookFailure(self.last_error).label)
        if self.last_status is None:
            return reason
        try:
            phrase = HTTPStatus(self.last_status).phrase
        except ValueError:
            phrase = ""
        return f"{reason}: HTTP {self.last_status} {phrase}".rstrip()
