"""Writes of the development app. Every function takes the moment it acts at (`now`) where
time matters, checks who acts, and raises DevelopmentError with a message in the user's
language when the change cannot be made; nothing is changed then."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from accounts.models import User
from development.defaults import DEFAULT_AREAS
from development.models import Area, Framework


class DevelopmentError(ValueError):
    """A change that cannot be made, with a message for the person who tried."""


# --- The framework -----------------------------------------------------------------------------


def framework_current() -> Framework:
    """The current framework; the first time, version 1 from the handbook's six focus areas."""
    framework = Framework.objects.filter(is_current=True).first()
    if framework is not None:
        return framework
    try:
        with transaction.atomic():
            return _framework_make(
                version=1,
                areas=[
                    AreaText(
                        key=area["key"],
                        name_da=area["name"]["da"],
                        name_en=area["name"]["en"],
                        description_da=area["description"]["da"],
                        description_en=area["description"]["en"],
                        levels_da=[level["da"] for level in area["levels"]],
                        levels_en=[level["en"] for level in area["levels"]],
                    )
                    for area in DEFAULT_AREAS
                ],
                by=None,
            )
    except IntegrityError:
        # Another request made it at the same moment.
        return Framework.objects.get(is_current=True)


@dataclass(frozen=True)
class AreaText:
    """An area's words, as an editor or the defaults give them: the levels' descriptions,
    level 1 first."""

    key: str
    name_da: str
    name_en: str
    description_da: str
    description_en: str
    levels_da: Sequence[str]
    levels_en: Sequence[str]


def _framework_make(*, version: int, areas: Sequence[AreaText], by: User | None) -> Framework:
    Framework.objects.filter(is_current=True).update(is_current=False)
    framework = Framework.objects.create(version=version, is_current=True, created_by=by)
    Area.objects.bulk_create(
        Area(
            framework=framework,
            key=area.key,
            position=position,
            name_da=area.name_da.strip(),
            name_en=area.name_en.strip(),
            description_da=area.description_da.strip(),
            description_en=area.description_en.strip(),
            levels_da=[level.strip() for level in area.levels_da],
            levels_en=[level.strip() for level in area.levels_en],
        )
        for position, area in enumerate(areas, 1)
    )
    return framework
