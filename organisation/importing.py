"""Importing the organisation from a source system (CSV files or OS2mo).

Every source produces a `Snapshot`: the whole organisation as the source sees it. Then
`snapshot_problems` checks it against itself and the database, `snapshot_plan` says what
applying it would change (the preview an administrator confirms), and `snapshot_apply` makes
the database match it in one transaction. Nothing is written while any problem remains, and
applying the same snapshot twice changes nothing the second time.

Only what came from an import is managed by it: units and people with an external id. People
created by hand (the first administrator, say) are left alone; imported people missing from
the source are leavers and are deactivated, never deleted; imported units missing from the
source are archived, never deleted, so nothing anyone wrote goes with them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import people_deactivate, person_email_changed
from core.audit import audit_record
from organisation.models import Membership, Unit, path_step

Progress = Callable[[str, int, int], None]

MEMBER, LEADER = Membership.Role.MEMBER.value, Membership.Role.LEADER.value
USERNAME_RE = re.compile(r"^[\w.@+-]+$")
MAX_DEPTH = 30
CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass
class UnitIn:
    key: str
    name: str
    parent_key: str
    where: str
    # (file, line) in the source, so that problems are listed in the order of the files.
    order: tuple[int, int] = (0, 0)


@dataclass
class PersonIn:
    key: str
    username: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    roles: dict[str, str] = field(default_factory=dict)
    where: str = ""
    order: tuple[int, int] = (0, 0)


@dataclass
class Problem:
    where: str
    message: str
    order: tuple[int, int] = (0, 0)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def problems_in_order(problems: list[Problem]) -> list[Problem]:
    """By file, then line; problems found for one line keep the order they were found in."""
    return sorted(problems, key=lambda problem: problem.order)


@dataclass
class Snapshot:
    units: dict[str, UnitIn] = field(default_factory=dict)
    people: dict[str, PersonIn] = field(default_factory=dict)


@dataclass
class ImportResult:
    units_created: int = 0
    units_changed: int = 0
    units_archived: int = 0
    units_restored: int = 0
    people_created: int = 0
    people_changed: int = 0
    people_deactivated: int = 0
    people_reactivated: int = 0
    memberships_changed: int = 0

    @property
    def changed_anything(self) -> bool:
        return any(vars(self).values())


# --- Reading CSV ------------------------------------------------------------------------------

UNIT_COLUMNS = {
    "id": ("id",),
    "name": ("name", "navn"),
    "parent_id": ("parent_id", "overenhed_id", "parent", "overenhed"),
}
PERSON_COLUMNS = {
    "id": ("id",),
    "username": ("username", "brugernavn"),
    "first_name": ("first_name", "fornavn"),
    "last_name": ("last_name", "efternavn"),
    "email": ("email", "e-mail", "mail"),
    "job_title": ("job_title", "stilling"),
    "unit_id": ("unit_id", "enhed_id", "unit", "enhed"),
    "leader": ("leader", "leder"),
}
REQUIRED = {"units": ("id", "name", "parent_id"), "people": ("id", "first_name", "unit_id")}
YES = {"1", "ja", "yes", "true", "x", "j", "y"}
NO = {"", "0", "nej", "no", "false", "n"}


def _decode(data: bytes, filename: str, problems: list[Problem], file_order: int = 0) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.append(
        Problem(filename, _("The file is not text (UTF-8 or Windows-1252)."), (file_order, 0))
    )
    return None


def _rows(
    data: bytes,
    filename: str,
    columns: dict[str, tuple[str, ...]],
    kind: str,
    problems: list[Problem],
) -> Iterable[tuple[int, dict[str, str]]]:
    file_order = 0 if kind == "units" else 1
    text = _decode(data, filename, problems, file_order)
    if text is None:
        return
    if not text.strip():
        problems.append(Problem(filename, _("The file is empty."), (file_order, 0)))
        return
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    header = [h.strip().lower() for h in next(reader)]
    index: dict[str, int] = {}
    for name, aliases in columns.items():
        for alias in aliases:
            if alias in header:
                index[name] = header.index(alias)
                break
    missing = [c for c in REQUIRED[kind] if c not in index]
    if missing:
        problems.append(
            Problem(
                filename,
                _("Missing column(s): %(columns)s. The first line must name the columns.")
                % {"columns": ", ".join(missing)},
                (file_order, 0),
            )
        )
        return
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            values = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            yield reader.line_num, values
    except csv.Error as error:
        # An unbalanced quote, a NUL byte: nothing after this line can be trusted.
        problems.append(
            Problem(
                _("%(file)s, line %(line)d") % {"file": filename, "line": reader.line_num},
                _("The file cannot be read as CSV from here on (%(error)s).") % {"error": error},
                (file_order, reader.line_num),
            )
        )


def snapshot_from_csv(
    *,
    units_file: bytes,
    people_file: bytes,
    units_name: str = "units.csv",
    people_name: str = "people.csv",
) -> tuple[Snapshot, list[Problem]]:
    """Read the two CSV files. Problems found here are about single rows."""
    snapshot, problems = Snapshot(), list[Problem]()
    for line, row in _rows(units_file, units_name, UNIT_COLUMNS, "units", problems):
        where = _("%(file)s, line %(line)d") % {"file": units_name, "line": line}
        order = (0, line)
        key = row["id"]
        if not key:
            problems.append(Problem(where=where, order=order, message=_("The id is empty.")))
        elif key in snapshot.units:
            problems.append(
                Problem(
                    where=where,
                    order=order,
                    message=_("The id %(id)s is used twice.") % {"id": key},
                )
            )
        elif not row["name"]:
            problems.append(Problem(where=where, order=order, message=_("The name is empty.")))
        elif len(row["name"]) > 200:
            problems.append(
                Problem(
                    where=where, order=order, message=_("The name is longer than 200 characters.")
                )
            )
        else:
            snapshot.units[key] = UnitIn(key, row["name"], row.get("parent_id", ""), where, order)
    for line, row in _rows(people_file, people_name, PERSON_COLUMNS, "people", problems):
        where = _("%(file)s, line %(line)d") % {"file": people_name, "line": line}
        order = (1, line)
        key = row["id"]
        leader = row.get("leader", "").lower()
        if not key:
            problems.append(Problem(where=where, order=order, message=_("The id is empty.")))
            continue
        if leader not in YES | NO:
            problems.append(
                Problem(
                    where,
                    _("Leader must be yes or no (ja/nej, 1/0), not %(value)s.")
                    % {"value": row["leader"]},
                )
            )
            continue
        if "username" in row and not row["username"]:
            problems.append(Problem(where=where, order=order, message=_("The username is empty.")))
            continue
        person = PersonIn(
            key=key,
            username=row.get("username", "") or username_for(row.get("email", ""), key),
            first_name=row.get("first_name", ""),
            last_name=row.get("last_name", ""),
            email=row.get("email", ""),
            job_title=row.get("job_title", ""),
            where=where,
            order=order,
        )
        existing = snapshot.people.get(key)
        if existing is None:
            snapshot.people[key] = existing = person
        elif (existing.username, existing.first_name, existing.last_name, existing.email) != (
            person.username,
            person.first_name,
            person.last_name,
            person.email,
        ):
            problems.append(
                Problem(
                    where,
                    _("The person %(id)s appears again with other details than on %(first)s.")
                    % {"id": key, "first": existing.where},
                )
            )
            continue
        unit_key = row["unit_id"]
        if not unit_key:
            problems.append(Problem(where=where, order=order, message=_("The unit is empty.")))
        elif unit_key in existing.roles:
            problems.append(
                Problem(
                    where=where,
                    order=order,
                    message=_("The person is in the unit %(unit)s twice.") % {"unit": unit_key},
                )
            )
        else:
            existing.roles[unit_key] = LEADER if leader in YES else MEMBER
    return snapshot, problems


def username_for(email: str, key: str) -> str:
    """A person's username when the source gives none: the whole e-mail address (a local part
    alone collides across domains, jens@kommune.dk and jens@skole.kommune.dk), else the key."""
    return email.strip().lower() or key


# --- Checking ---------------------------------------------------------------------------------


def snapshot_problems(snapshot: Snapshot) -> list[Problem]:
    """Everything that would stop the snapshot from being applied, with where it is."""
    problems: list[Problem] = []
    for where, order, values in [
        *((u.where, u.order, (u.key, u.name, u.parent_key)) for u in snapshot.units.values()),
        *(
            (p.where, p.order, (p.key, p.username, p.first_name, p.last_name, p.email, p.job_title))
            for p in snapshot.people.values()
        ),
    ]:
        if any(CONTROL_RE.search(value) for value in values):
            problems.append(Problem(where, _("The line holds control characters."), order))
    for unit in snapshot.units.values():
        if unit.parent_key and unit.parent_key not in snapshot.units:
            problems.append(
                Problem(
                    where=unit.where,
                    order=unit.order,
                    message=_("The parent unit %(id)s is not in the file.")
                    % {"id": unit.parent_key},
                )
            )
            continue
        seen, current = {unit.key}, unit
        while current.parent_key and current.parent_key in snapshot.units:
            current = snapshot.units[current.parent_key]
            if current.key in seen or len(seen) > MAX_DEPTH:
                problems.append(
                    Problem(
                        where=unit.where,
                        order=unit.order,
                        message=_("The unit is placed under itself."),
                    )
                )
                break
            seen.add(current.key)

    usernames: dict[str, PersonIn] = {}
    emails: dict[str, PersonIn] = {}
    for person in snapshot.people.values():
        if not (person.first_name or person.last_name):
            problems.append(
                Problem(where=person.where, order=person.order, message=_("The name is empty."))
            )
        if len(person.username) > 150 or not USERNAME_RE.match(person.username):
            problems.append(
                Problem(
                    where=person.where,
                    order=person.order,
                    message=_("The username %(name)s may only hold letters, digits and . @ + - _")
                    % {"name": person.username},
                )
            )
        if not person.username:
            problems.append(
                Problem(where=person.where, order=person.order, message=_("The username is empty."))
            )
        if person.email and not _is_email(person.email):
            problems.append(
                Problem(
                    where=person.where,
                    order=person.order,
                    message=_("%(email)s is not an e-mail address.") % {"email": person.email},
                )
            )
        for label, value, seen_map in (
            (_("username"), person.username.lower(), usernames),
            (_("e-mail address"), person.email.lower(), emails),
        ):
            if not value:
                continue
            other = seen_map.setdefault(value, person)
            if other is not person:
                problems.append(
                    Problem(
                        where=person.where,
                        order=person.order,
                        message=_("The %(what)s %(value)s is also used on %(other)s.")
                        % {"what": label, "value": value, "other": other.where},
                    )
                )
        for unit_key in person.roles:
            if unit_key not in snapshot.units:
                problems.append(
                    Problem(
                        where=person.where,
                        order=person.order,
                        message=_("The unit %(id)s is not in the file.") % {"id": unit_key},
                    )
                )

    # People created by hand must not collide with imported ones.
    imported_usernames = [p.username for p in snapshot.people.values()]
    by_username = {
        u.lower(): ext
        # 500 at a time: PostgreSQL takes at most 65,535 values in one statement.
        for i in range(0, len(imported_usernames), 500)
        for u, ext in User.objects.filter(username__in=imported_usernames[i : i + 500]).values_list(
            "username", "external_id"
        )
    }
    by_email = {
        e.lower(): ext
        for e, ext in User.objects.exclude(email="").values_list("email", "external_id")
    }
    for person in snapshot.people.values():
        ext = by_username.get(person.username.lower())
        if ext is not None and ext != person.key:
            problems.append(
                Problem(
                    where=person.where,
                    order=person.order,
                    message=_(
                        "The username %(name)s belongs to another person already in Sparring."
                    )
                    % {"name": person.username},
                )
            )
        ext = by_email.get(person.email.lower()) if person.email else None
        if ext is not None and ext != person.key:
            problems.append(
                Problem(
                    where=person.where,
                    order=person.order,
                    message=_(
                        "The e-mail address %(email)s belongs to another person already in "
                        "Sparring."
                    )
                    % {"email": person.email},
                )
            )
    return problems_in_order(problems)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


# --- The unit tree -------------------------------------------------------------------------


def _topological(units: dict[str, UnitIn]) -> list[UnitIn]:
    ordered: list[UnitIn] = []
    placed: set[str] = set()

    def visit(unit: UnitIn) -> None:
        if unit.key in placed:
            return
        if unit.parent_key:
            visit(units[unit.parent_key])
        placed.add(unit.key)
        ordered.append(unit)

    for unit in units.values():
        visit(unit)
    return ordered


def rows_update(model: type[Model], objects: Sequence[Model], fields: list[str]) -> None:
    """Save `fields` of many rows, one prepared UPDATE run for all of them. Django's
    bulk_update builds a CASE expression per field and batch, which costs minutes of Python
    when a reorganisation touches most of 25,000 people."""
    if not objects:
        return
    concrete: list[Any] = [model._meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in concrete)
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in concrete]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)  # noqa: S608


def unit_paths_repair() -> int:
    """Recompute every unit's path and depth from the parent links; returns how many changed."""
    rows = list(Unit.objects.values_list("pk", "parent_id", "path", "depth"))
    parent = {pk: parent_id for pk, parent_id, _, _ in rows}
    computed: dict[int, tuple[str, int]] = {}

    def place(pk: int) -> tuple[str, int]:
        if pk not in computed:
            up = parent[pk]
            if up is None:
                computed[pk] = (path_step(pk), 0)
            else:
                up_path, up_depth = place(up)
                computed[pk] = (up_path + path_step(pk), up_depth + 1)
        return computed[pk]

    changed = []
    for pk, _parent, path, depth in rows:
        new_path, new_depth = place(pk)
        if (new_path, new_depth) != (path, depth):
            changed.append(Unit(pk=pk, path=new_path, depth=new_depth))
    rows_update(Unit, changed, ["path", "depth"])
    return len(changed)


# --- Previewing ---------------------------------------------------------------------------


def snapshot_fingerprint(snapshot: Snapshot) -> str:
    """A hash of what the source says, not of how it says it: the same organisation in other
    line order or another file encoding has the same fingerprint."""
    canonical = {
        "units": sorted((u.key, u.name, u.parent_key) for u in snapshot.units.values()),
        "people": sorted(
            (
                p.key,
                p.username,
                p.first_name,
                p.last_name,
                p.email,
                p.job_title,
                sorted(p.roles.items()),
            )
            for p in snapshot.people.values()
        ),
    }
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


# The lists of a preview, in the order the page shows them.
PLAN_LISTS = (
    "people_created",
    "people_moved",
    "people_changed",
    "people_deactivated",
    "people_reactivated",
    "units_created",
    "units_renamed",
    "units_moved",
    "units_archived",
    "units_restored",
)


@dataclass
class ImportPlan:
    """What applying a snapshot will change, each entry a line for the administrator."""

    people_created: list[str] = field(default_factory=list)
    people_moved: list[str] = field(default_factory=list)
    people_changed: list[str] = field(default_factory=list)
    people_deactivated: list[str] = field(default_factory=list)
    people_reactivated: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    units_renamed: list[str] = field(default_factory=list)
    units_moved: list[str] = field(default_factory=list)
    units_archived: list[str] = field(default_factory=list)
    units_restored: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return any(vars(self).values())

    def as_json(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in PLAN_LISTS}


# How many names of each list the preview shows; the count is always whole.
PLAN_NAMES_SHOWN = 200


@dataclass
class PlanSection:
    key: str
    label: str
    count: int
    names: list[str]
    hidden: int
    # What people lose access to or stop seeing: shown open.
    weighty: bool


def plan_sections(plan: dict[str, list[str]]) -> list[PlanSection]:
    """A stored preview as the page shows it: every list with its count, in a fixed order."""
    labels = {
        "people_created": _("People created"),
        "people_moved": _("People moved to other units"),
        "people_changed": _("People whose details change"),
        "people_deactivated": _("People deactivated"),
        "people_reactivated": _("People reactivated"),
        "units_created": _("Units created"),
        "units_renamed": _("Units renamed"),
        "units_moved": _("Units moved"),
        "units_archived": _("Units retired (archived, with their history kept)"),
        "units_restored": _("Archived units back in use"),
    }
    sections = []
    for key in PLAN_LISTS:
        names = plan.get(key, [])
        sections.append(
            PlanSection(
                key=key,
                label=str(labels[key]),
                count=len(names),
                names=names[:PLAN_NAMES_SHOWN],
                hidden=max(len(names) - PLAN_NAMES_SHOWN, 0),
                weighty=key in ("people_deactivated", "units_archived"),
            )
        )
    return sections


def _person_label(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() + f" ({username})"


def snapshot_plan(snapshot: Snapshot) -> ImportPlan:
    """The preview: what `snapshot_apply` would change in the database as it is now. Reads
    only."""
    plan = ImportPlan()
    units = {
        ext: (pk, name, parent_id, archived)
        for pk, ext, name, parent_id, archived in Unit.objects.exclude(external_id="").values_list(
            "pk", "external_id", "name", "parent_id", "archived_at"
        )
    }
    unit_names = dict(Unit.objects.values_list("pk", "name"))
    new_name = {u.key: u.name for u in snapshot.units.values()}

    def parent_label(parent_key: str) -> str:
        return new_name[parent_key] if parent_key else _("(top)")

    ext_of = {pk: ext for ext, (pk, *_rest) in units.items()}
    for unit_in in snapshot.units.values():
        known = units.get(unit_in.key)
        if known is None:
            plan.units_created.append(
                _("%(name)s under %(parent)s")
                % {"name": unit_in.name, "parent": parent_label(unit_in.parent_key)}
            )
            continue
        _pk, name, parent_id, archived = known
        if archived is not None:
            plan.units_restored.append(unit_in.name)
        if name != unit_in.name:
            plan.units_renamed.append(f"{name} → {unit_in.name}")
        if ext_of.get(parent_id, "") != unit_in.parent_key or (
            parent_id is not None and parent_id not in ext_of
        ):
            old_parent = unit_names.get(parent_id, "") if parent_id else _("(top)")
            plan.units_moved.append(
                _("%(name)s: from under %(old)s to under %(new)s")
                % {"name": unit_in.name, "old": old_parent, "new": parent_label(unit_in.parent_key)}
            )
    plan.units_archived = sorted(
        name
        for ext, (_pk, name, _parent, archived) in units.items()
        if ext not in snapshot.units and archived is None
    )

    people = {
        ext: (pk, (username, first, last, email, job), active)
        for pk, ext, username, first, last, email, job, active in User.objects.exclude(
            external_id=""
        ).values_list(
            "pk",
            "external_id",
            "username",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "is_active",
        )
    }
    # Where people are, by unit: the external id for imported units, else "#pk".
    ext_or_pk = {pk: ext for ext, (pk, *_rest) in units.items()}
    places: dict[int, set[tuple[str, str]]] = {}
    for user_id, unit_id, role in Membership.objects.filter(user__external_id__gt="").values_list(
        "user_id", "unit_id", "role"
    ):
        places.setdefault(user_id, set()).add((ext_or_pk.get(unit_id, f"#{unit_id}"), role))

    def describe(where: set[tuple[str, str]], names: dict[str, str]) -> str:
        return (
            ", ".join(
                (_("%(unit)s (leader)") % {"unit": name}) if role == LEADER else name
                for name, role in sorted((names.get(key, key), role) for key, role in where)
            )
            or "–"
        )

    old_names = {ext: name for ext, (_pk, name, *_rest) in units.items()}
    old_names.update({f"#{pk}": name for pk, name in unit_names.items()})

    for person in snapshot.people.values():
        label = _person_label(person.first_name, person.last_name, person.username)
        known_person = people.get(person.key)
        wanted = set(person.roles.items())
        if known_person is None:
            plan.people_created.append(f"{label}: {describe(wanted, new_name)}")
            continue
        pk, details, active = known_person
        if not active:
            plan.people_reactivated.append(f"{label}: {describe(wanted, new_name)}")
            continue
        if details != (
            person.username,
            person.first_name,
            person.last_name,
            person.email,
            person.job_title,
        ):
            plan.people_changed.append(label)
        have = places.get(pk, set())
        if have != wanted:
            plan.people_moved.append(
                _("%(person)s: from %(old)s to %(new)s")
                % {
                    "person": label,
                    "old": describe(have, old_names),
                    "new": describe(wanted, new_name),
                }
            )
    plan.people_deactivated = sorted(
        _person_label(details[1], details[2], details[0])
        for ext, (_pk, details, active) in people.items()
        if active and ext not in snapshot.people
    )
    return plan


# --- Applying ---------------------------------------------------------------------------------


@transaction.atomic
def snapshot_apply(
    snapshot: Snapshot,
    *,
    actor: User | None,
    source: str,
    now: datetime,
    progress: Progress = no_progress,
) -> ImportResult:
    result = ImportResult()

    # Units: create the new, rename and move the known, parents before children.
    progress("units", 0, len(snapshot.units))
    existing = {u.external_id: u for u in Unit.objects.exclude(external_id="")}
    new_units = [
        Unit(name=u.name, external_id=u.key, path=f"new-{u.key}")
        for u in snapshot.units.values()
        if u.key not in existing
    ]
    for unit in Unit.objects.bulk_create(new_units, batch_size=500):
        existing[unit.external_id] = unit
    result.units_created = len(new_units)
    changed_units = []
    for unit_in in _topological(snapshot.units):
        unit = existing[unit_in.key]
        parent_id = existing[unit_in.parent_key].pk if unit_in.parent_key else None
        restored = unit.archived_at is not None
        if unit.name != unit_in.name or unit.parent_id != parent_id or restored:
            if not unit.path.startswith("new-") and (
                unit.name != unit_in.name or unit.parent_id != parent_id
            ):
                result.units_changed += 1
            result.units_restored += restored
            unit.name, unit.parent_id, unit.archived_at = unit_in.name, parent_id, None
            changed_units.append(unit)
    rows_update(Unit, changed_units, ["name", "parent", "archived_at"])
    unit_paths_repair()
    progress("units", len(snapshot.units), len(snapshot.units))

    # People.
    total = len(snapshot.people)
    progress("people", 0, total)
    known = {u.external_id: u for u in User.objects.exclude(external_id="")}
    fields = ["username", "first_name", "last_name", "email", "job_title"]
    to_create, to_update = [], []
    email_changes: list[tuple[User, str]] = []
    for done, person in enumerate(snapshot.people.values(), 1):
        user = known.get(person.key)
        values = {f: getattr(person, f) for f in fields}
        if user is None:
            to_create.append(User(external_id=person.key, password=make_password(None), **values))
        else:
            changed = any(getattr(user, f) != v for f, v in values.items())
            if (user.email or "").lower() != (values["email"] or "").lower():
                email_changes.append((user, user.email))
            if changed or not user.is_active:
                if not user.is_active:
                    result.people_reactivated += 1
                elif changed:
                    result.people_changed += 1
                for f, v in values.items():
                    setattr(user, f, v)
                user.is_active = True
                to_update.append(user)
        if done % 1000 == 0:
            progress("people", done, total)
    for user in User.objects.bulk_create(to_create, batch_size=500):
        known[user.external_id] = user
    rows_update(User, to_update, [*fields, "is_active"])
    # An import can hand an account to whoever owns the new address, like an administrator
    # can: the old address is told and links to set a password are held back (accounts).
    for user, old_email in email_changes:
        person_email_changed(actor=actor, person=user, old_email=old_email, now=now)
    result.people_created = len(to_create)
    progress("people", total, total)

    # Memberships of imported people: exactly those in the snapshot.
    wanted = {
        (known[p.key].pk, existing[unit_key].pk): role
        for p in snapshot.people.values()
        for unit_key, role in p.roles.items()
    }
    imported_ids = [u.pk for u in known.values()]
    have: dict[tuple[int, int], Any] = {}
    for i in range(0, len(imported_ids), 500):
        for m in Membership.objects.filter(user_id__in=imported_ids[i : i + 500]):
            have[(m.user_id, m.unit_id)] = m
    gone = [m.pk for key, m in have.items() if key not in wanted]
    for i in range(0, len(gone), 500):
        Membership.objects.filter(pk__in=gone[i : i + 500]).delete()
    Membership.objects.bulk_create(
        [
            Membership(user_id=u, unit_id=n, role=r)
            for (u, n), r in wanted.items()
            if (u, n) not in have
        ],
        batch_size=500,
    )
    role_changes = []
    for key, role in wanted.items():
        current = have.get(key)
        if current is not None and current.role != role:
            current.role = role
            role_changes.append(current)
    rows_update(Membership, role_changes, ["role"])
    result.memberships_changed = (
        len(gone) + len(role_changes) + sum(1 for key in wanted if key not in have)
    )

    # Leavers: imported people the source no longer has.
    leavers = [u.pk for ext, u in known.items() if ext not in snapshot.people and u.is_active]
    people_deactivate(ids=leavers, now=now)
    result.people_deactivated = len(leavers)

    # Imported units the source no longer has are archived, never deleted: what their teams
    # wrote stays, and they are offered nowhere any more.
    gone_units = [
        u.pk for ext, u in existing.items() if ext not in snapshot.units and u.archived_at is None
    ]
    for i in range(0, len(gone_units), 500):
        Unit.objects.filter(pk__in=gone_units[i : i + 500]).update(archived_at=now)
    result.units_archived = len(gone_units)

    audit_record(
        actor=actor,
        action="organisation.import",
        summary=source,
        data={**vars(result), "deactivated_ids": leavers, "archived_unit_ids": gone_units},
    )
    return result
