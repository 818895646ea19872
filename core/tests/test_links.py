"""A link by ids is the URL `reverse` writes, under any script prefix."""

from __future__ import annotations

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.links import link


@pytest.mark.parametrize("prefix", ["/", "/sparring/"])
def test_a_link_is_what_reverse_writes(prefix: str) -> None:
    set_script_prefix(prefix)
    try:
        for pk in (1, 7, 90, 9_173_620_480, 2**40):
            assert link("checkins:detail", checkin_id=pk) == reverse(
                "checkins:detail", kwargs={"checkin_id": pk}
            )
            assert link("feedback:detail", pk) == reverse("feedback:detail", args=[pk])
        assert link("teamwork:goal_detail", unit_id=3, goal_id=45) == reverse(
            "teamwork:goal_detail", kwargs={"unit_id": 3, "goal_id": 45}
        )
        # Named in another order, the ids still go where their names say.
        assert link("teamwork:goal_detail", goal_id=45, unit_id=3) == reverse(
            "teamwork:goal_detail", kwargs={"unit_id": 3, "goal_id": 45}
        )
    finally:
        clear_script_prefix()
    assert link("checkins:detail", checkin_id=5).startswith("/checkins/")


def test_ids_by_position_or_by_name() -> None:
    with pytest.raises(TypeError):
        link("teamwork:goal_detail", 3, goal_id=45)
