"""The team picture, anonymous: per focus area how many assessed themselves at each level, how
many want to develop it and how many could teach others, and the activities planned by kind.
Never a name, and only what the monthly count kept (development.picture_services): the
figures of the groups the anonymity engine shows, with the same k, complementary suppression
and roll-up into the unit above as the wellbeing results. A unit whose group is hidden sees
the figures of the nearest shown unit above it, and the page says so.

A leader reads the picture of a unit they lead and of the units below it; an administrator
reads every unit's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.http import Http404

from accounts.models import User
from core.access import led_unit_ids
from development.models import ActivityKind, Area, PictureCount, PictureUnit
from development.tally import LEVELS, Figures
from organisation.models import Unit, path_ids


@dataclass(frozen=True)
class AreaRow:
    """One focus area in a group: how many chose each level (1 to 4), how many want to
    develop it, and how many could teach others (level 4 and willing)."""

    name: str
    levels: tuple[int, ...]
    wants: int
    could_teach: int

    @property
    def rated(self) -> int:
        return sum(self.levels)

    @property
    def level_counts(self) -> list[tuple[int, int]]:
        """(level, how many) for each level of the scale."""
        return list(enumerate(self.levels, start=1))


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class UnitBelow:
    """A unit directly below the one shown: its group's respondents if it is shown itself,
    None when its figures are part of a group above."""

    unit_id: int
    name: str
    respondents: int | None
    has_units_below: bool


@dataclass(frozen=True)
class TeamPicture:
    unit_id: int
    name: str
    # The ancestors of the unit, from the top: (id, name).
    above: list[tuple[int, str]]
    # The count read; None before the first count.
    month: date | None
    counted_at: datetime | None
    k: int | None
    # The unit whose figures are shown: the unit itself, or the nearest shown unit above it;
    # None when no group may be shown.
    group_id: int | None
    group_name: str
    respondents: int | None
    areas: list[AreaRow]
    activities: list[KindRow]
    below: list[UnitBelow]
    # For the administrator at the top of the tree: the other units at the top, (id, name),
    # when the organisation has more than one.
    beside: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rolled_up(self) -> bool:
        return self.group_id is not None and self.group_id != self.unit_id

    @property
    def could_teach(self) -> int:
        return sum(area.could_teach for area in self.areas)

    @property
    def activities_planned(self) -> int:
        return sum(row.count for row in self.activities)

    @property
    def largest_level_count(self) -> int:
        return max((count for area in self.areas for count in area.levels), default=0)


def latest_count() -> PictureCount | None:
    return PictureCount.objects.select_related("framework").order_by("-month").first()


def picture_of(unit: Unit) -> TeamPicture:
    """The team picture of `unit` (with everything below it) from the latest count: its
    group's figures, and the units directly below it with their own respondents where they
    are shown. The caller has checked that the reader may open the unit. At most six
    queries."""
    above = list(unit.ancestors().values_list("pk", "name"))
    count = latest_count()
    if count is None:
        return TeamPicture(unit.pk, unit.name, above, None, None, None, None, "", None, [], [], [])
    # The unit's row and its ancestors' rows as the tree stands: the group is one of them,
    # unless the unit has moved since the count.
    rows = {
        row.unit_id: row
        for row in PictureUnit.objects.filter(count=count, unit_id__in=path_ids(unit.path))
    }
    own = rows.get(unit.pk)
    group_id = own.group_id if own is not None else None
    group = rows.get(group_id) if group_id is not None else None
    if group_id is not None and group is None:
        group = PictureUnit.objects.filter(count=count, unit_id=group_id).first()
    areas: list[AreaRow] = []
    activities: list[KindRow] = []
    if group is not None and group.figures is not None and group.respondents is not None:
        figures = Figures.from_json(group.respondents, group.figures)
        for area in Area.objects.filter(framework_id=count.framework_id).order_by("position"):
            counts = figures.areas.get(area.key)
            areas.append(
                AreaRow(area.name, counts.levels, counts.wants, counts.could_teach)
                if counts is not None
                else AreaRow(area.name, (0,) * LEVELS, 0, 0)
            )
        activities = [
            KindRow(str(value), str(label), figures.activities.get(str(value), 0))
            for value, label in ActivityKind.choices
        ]
    return TeamPicture(
        unit_id=unit.pk,
        name=unit.name,
        above=above,
        month=count.month,
        counted_at=count.counted_at,
        k=count.k,
        group_id=group.unit_id if group is not None and group.figures is not None else None,
        group_name=group.name if group is not None else "",
        respondents=group.respondents if group is not None else None,
        areas=areas,
        activities=activities,
        below=_below(count, unit.pk),
    )


def _below(count: PictureCount, unit_id: int) -> list[UnitBelow]:
    children = list(
        PictureUnit.objects.filter(count=count, parent_id=unit_id)
        .order_by("name", "unit_id")
        .values_list("unit_id", "name", "group_id", "respondents")
    )
    if not children:
        return []
    with_units_below = set(
        PictureUnit.objects.filter(count=count, parent_id__in=[child[0] for child in children])
        .values_list("parent_id", flat=True)
        .distinct()
    )
    return [
        UnitBelow(pk, name, respondents if group == pk else None, pk in with_units_below)
        for pk, name, group, respondents in children
    ]


def for_leaders_picture(user: User, unit_id: int) -> TeamPicture:
    """The picture of a unit `user` leads, or of a unit below one they lead; 404 for any
    other unit, and for anyone who leads none."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    led = Unit.objects.filter(pk__in=led_unit_ids(user)).values_list("path", flat=True)
    if not any(unit.path.startswith(path) for path in led):
        raise Http404
    return picture_of(unit)


def for_administrators_picture(open_id: int | None) -> TeamPicture:
    """The picture of the unit `open_id`, or without it of the top of the tree (the first
    unit at the top, with links to the others if there are more); 404 for an id of no unit,
    and when there are no units."""
    units = Unit.objects.all()
    unit = (
        units.filter(parent__isnull=True).order_by("path").first()
        if open_id is None
        else units.filter(pk=open_id).first()
    )
    if unit is None:
        raise Http404
    shown = picture_of(unit)
    if unit.parent_id is not None:
        return shown
    beside = units.filter(parent__isnull=True).exclude(pk=unit.pk).order_by("name", "pk")
    return replace(shown, beside=list(beside.values_list("pk", "name")))
