"""The team picture's figures, decided by the anonymity engine: plain Python with no Django, so
it is property-tested in milliseconds (development/tests/test_picture_anonymity.py).

Each respondent (a person with a self-assessment in the period) belongs to exactly one unit.
The engine (`pulse.anonymity.disclose`) decides from the number of respondents per unit which
groups (a unit with everything below it) may be shown, with the same k, complementary
suppression and roll-up into the unit above as the wellbeing results. Every figure of a shown
group (each area's levels, how many want to develop it, how many could teach it, and the
activities by kind) is a sum over exactly that group's respondents, so whatever can be worked
out by subtracting shown groups from each other is a sum over at least k respondents, or
over none. Of a hidden group nothing is kept at all: not a figure, not a number of people.

Activities are counted only for respondents: a person with a plan and no self-assessment is
no respondent, and counting their activities would let parent minus child show what one
person plans."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pulse.anonymity import Disclosure, disclose, roll_up

Node = TypeVar("Node", bound=Hashable)

# The scale of every area, 1 to 4 (development.models.LEVELS).
LEVELS = 4


@dataclass(frozen=True)
class Respondent(Generic[Node]):
    """One person's latest self-assessment, without who they are: the unit they count in, per
    area key their level and whether they want to develop it and could teach it, and how
    many activities of each kind they have planned or under way."""

    unit: Node
    ratings: Mapping[str, tuple[int, bool, bool]]
    activities: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaCounts:
    """One area's figures in a group: how many chose each level (1 to 4), how many want to
    develop it, and how many are at level 4 and could teach others."""

    levels: tuple[int, ...]
    wants: int
    could_teach: int

    @property
    def rated(self) -> int:
        return sum(self.levels)


@dataclass(frozen=True)
class Figures:
    """What is shown of one group."""

    respondents: int
    areas: dict[str, AreaCounts]
    activities: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return {
            "areas": {
                key: [*counts.levels, counts.wants, counts.could_teach]
                for key, counts in self.areas.items()
            },
            "activities": dict(self.activities),
        }

    @classmethod
    def from_json(cls, respondents: int, data: Mapping[str, object]) -> Figures:
        areas: Mapping[str, Sequence[int]] = data.get("areas", {})  # type: ignore[assignment]
        activities: Mapping[str, int] = data.get("activities", {})  # type: ignore[assignment]
        return cls(
            respondents,
            {
                key: AreaCounts(tuple(row[:LEVELS]), row[LEVELS], row[LEVELS + 1])
                for key, row in areas.items()
            },
            dict(activities),
        )


@dataclass(frozen=True)
class Tally(Generic[Node]):
    """The engine's decision, and the figures of every shown group (and of no other)."""

    disclosure: Disclosure[Node]
    figures: dict[Node, Figures]


def tally(
    *,
    parent: Mapping[Node, Node | None],
    respondents: Iterable[Respondent[Node]],
    area_keys: Sequence[str],
    kinds: Sequence[str],
    k: int,
) -> Tally[Node]:
    """Count the respondents into their units, let the engine decide which groups may be
    shown, and roll each unit's counters up the tree once. Ratings of areas not in
    `area_keys` and activities of kinds not in `kinds` are not counted; a level outside the
    scale is a ValueError, as is a respondent in a unit that is not in the tree."""
    # One row of counters per unit: per area its four levels, wanting and teaching, then one
    # counter per kind of activity.
    area_at = {key: i * (LEVELS + 2) for i, key in enumerate(area_keys)}
    kind_at = {kind: len(area_keys) * (LEVELS + 2) + i for i, kind in enumerate(kinds)}
    width = len(area_keys) * (LEVELS + 2) + len(kinds)
    direct: dict[Node, list[int]] = {}
    people: dict[Node, int] = {}
    for person in respondents:
        if person.unit not in parent:
            raise ValueError(f"{person.unit!r} is not in the tree")
        row = direct.setdefault(person.unit, [0] * width)
        people[person.unit] = people.get(person.unit, 0) + 1
        for key, (level, wants, teach) in person.ratings.items():
            if key not in area_at:
                continue
            if not 1 <= level <= LEVELS:
                raise ValueError(f"A level must be 1 to {LEVELS}, not {level}")
            at = area_at[key]
            row[at + level - 1] += 1
            row[at + LEVELS] += int(wants)
            # "Could teach others" is level 4 and willing.
            row[at + LEVELS + 1] += int(teach and level == LEVELS)
        for kind, count in person.activities.items():
            if kind in kind_at and count > 0:
                row[kind_at[kind]] += count
    disclosure = disclose(parent=parent, direct=people, k=k)
    rolled = roll_up(parent, direct, width=width)
    figures = {}
    for group in disclosure.shown:
        row = rolled[group]
        figures[group] = Figures(
            disclosure.totals[group],
            {
                key: AreaCounts(
                    tuple(row[at : at + LEVELS]), row[at + LEVELS], row[at + LEVELS + 1]
                )
                for key, at in area_at.items()
            },
            {kind: row[at] for kind, at in kind_at.items()},
        )
    return Tally(disclosure, figures)
