"""The team picture against every way of subtracting shown groups from each other, judged
like the wellbeing engine (pulse/tests/test_anonymity.py): over random trees, people, k and
self-assessments, no figure of a set of 1 to k-1 respondents follows from the figures shown.

Two judges. Every figure of a shown group must be the sum over exactly that group's
respondents, recomputed here person by person; then what subtraction (any linear
combination) can isolate is a combination of units' respondents, which the wellbeing
engine's judge checks with linear algebra that knows nothing of trees. The first test runs
on the counting alone, the second through the database: the monthly count, and the rows the
pages read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from conftest import FROZEN_AT
from development.models import (
    Activity,
    ActivityKind,
    DevelopmentPlan,
    PictureUnit,
    Rating,
    SelfAssessment,
)
from development.picture_services import picture_count
from development.services import framework_current
from development.tally import LEVELS, Figures, Respondent, tally
from organisation.models import Membership
from organisation.services import unit_create
from pulse.anonymity import MIN_K
from pulse.tests.test_anonymity import _subtree, derivable_small_groups

KEYS = ["a", "b", "c"]
KINDS = ["kursus", "sparring"]


@st.composite
def pictures(draw: Any, max_units: int = 8, max_people: int = 24) -> Any:
    size = draw(st.integers(min_value=1, max_value=max_units))
    parent: dict[int, int | None] = {0: None}
    for node in range(1, size):
        parent[node] = draw(st.integers(min_value=0, max_value=node - 1))
    rating = st.tuples(st.integers(1, LEVELS), st.booleans(), st.booleans())
    person = st.builds(
        Respondent,
        unit=st.sampled_from(sorted(parent)),
        # Some areas unrated: an assessment of an older framework.
        ratings=st.dictionaries(st.sampled_from(KEYS), rating),
        activities=st.dictionaries(st.sampled_from(KINDS), st.integers(0, 3)),
    )
    people = draw(st.lists(person, max_size=max_people))
    k = draw(st.integers(min_value=MIN_K, max_value=7))
    return parent, people, k


def _expected(parent: dict[int, int | None], people: list[Respondent[int]], group: int) -> Figures:
    """A group's figures, person by person."""
    members = _subtree(parent, group)
    inside = [person for person in people if person.unit in members]
    areas: dict[str, Any] = {}
    for key in KEYS:
        levels = [0] * LEVELS
        wants = teach = 0
        for person in inside:
            if key in person.ratings:
                level, wanted, willing = person.ratings[key]
                levels[level - 1] += 1
                wants += wanted
                teach += willing and level == LEVELS
        areas[key] = [*levels, wants, teach]
    activities = {kind: sum(p.activities.get(kind, 0) for p in inside) for kind in KINDS}
    return Figures.from_json(len(inside), {"areas": areas, "activities": activities})


def _judge(
    parent: dict[int, int | None],
    people: list[Respondent[int]],
    k: int,
    shown: dict[int, Figures],
) -> None:
    for group, figures in shown.items():
        assert figures.respondents >= k
        assert figures == _expected(parent, people, group)
    direct: dict[int, int] = {}
    for person in people:
        direct[person.unit] = direct.get(person.unit, 0) + 1
    assert derivable_small_groups(parent, direct, set(shown), k) == []


@settings(max_examples=400, deadline=None)
@given(pictures())
def test_no_figure_of_fewer_than_k_people_follows_from_the_picture(case: Any) -> None:
    parent, people, k = case
    counted = tally(parent=parent, respondents=people, area_keys=KEYS, kinds=KINDS, k=k)
    assert set(counted.figures) == set(counted.disclosure.shown)
    _judge(parent, people, k, counted.figures)
    for node in parent:
        group = counted.disclosure.shown_group_for(node)
        assert group is None or node in _subtree(parent, group)


def test_a_level_outside_the_scale_is_refused() -> None:
    for level in (0, LEVELS + 1):
        try:
            tally(
                parent={0: None},
                respondents=[Respondent(0, {"a": (level, False, False)})],
                area_keys=KEYS,
                kinds=KINDS,
                k=MIN_K,
            )
        except ValueError as error:
            assert "1 to 4" in str(error)
        else:
            raise AssertionError(f"level {level} was counted")


# --- Through the database --------------------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pictures(max_units=6, max_people=18))
def test_the_monthly_count_keeps_no_figure_of_fewer_than_k_people(db: None, case: Any) -> None:
    parent, people, k = case
    with transaction.atomic():
        framework = framework_current()
        areas = {area.key: area for area in framework.areas.all()}
        keys = list(areas)[: len(KEYS)]
        units: dict[int, Any] = {}
        for node, up in parent.items():
            units[node] = unit_create(
                actor=None, name=f"Enhed {node}", parent=units[up] if up is not None else None
            )
        for n, person in enumerate(people):
            user = User.objects.create(username=f"p{n}")
            Membership.objects.create(user=user, unit=units[person.unit])
            assessment = SelfAssessment.objects.create(
                owner=user, framework=framework, assessed_at=FROZEN_AT - timedelta(days=n + 1)
            )
            Rating.objects.bulk_create(
                Rating(
                    assessment=assessment,
                    area=areas[keys[KEYS.index(key)]],
                    level=level,
                    wants_to_develop=wants,
                    could_teach=teach,
                )
                for key, (level, wants, teach) in person.ratings.items()
            )
            plan = DevelopmentPlan.objects.create(owner=user, title="Plan")
            Activity.objects.bulk_create(
                Activity(plan=plan, kind=kind, title="Aktivitet")
                for kind, number in person.activities.items()
                for _ in range(number)
            )
        with override_settings(SPARRING_ANONYMITY_K=k):
            count = picture_count(now=FROZEN_AT)

        node_of = {unit.pk: node for node, unit in units.items()}
        shown: dict[int, Figures] = {}
        for row in PictureUnit.objects.filter(count=count):
            node = node_of[row.unit_id]
            if row.figures is None:
                assert row.respondents is None
                continue
            assert row.respondents is not None and row.group_id == row.unit_id
            figures = Figures.from_json(row.respondents, row.figures)
            # Back from the framework's keys to the drawn ones.
            shown[node] = Figures(
                figures.respondents,
                {key: figures.areas[keys[i]] for i, key in enumerate(KEYS)},
                {kind: figures.activities[kind] for kind in KINDS},
            )
        _judge(parent, people, k, shown)
        assert {str(kind) for kind in ActivityKind.values} >= set(KINDS)
        transaction.set_rollback(True)
