"""The access layer's subqueries of ids are written out in SQL, since Django took longer to put
each together from a queryset than the database takes to run it. Each must give exactly the
people or units its rule names, which the querysets below say in the ORM's words."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from accounts.models import User
from core.access import (
    colleague_ids,
    id_list,
    leader_ids_of,
    led_people_ids,
    led_unit_ids,
    unit_ids_of,
)
from organisation.models import Membership
from organisation.services import unit_create

LEADER = Membership.Role.LEADER


def _units_of(user: User) -> QuerySet[Any]:
    return Membership.objects.filter(user=user).values("unit_id")


def _led_units_of(user: User) -> QuerySet[Any]:
    return Membership.objects.filter(user=user, role=LEADER).values("unit_id")


RULES = {
    unit_ids_of: lambda user: _units_of(user).values_list("unit_id", flat=True),
    led_unit_ids: lambda user: _led_units_of(user).values_list("unit_id", flat=True),
    led_people_ids: lambda user: Membership.objects.filter(
        unit_id__in=_led_units_of(user)
    ).values_list("user_id", flat=True),
    leader_ids_of: lambda user: (
        Membership.objects.filter(unit_id__in=_units_of(user), role=LEADER)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    ),
    colleague_ids: lambda user: Membership.objects.filter(unit_id__in=_units_of(user)).values_list(
        "user_id", flat=True
    ),
}


@pytest.fixture
def people(cast: Any) -> list[User]:
    """The cast, with lena leading a second unit where bob also works and ada nowhere: people in
    two units, a leader of two, a leader who is a member elsewhere, and someone in none."""
    second = unit_create(actor=None, name="Projektet", parent=cast.organisation)
    kim = User.objects.create(username="kim", first_name="Kim", last_name="Kjær")
    Membership.objects.bulk_create(
        [
            Membership(user=cast.lena, unit=second, role=LEADER),
            Membership(user=cast.bob, unit=second),
            Membership(user=kim, unit=second, role=LEADER),
            Membership(user=kim, unit=cast.other_team),
        ]
    )
    return [cast.alice, cast.bob, cast.lena, cast.ada, cast.eve, kim]


@pytest.mark.parametrize("rule", list(RULES), ids=lambda rule: rule.__name__)
def test_each_subquery_gives_what_its_rule_names(rule: Any, people: list[User]) -> None:
    found_any = False
    for person in people:
        expected = sorted(RULES[rule](person))
        assert sorted(id_list(rule(person))) == expected, person.username
        found_any = found_any or bool(expected)
    assert found_any


def test_a_subquery_filters_a_query(people: list[User]) -> None:
    """As a condition inside a query, which is how the access layer uses them."""
    alice, bob, lena, ada, eve, _kim = people
    assert set(User.objects.filter(pk__in=colleague_ids(alice))) == {alice, bob, lena}
    assert set(User.objects.exclude(pk__in=leader_ids_of(bob))) == {alice, bob, ada, eve}
