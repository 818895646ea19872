"""Reads of the page about a person's data, from the registry of kinds (core.personal_data):
this app imports no feature app, and a kind declared there is on the page without a change
here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from accounts.models import User
from core import personal_data
from privacy.models import DataExport

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


@dataclass(frozen=True)
class KindHeld:
    key: str
    label: StrOrPromise
    count: int
    # Where the person reads them, or "" for a kind without a page of its own.
    url: str
    # Whether the person may delete all of theirs at once.
    erasable: bool = False


@dataclass(frozen=True)
class AreaHeld:
    label: StrOrPromise
    kinds: list[KindHeld]


@dataclass(frozen=True)
class MyData:
    # The areas of which Sparring holds something about the person, with those kinds only.
    areas: list[AreaHeld]
    # The kinds of which it holds nothing about them, so the page says what else there could be.
    none: list[KindHeld]

    @property
    def kinds(self) -> list[KindHeld]:
        return [kind for area in self.areas for kind in area.kinds] + self.none


def for_my_data(user: User) -> MyData:
    """Every kind of personal data Sparring holds about `user`, by area, with how many rows of
    each: one count per kind."""
    areas: list[AreaHeld] = []
    none: list[KindHeld] = []
    for area in personal_data.areas():
        held: list[KindHeld] = []
        for kind in area.kinds:
            url = reverse(kind.url_name) if kind.url_name else ""
            count = kind.rows_of(user).count()
            found = KindHeld(kind.key, kind.label, count, url, kind.erase is not None)
            (held if found.count else none).append(found)
        if held:
            areas.append(AreaHeld(area.label, held))
    return MyData(areas, none)


def latest_export(user: User, *, with_archive: bool = False) -> DataExport | None:
    """The person's newest copy of their data, if any; its zip only when asked for."""
    mine = DataExport.objects.filter(person=user).order_by("-requested_at", "-pk")
    return (mine if with_archive else mine.defer("archive")).first()
