"""Writes about the organisation: units, people, memberships and values. Each is atomic and
leaves an audit row."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, ProtectedError
from django.db.models import Value as V
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import password_link_send, person_email_changed
from core.audit import audit_record
from organisation.branding import branding_forget
from organisation.models import Membership, OrganisationSettings, Unit, Value, path_step

PERSON_FIELDS = ("username", "first_name", "last_name", "email", "job_title", "is_administrator")


class OrganisationError(ValueError):
    """A change that would break the organisation; the message is for the user."""


def _place(unit: Unit, parent: Unit | None) -> None:
    unit.path = (parent.path if parent else "") + path_step(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0


@transaction.atomic
def unit_create(
    *, actor: User | None, name: str, parent: Unit | None, external_id: str = ""
) -> Unit:
    # The path holds the unit's own id, which exists only after the first insert.
    unit = Unit.objects.create(
        name=name, parent=parent, external_id=external_id, path=f"new-{uuid.uuid4()}"
    )
    _place(unit, parent)
    unit.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="unit.create", target=unit)
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, name: str, parent: Unit | None) -> Unit:
    # Lock the unit and its new parent and read their paths afresh, so that two moves at
    # once cannot interleave on PostgreSQL (SQLite's IMMEDIATE transactions already queue).
    ids = [unit.pk] + ([parent.pk] if parent else [])
    fresh = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=ids)}
    unit.path, unit.depth = fresh[unit.pk].path, fresh[unit.pk].depth
    if parent is not None:
        parent.path, parent.depth = fresh[parent.pk].path, fresh[parent.pk].depth
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
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(V(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") - old_depth + unit.depth,
        )
    unit.save()
    if changes:
        audit_record(actor=actor, action="unit.update", target=unit, data=changes)
    return unit


@transaction.atomic
def unit_delete(*, actor: User | None, unit: Unit) -> None:
    if unit.children.exists() or unit.memberships.exists():
        raise OrganisationError(_("Only an empty unit without sub-units can be deleted."))
    audit_record(actor=actor, action="unit.delete", target=unit)
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as error:
        # History is never collateral: a unit whose team wrote anything is kept.
        raise OrganisationError(
            _("The unit has history (a team, recognition or help requests) and is kept.")
        ) from error


@transaction.atomic
def person_save(
    *,
    actor: User | None,
    person: User,
    memberships: dict[Unit, str],
    now: datetime,
) -> User:
    """Create or update a person and set exactly these memberships (unit -> role). Every change
    of a person's identity (name, e-mail, username, administrator) is in the audit row.

    Nobody sets a password here: a new person with an e-mail address is sent an invitation
    to choose their own, and a changed address is handled as accounts says (the old address
    is told, and links are held back for some days)."""
    creating = person.pk is None
    before = (
        {} if creating else User.objects.filter(pk=person.pk).values(*PERSON_FIELDS).first() or {}
    )
    changes = {
        f: [before[f], getattr(person, f)]
        for f in PERSON_FIELDS
        if before and before[f] != getattr(person, f)
    }
    if creating:
        person.set_unusable_password()
    person.save()
    membership_set(person=person, memberships=memberships)
    audit_record(
        actor=actor,
        action="person.create" if creating else "person.update",
        target=person,
        data={
            "changes": changes,
            "units": {str(u.pk): role for u, role in memberships.items()},
            "own_account": actor is not None and actor.pk == person.pk,
        },
    )
    if creating and person.email:
        password_link_send(actor=actor, person=person, now=now)
    elif "email" in changes:
        person_email_changed(actor=actor, person=person, old_email=changes["email"][0], now=now)
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


# --- The organisation's name and logo ---------------------------------------------------------

LOGO_MAX_BYTES = 200 * 1024
# Only raster images: an SVG can carry script. The type is read from the file's first bytes,
# never from its name or the type the browser claims.
_LOGO_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def logo_type(data: bytes) -> str | None:
    """The image type of a logo's bytes, or None when they are not a PNG or a JPEG."""
    for signature, content_type in _LOGO_SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    return None


@transaction.atomic
def organisation_settings_update(
    *, actor: User, name: str, logo: bytes | None = None, remove_logo: bool = False
) -> OrganisationSettings:
    """Saves the name shown in the header and, when given, a new logo (or removes it). A logo
    that is not a PNG or JPEG of at most 200 KB changes nothing."""
    content_type = logo_type(logo) if logo is not None else None
    if logo is not None:
        if len(logo) > LOGO_MAX_BYTES:
            raise OrganisationError(_("The logo is larger than 200 KB. Choose a smaller image."))
        if content_type is None:
            raise OrganisationError(
                _("The logo must be a PNG or JPEG image. Other files, SVG too, are not accepted.")
            )
    current = (
        OrganisationSettings.objects.select_for_update()
        .filter(pk=OrganisationSettings.SINGLETON)
        .first()
    ) or OrganisationSettings(pk=OrganisationSettings.SINGLETON)
    changed = {"name": current.name != name, "logo": "unchanged"}
    current.name = name
    if logo is not None and content_type is not None:
        current.logo = logo
        current.logo_type = content_type
        current.logo_digest = hashlib.sha256(logo).hexdigest()
        changed["logo"] = "replaced"
    elif remove_logo and current.has_logo:
        current.logo, current.logo_type, current.logo_digest = b"", "", ""
        changed["logo"] = "removed"
    current.save()
    audit_record(actor=actor, action="organisation_settings.update", target=current, data=changed)
    # Forgotten now for this request's next page, and again once committed, in case another
    # request put the old settings back in the cache in between.
    branding_forget()
    transaction.on_commit(branding_forget)
    return current
