"""The audit log: services call `audit_record` inside their transaction, so an action and its
audit row are written together or not at all."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from core.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    from core.access import PersonalContent

    # The log is read by administrators: personal content is named by kind and id only,
    # never by its title or text.
    if isinstance(target, PersonalContent):
        label = f"{target._meta.verbose_name} #{target.pk}"
    else:
        label = str(target)[:300] if target is not None else ""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=label,
        summary=summary,
        data=data or {},
    )


# Who did it, in the audit log's filter: nobody, that is Sparring itself.
BY_THE_SYSTEM = "system"


def audit_entries(
    *, actor: str = "", action: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    """The audit log, newest first, of one actor (a person's id, or BY_THE_SYSTEM), one
    action, and the days from `since` to `until` in the organisation's time."""
    entries = AuditEntry.objects.select_related("actor")
    if actor == BY_THE_SYSTEM:
        entries = entries.filter(actor__isnull=True)
    elif actor:
        entries = entries.filter(actor_id=int(actor))
    if action:
        entries = entries.filter(action=action)
    if since is not None:
        entries = entries.filter(at__gte=_start_of(since))
    if until is not None:
        entries = entries.filter(at__lt=_start_of(until + timedelta(days=1)))
    return entries


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))
