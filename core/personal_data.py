"""What Sparring holds about a person, kind by kind, and how long, in one registry.

Each app declares its kinds of personal data in its `personal_data.py`, which Django loads when
it starts (`CoreConfig.ready`). The page about a person's data, the copy of it, the deletion by
kind and the deletion deadlines all read this one list: a new kind cannot be forgotten,
because every model that relates to a person must be here, either as a kind or declared as
something else with the reason why (`not_personal`). The system check `sparring.E001` and a
test fail for a model that is neither. An app also declares the kinds of data an organisation
may set a deletion deadline for (`retention`), each with how its rows are deleted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = object


def delete_rows(rows: models.QuerySet[Any]) -> int:
    """Delete the rows (and what Django deletes with them); returns how many of the rows."""
    return rows.delete()[1].get(rows.model._meta.label, 0)


@dataclass(frozen=True)
class Kind:
    """One kind of personal data: the rows of `model` that are about a person."""

    # Stable: the export's file names and the retention settings are keyed by it.
    key: str
    # A plural noun in the reader's language: "Check-ins".
    label: StrOrPromise
    model: type[models.Model]
    # The lookup from a row to the person it is about: "owner", "recipients",
    # "thread__participants__user"; "id" for the person's own account; several when a row is
    # about a person by any of them.
    person: str | tuple[str, ...]
    # The page where the person reads them, if there is one without a parameter.
    url_name: str = ""
    # How the person deletes all of theirs at once, on the page about their data; None when
    # they cannot (it is not theirs alone, or is the organisation's record).
    erase: Callable[[models.QuerySet[Any]], int] | None = None
    # Columns a copy of the person's data leaves out: secrets, such as a token's hash.
    withheld: tuple[str, ...] = ()

    def rows_of(self, user: Any) -> models.QuerySet[Any]:
        """The rows of this kind about `user`, each once."""
        about = Q()
        for lookup in self.lookups:
            about |= Q(**{lookup: user.pk})
        rows = self.model._default_manager.filter(about)
        many = len(self.lookups) > 1 or _walk(self.model, self.lookups[0])[1]
        return rows.distinct() if many else rows

    @property
    def lookups(self) -> tuple[str, ...]:
        return (self.person,) if isinstance(self.person, str) else self.person


@dataclass(frozen=True)
class Area:
    """The kinds of one part of Sparring, as the page about a person's data groups them."""

    label: StrOrPromise
    kinds: tuple[Kind, ...]


@dataclass(frozen=True)
class Rule:
    """A kind of data an organisation may set a deletion deadline for: the rows of `model`
    older than the deadline, counted from `date_field`, are deleted by the worker."""

    # Stable: the administrators' settings are keyed by it.
    key: str
    label: StrOrPromise
    model: type[models.Model]
    date_field: str
    # Deletes the rows given and what belongs to them alone (a check-in's replies, say), and
    # returns how many of the rows were deleted.
    erase: Callable[[models.QuerySet[Any]], int] = delete_rows
    # Which of the model's rows the rule is about, when not all of them.
    where: Q = field(default_factory=Q)
    # The deadline when the organisation has set none. A kind with one always has a deadline:
    # it can be changed, not removed.
    default_days: int | None = None

    def past(self, deadline: datetime) -> models.QuerySet[Any]:
        """The rows older than `deadline`."""
        return self.model._default_manager.filter(
            self.where, **{f"{self.date_field}__lt": deadline}
        )


@dataclass
class _Registry:
    areas: list[Area] = field(default_factory=list)
    # Models that relate to a person but hold nothing that is theirs, and why.
    not_personal: dict[type[models.Model], str] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)


_registry = _Registry()


def register(label: StrOrPromise, *kinds: Kind) -> None:
    """Declare an area's kinds of personal data. A key is declared once."""
    keys = {kind.key for kind in all_kinds()}
    for kind in kinds:
        if kind.key in keys:
            raise ImproperlyConfigured(f"The kind of personal data {kind.key!r} is declared twice.")
        keys.add(kind.key)
    _registry.areas.append(Area(label, kinds))


def not_personal(model: type[models.Model], *, reason: str) -> None:
    """Declare that `model` relates to people without holding anything of theirs."""
    _registry.not_personal[model] = reason


def retention(*rules: Rule) -> None:
    """Declare kinds of data that may be given a deletion deadline. A key is declared in one
    call: several rules with the same key are one kind kept in several tables, under one
    deadline (the first rule's label and default)."""
    keys = {rule.key for rule in _registry.rules}
    for rule in rules:
        if rule.key in keys:
            raise ImproperlyConfigured(f"The retention rule {rule.key!r} is declared twice.")
    _registry.rules.extend(rules)


def rules_by_key() -> dict[str, list[Rule]]:
    """The rules grouped by the kind they keep, in the order they were declared."""
    found: dict[str, list[Rule]] = {}
    for rule in _registry.rules:
        found.setdefault(rule.key, []).append(rule)
    return found


def erasable(key: str) -> Kind | None:
    """The kind `key`, if a person may delete all of theirs at once."""
    return next((k for k in all_kinds() if k.key == key and k.erase is not None), None)


def areas() -> list[Area]:
    return list(_registry.areas)


def all_kinds() -> Iterator[Kind]:
    for area in _registry.areas:
        yield from area.kinds


def models_about_people() -> list[type[models.Model]]:
    """The project's models with a column or a link to a person (the user model included),
    and those with a link to a kind's row: a self-assessment's ratings are about its owner
    as much as the self-assessment is."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    kinds = {kind.model for kind in all_kinds()}
    found = []
    for model in apps.get_models():
        if model._meta.app_config.name.startswith("django."):
            continue
        if model is user_model or any(
            field.concrete
            and field.is_relation
            and (field.related_model is user_model or field.related_model in kinds)
            for field in model._meta.get_fields()
        ):
            found.append(model)
    return found


def undeclared() -> list[type[models.Model]]:
    """Models about people that are neither a kind of personal data nor declared otherwise."""
    declared = {kind.model for kind in all_kinds()} | set(_registry.not_personal)
    return [model for model in models_about_people() if model not in declared]


def _walk(model: type[models.Model], lookup: str) -> tuple[type[models.Model], bool]:
    """Where following `lookup` from `model` ends, and whether it can reach more than one row
    for a row on the way."""
    many = False
    for name in lookup.split(LOOKUP_SEP):
        step = model._meta.get_field(name)
        many = many or bool(step.many_to_many or step.one_to_many)
        if step.related_model is not None:
            model = step.related_model
    return model, many


@checks.register(checks.Tags.models)
def check_personal_data(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every model about people is declared, every kind's lookup leads to a person, and every
    kind's page is one."""
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{model._meta.label} relates to a person but is not declared in its app's "
            "personal_data.py.",
            hint="Register it as a kind of personal data (register) or say why it is not one "
            "(not_personal).",
            obj=model,
            id="sparring.E001",
        )
        for model in undeclared()
    ]
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for kind in all_kinds():
        for lookup in kind.lookups:
            try:
                reached = _walk(kind.model, lookup)[0]
            except FieldDoesNotExist:
                reached = None
            if reached is not user_model:
                errors.append(
                    checks.Error(
                        f"The kind {kind.key!r} reaches no person by {lookup!r}.",
                        obj=kind.model,
                        id="sparring.E002",
                    )
                )
        if kind.erase is not None and (
            len(kind.lookups) != 1
            or LOOKUP_SEP in kind.lookups[0]
            or _walk(kind.model, kind.lookups[0])[1]
        ):
            errors.append(
                checks.Error(
                    f"The kind {kind.key!r} may be deleted by the person, but its rows are not "
                    "theirs alone: only a kind found by one column of its own (owner, author) is.",
                    obj=kind.model,
                    id="sparring.E004",
                )
            )
        if kind.url_name:
            try:
                reverse(kind.url_name)
            except NoReverseMatch:
                errors.append(
                    checks.Error(
                        f"The kind {kind.key!r} names {kind.url_name!r}, not a page of its own.",
                        obj=kind.model,
                        id="sparring.E003",
                    )
                )
    return errors
