"""`reach_of`, the units whose team page a person may open as the team page tests them in
Python, is `Unit.objects.visible_to` unit for unit, for every kind of person."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from organisation.models import Membership, Unit
from organisation.selectors import reach_of
from organisation.services import unit_create


def test_the_reach_is_what_visible_to_lets_through_for_everyone(cast):
    # A tree with depth: a unit below the team, one below that, an archived one, and a
    # unit whose path starts like the team's path but lies elsewhere.
    below = unit_create(actor=None, name="Under sekretariatet", parent=cast.team)
    deeper = unit_create(actor=None, name="Længere nede", parent=below)
    archived = unit_create(actor=None, name="Nedlagt", parent=below)
    Unit.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    elsewhere = unit_create(actor=None, name="Et andet sted", parent=cast.other_team)
    Membership.objects.create(user=cast.eve, unit=below, role=Membership.Role.LEADER)
    Membership.objects.create(user=cast.bob, unit=deeper)
    gone = User.objects.create(username="gone", is_active=False)
    Membership.objects.create(user=gone, unit=cast.team, role=Membership.Role.LEADER)
    nobody = User.objects.create(username="nobody")
    units = list(Unit.objects.all())
    assert elsewhere in units and len(units) == 7
    for person in (
        cast.alice,
        cast.bob,
        cast.lena,
        cast.eve,
        cast.ada,
        gone,
        nobody,
        AnonymousUser(),
    ):
        reach = reach_of(person)
        opened = {unit.pk for unit in units if reach.opens(unit)}
        assert opened == set(Unit.objects.visible_to(person).values_list("pk", flat=True)), person
    # The leader of the team opens all below it, a member only her own.
    assert reach_of(cast.lena).opens(deeper) and not reach_of(cast.alice).opens(below)
