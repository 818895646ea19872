"""A choice's label from the labels kept once (core.choices) is what Django gives."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.utils import translation

from checkins.models import CheckIn
from core.access import Visibility
from core.choices import ChoiceLabels
from learning.models import Entry, EntryKind


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_label_is_djangos_in_the_language_active(cast, language):
    checkin = CheckIn(owner=cast.alice, visibility=Visibility.TEAM)
    entry = Entry(owner=cast.alice, visibility=Visibility.PRIVATE, kind=EntryKind.choices[0][0])
    assert CheckIn._get_FIELD_display is ChoiceLabels._get_FIELD_display
    for obj, name in ((checkin, "visibility"), (entry, "visibility"), (entry, "kind")):
        field = obj._meta.get_field(name)
        with translation.override(language):
            djangos = Model._get_FIELD_display(obj, field)
            assert getattr(obj, f"get_{name}_display")() == djangos
            assert djangos == str(dict(field.flatchoices)[getattr(obj, name)])
    # A value that is not among the choices is written as it is, as Django does.
    checkin.visibility = "unknown"
    assert checkin.get_visibility_display() == "unknown"
