"""A choice's label from the labels kept once (core.choices) is what Django gives: a person's
content (a check-in) and a team's goal."""

from __future__ import annotations

import pytest
from django.db.models import Field, Model
from django.utils import translation

from checkins.models import CheckIn, Energy
from core.access import Visibility
from core.choices import ChoiceLabels
from teamwork.models import Goal


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_label_is_djangos_in_the_language_active(cast, language):
    checkin = CheckIn(owner=cast.alice, visibility=Visibility.TEAM, energy=Energy.GOOD)
    goal = Goal(title="Mål", owner=cast.alice, status=Goal.Status.AT_RISK)
    assert CheckIn._get_FIELD_display is ChoiceLabels._get_FIELD_display
    assert Goal._get_FIELD_display is ChoiceLabels._get_FIELD_display
    for obj, name in ((checkin, "visibility"), (checkin, "energy"), (goal, "status")):
        field = obj._meta.get_field(name)
        assert isinstance(field, Field)
        with translation.override(language):
            djangos = Model._get_FIELD_display(obj, field)  # type: ignore[attr-defined]
            assert getattr(obj, f"get_{name}_display")() == djangos
            assert djangos == str(dict(field.flatchoices)[getattr(obj, name)])
    # A value that is not among the choices is written as it is, as Django does.
    checkin.visibility = "unknown"
    assert checkin.get_visibility_display() == "unknown"
