"""Writes about the organisation: units, people, memberships and values. Each is atomic and
leaves an audit row."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models import Value as V
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from organisation.models import Membership, Unit, Value, path_step


class OrganisationError(ValueError):
    """A change that would break the organisation; the message is for the user."""


def _place(unit: Unit, parent: Unit | None) -> None:
    unit.path = (parent.path if parent else "") + path_step(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0


@transaction.atomic
def unit_create(
    *, actor: User | None, name: str, parent: Unit | None, external_id: str = "", audit: bool = True
) -> Unit:
    # The path holds the unit's own id, which exists only after the first insert.
    unit = Unit.objects.create(
        name=name, parent=parent, external_id=external_id, path=f"new-{uuid.uuid4()}"
    )
    _place(unit, parent)
    unit.save(update_fields=["path", "depth"])
    if audit:
        audit_record(actor=actor, action="unit.create", target=unit)
    return unit


@transaction.atomic
def unit_update(
    *, actor: User | None, unit: Unit, name: str, parent: Unit | None, audit: bool = True
) -> Unit:
    if parent is not None and parent.path.startswith(unit.path):
        raise OrganisationError(_("A unit cannot be placed under itself or one of its own units."))
    changes: dict[str, Any] = {}
    if name != unit.name:
        changes["name"] = [unit.name, name]
        unit.name = name
    if (parent.pk if parent else None) != unit.parent_id:
        changes["parent"] = [unit.parent_id, parent.pk if parent else None]
        old_path, old_depth = unit.path, unit.depth
        unit.parent = parent
        _place(unit, parent)
        # Every unit below follows: swap the old prefix for the new one in one statement.
        Unit.objects.subtree_of(Unit(path=old_path), include_self=False).update(
            path=Concat(V(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") - old_depth + unit.depth,
        )
    unit.save()
    if changes and audit:
        audit_record(actor=actor, action="unit.update", target=unit, data=changes)
    return unit


@transaction.atomic
def unit_delete(*, actor: User | None, unit: Unit) -> None:
    if unit.children.exists() or unit.memberships.exists():
        raise OrganisationError(_("Only an empty unit without sub-units can be deleted."))
    audit_record(actor=actor, action="unit.delete", target=unit)
    unit.delete()


@transaction.atomic
def person_save(
    *,
    actor: User | None,
    person: User,
    memberships: dict[Unit, str],
    password: str | None = None,
) -> User:
    """Create or update a person and set exactly these memberships (unit -> role)."""
    creating = person.pk is None
    if password:
        person.set_password(password)
    elif creating:
        person.set_unusable_password()
    person.save()
    membership_set(person=person, memberships=memberships)
    audit_record(
        actor=actor,
        action="person.create" if creating else "person.update",
        target=person,
        data={"units": {str(u.pk): role for u, role in memberships.items()}},
    )
    return person


def membership_set(*, person: User, memberships: dict[Unit, str]) -> None:
    wanted = {unit.pk: role for unit, role in memberships.items()}
    existing = {m.unit_id: m for m in Membership.objects.filter(user=person)}
    Membership.objects.filter(user=person).exclude(unit_id__in=wanted).delete()
    for unit_id, role in wanted.items():
        current = existing.get(unit_id)
        if current is None:
            Membership.objects.create(user=person, unit_id=unit_id, role=role)
        elif current.role != role:
            current.role = role
            current.save(update_fields=["role"])


@transaction.atomic
def value_save(*, actor: User | None, value: Value) -> Value:
    creating = value.pk is None
    value.save()
    audit_record(actor=actor, action="value.create" if creating else "value.update", target=value)
    return value
