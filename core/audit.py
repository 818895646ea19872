"""The audit log: services call `audit_record` inside their transaction, so an action and its
audit row are written together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import models

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
