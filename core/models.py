from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One administrative action on personal data or the organisation. Append-only."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, default="")
    target_id = models.CharField(max_length=100, blank=True, default="")
    target_label = models.CharField(_("concerning"), max_length=300, blank=True, default="")
    summary = models.TextField(_("summary"), blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        """The action in the reader's language; an action without a label shows its code."""
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def details(self) -> str:
        """The summary and the recorded facts, as one line: "deleted.checkins: 12"."""
        parts = [self.summary] if self.summary else []
        parts += [f"{key}: {value}" for key, value in _flat(self.data)]
        return "; ".join(parts)


class WorkerHeartbeat(models.Model):
    """When the background worker on a machine last began a tick. `/health/ready` reads it to
    tell whether reminders and e-mail are being sent. One row per machine, nothing personal."""

    host = models.CharField(_("machine"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.host} {self.seen_at:%Y-%m-%d %H:%M:%S}"


def _flat(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if not isinstance(data, dict):
        return [(prefix, data)]
    found = []
    for key, value in data.items():
        found += _flat(value, f"{prefix}.{key}" if prefix else str(key))
    return found


ACTION_LABELS = {
    "organisation.import": _("Organisation imported"),
    "person.create": _("Person created"),
    "person.update": _("Person changed"),
    "person.deactivate": _("Person deactivated"),
    "person.reactivate": _("Person reactivated"),
    "person.email_change": _("E-mail address changed"),
    "password.link_sent": _("Link to choose a password sent"),
    "login.failed": _("Failed login"),
    "login.locked": _("Account locked after failed logins"),
    "login.address_locked": _("Address locked after failed logins"),
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "unit.delete": _("Unit deleted"),
    "value.create": _("Value created"),
    "value.update": _("Value changed"),
    "pulse_question.create": _("Wellbeing question created"),
    "pulse_question.update": _("Wellbeing question changed"),
    "pulse_survey.create": _("Wellbeing survey created"),
    "pulse_survey.update": _("Wellbeing survey changed"),
    "chat_webhook.create": _("Chat webhook created"),
    "chat_webhook.update": _("Chat webhook changed"),
    "chat_webhook.delete": _("Chat webhook deleted"),
    "chat_webhook.test": _("Chat webhook tested"),
    "email.test": _("Test e-mail sent"),
    "retention.update": _("Deletion deadlines changed"),
    "retention.run": _("Data past its deletion deadline deleted"),
    "audit.export": _("Audit log downloaded"),
}
