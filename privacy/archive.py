"""The copy of a person's data: every kind of the registry (core.personal_data) read for the
person and written three ways into one zip: `data.json` (valid against `schema.json`, which
is made from the same registry and published at /my-data/schema.json), a CSV file per kind,
and a readable summary in the person's language.

Each kind's columns are its model's own, and its links to other rows are their ids; the people
those ids name are listed once, by name, under `people`. Nothing else is read: a kind's rows
are those the registry says are about the person, and nothing of another kind's."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User
from core.personal_data import Kind, all_kinds, areas
from core.spreadsheet import as_text

# The schema's name; it is served at /my-data/schema.json and lies beside data.json in a copy.
SCHEMA_ID = "urn:sparring:schema:my-data:1"
# The person's own account: what they can read about themself, never the password's hash.
ACCOUNT_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "language",
    "is_active",
    "is_administrator",
    "date_joined",
    "last_login",
)

Progress = Callable[[int, int], None]


def columns(kind: Kind) -> list[models.Field[Any, Any]]:
    """The model's columns a copy holds, in the model's order."""
    fields = [
        field
        for field in kind.model._meta.concrete_fields
        if not isinstance(field, models.BinaryField) and field.name not in kind.withheld
    ]
    if kind.model is _user_model():
        fields = [field for field in fields if field.name in ACCOUNT_FIELDS]
    return fields


def links(kind: Kind) -> list[models.ManyToManyField[Any, Any]]:
    """The model's links to several rows (shared with, recipients, values), written as ids."""
    return [link for link in kind.model._meta.local_many_to_many if link.name not in kind.withheld]


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def rows_of(kind: Kind, user: User) -> list[dict[str, Any]]:
    """The kind's rows about `user`, each as its columns' values (ids for links), oldest
    first: one query, and one more per link to several rows."""
    names = [field.attname for field in columns(kind)]
    rows = [
        {name: _value(value) for name, value in row.items()}
        for row in kind.rows_of(user).order_by("pk").values(*names)
    ]
    for link in links(kind):
        through = link.remote_field.through
        assert through is not None  # Django makes one for every link to several rows
        source = link.m2m_field_name()
        target = link.m2m_reverse_field_name()
        found: dict[int, list[int]] = {}
        for row_id, other_id in (
            through._default_manager.filter(**{f"{source}__in": kind.rows_of(user).values("pk")})
            .order_by(target)
            .values_list(f"{source}_id", f"{target}_id")
        ):
            found.setdefault(row_id, []).append(other_id)
        for row in rows:
            row[link.name] = found.get(row["id"], [])
    return rows


def _people_named(data: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Everyone the rows name by id, by their name as Sparring shows it."""
    user_model = _user_model()
    ids: set[int] = set()
    for kind in all_kinds():
        person_columns = [f.attname for f in columns(kind) if f.related_model is user_model]
        person_links = [f.name for f in links(kind) if f.related_model is user_model]
        for row in data[kind.key]:
            ids.update(row[name] for name in person_columns if row[name] is not None)
            for name in person_links:
                ids.update(row[name])
    people = User.objects.filter(pk__in=ids).order_by("pk")
    return {str(person.pk): person.display_name for person in people}


def export_data(user: User, *, now: datetime, progress: Progress) -> dict[str, Any]:
    """Everything the registry holds about `user`, as `data.json` has it."""
    kinds = list(all_kinds())
    data: dict[str, list[dict[str, Any]]] = {}
    for done, kind in enumerate(kinds, 1):
        data[kind.key] = rows_of(kind, user)
        progress(done, len(kinds))
    return {
        "$schema": SCHEMA_ID,
        "person": user.pk,
        "exported_at": now.isoformat(),
        "kinds": data,
        "people": _people_named(data),
    }


def _csv(rows: list[dict[str, Any]], header: list[str]) -> bytes:
    """One kind's rows as a CSV file Danish spreadsheets open as they are: semicolons and a
    byte-order mark, and nothing a spreadsheet would run as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        cells = []
        for name in header:
            value = row[name]
            if isinstance(value, list):
                value = " ".join(str(item) for item in value)
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            cells.append(as_text("" if value is None else str(value)))
        writer.writerow(cells)
    return out.getvalue().encode()


def export_archive(user: User, *, now: datetime, language: str, progress: Progress) -> bytes:
    """The zip of a person's copy: data.json, schema.json, csv/<kind>.csv and the summary."""
    data = export_data(user, now=now, progress=progress)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        archive.writestr("data.json", text)
        archive.writestr("schema.json", json.dumps(export_schema(), indent=2))
        for kind in all_kinds():
            header = [f.attname for f in columns(kind)] + [f.name for f in links(kind)]
            archive.writestr(f"csv/{kind.key}.csv", _csv(data["kinds"][kind.key], header))
        with translation.override(language):
            archive.writestr(
                "oversigt.txt" if language == "da" else "summary.txt",
                render_to_string(
                    "privacy/export_summary.txt",
                    {
                        "person": user,
                        "now": now,
                        "areas": [
                            (area.label, [(k, len(data["kinds"][k.key])) for k in area.kinds])
                            for area in areas()
                        ],
                    },
                ),
            )
    return buffer.getvalue()


# --- The schema ------------------------------------------------------------------------------

_TYPES = {
    "AutoField": "integer",
    "BigAutoField": "integer",
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "PositiveBigIntegerField": "integer",
    "ForeignKey": "integer",
    "OneToOneField": "integer",
    "BooleanField": "boolean",
    "FloatField": "number",
}
_FORMATS = {"DateTimeField": "date-time", "DateField": "date"}


def _property(field: models.Field[Any, Any]) -> dict[str, Any]:
    kind = field.get_internal_type()
    if kind == "JSONField":
        schema: dict[str, Any] = {}
    else:
        schema = {"type": _TYPES.get(kind, "string")}
        if kind in _FORMATS:
            schema["format"] = _FORMATS[kind]
    if field.null and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    description = str(field.verbose_name)
    if field.is_relation:
        description += f" (id, {field.related_model._meta.label})"  # type: ignore[union-attr]
    schema["description"] = description
    return schema


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `data.json`, made from the registry: a kind's rows
    have its columns and links, each typed by its field. English, like the field names."""
    kinds = {}
    with translation.override("en"):
        for kind in all_kinds():
            properties = {field.attname: _property(field) for field in columns(kind)}
            for link in links(kind):
                properties[link.name] = {
                    "type": "array",
                    "items": {"type": "integer"},
                    "description": f"{link.verbose_name} (ids, {link.related_model._meta.label})",
                }
            kinds[kind.key] = {
                "description": str(kind.label),
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": properties,
                    "required": list(properties),
                    "additionalProperties": False,
                },
            }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Sparring: a copy of one person's data",
        "type": "object",
        "properties": {
            "$schema": {"const": SCHEMA_ID},
            "person": {"type": "integer", "description": "The person's id"},
            "exported_at": {"type": "string", "format": "date-time"},
            "kinds": {
                "type": "object",
                "properties": kinds,
                "required": list(kinds),
                "additionalProperties": False,
            },
            "people": {
                "type": "object",
                "description": "Everyone the rows name by id, by their name",
                "additionalProperties": {"type": "string"},
            },
        },
        "required": ["$schema", "person", "exported_at", "kinds", "people"],
        "additionalProperties": False,
    }
