"""The leader's week reads this week's shared check-ins through a compiled query: the week, a
date, must reach the database as Django writes it (text on SQLite), for every week asked."""

from __future__ import annotations

from datetime import timedelta

from checkins.models import CheckIn, week_of
from checkins.selectors import _shared_in_week, shared_with_me
from conftest import FROZEN_AT, Cast
from core.access import Visibility


def test_the_shared_check_ins_of_a_week_are_those_the_orm_finds(cast: Cast) -> None:
    this_week = week_of(FROZEN_AT.date())
    last_week = this_week - timedelta(weeks=1)
    for owner, week, visibility in [
        (cast.alice, this_week, Visibility.LEADER),
        (cast.bob, this_week, Visibility.TEAM),
        (cast.alice, last_week, Visibility.TEAM),
        (cast.bob, last_week, Visibility.PRIVATE),
        (cast.eve, this_week, Visibility.TEAM),
    ]:
        CheckIn.objects.create(owner=owner, week=week, went_well="x", visibility=visibility)
    for reader in (cast.lena, cast.alice, cast.bob, cast.eve):
        for week in (this_week, last_week, last_week - timedelta(weeks=1)):
            found = _shared_in_week(reader_id=reader.pk, week=week)
            assert found == list(shared_with_me(reader).filter(week=week)), (reader, week)
    assert {c.owner for c in _shared_in_week(reader_id=cast.lena.pk, week=this_week)} == {
        cast.alice,
        cast.bob,
    }
    assert [c.owner for c in _shared_in_week(reader_id=cast.bob.pk, week=last_week)] == [cast.alice]
