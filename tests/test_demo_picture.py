"""The demo organisation of `make run` has a team picture: the secretariat's self-assessments,
counted for the month."""

from __future__ import annotations

from accounts.models import User
from conftest import FROZEN_AT
from development.picture import for_leaders_picture, picture_of
from home.demo import demo_create
from organisation.models import Unit


def test_the_demo_has_a_picture_of_the_secretariat(db: None) -> None:
    demo_create(size="small", now=FROZEN_AT)

    mette = User.objects.get(username="mette")
    secretariat = Unit.objects.get(name="Sekretariatet")
    picture = for_leaders_picture(mette, secretariat.pk)
    assert picture.group_id == secretariat.pk and picture.respondents == 8
    assert sum(row.count for row in picture.activities) == 6
    # The community's three did not assess themselves: their picture is the nearest shown
    # unit above, the whole of OS2, whose eight are the secretariat's.
    community = picture_of(Unit.objects.get(name="OS2mo-fællesskabet"))
    assert community.rolled_up and community.respondents == 8
