"""A choice field's label as `get_<field>_display()` gives it, from the field's labels read once
a process: Django makes a dictionary of every choice anew on each call (20 to 25 µs), and a
list of forty entries or check-ins writes a label or two for each."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabels:
    """For a model: its fields' choices' labels, each field's read once. The same text as
    Django's `get_<field>_display()`, in the language active when it is called (the labels
    are kept untranslated); a field whose choices are worked out by a function is left to
    Django."""

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        labels = _labels(field)
        if labels is None:
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


@cache
def _labels(field: models.Field[Any, Any]) -> dict[Any, Any] | None:
    if not isinstance(field.choices, list | tuple):
        return None
    return dict(make_hashable(field.flatchoices))
