"""The people picker's field: for everyone in the organisation it reads the people chosen by a
statement compiled once, and must answer as Django's own check would, person for person and
error for error."""

from __future__ import annotations

import pytest
from django import forms

from accounts.models import User
from core.forms import PeopleChoice, PeopleField


class _Form(PeopleChoice, forms.Form):
    people_fields = ("people",)
    people = PeopleField(queryset=User.objects.none(), required=False)


def _answers(person, value, *, compiled):
    form = _Form({"people": value}, person=person)
    form.fields["people"].everyone = compiled  # type: ignore[attr-defined]
    if form.is_valid():
        return [p.pk for p in form.cleaned_data["people"]]
    return [error.code for error in form.errors.as_data()["people"]]


@pytest.mark.parametrize(
    "value",
    [
        "people",  # everyone of the cast, by their ids below
        "one twice",
        "unknown",
        "not a number",
        "with spaces",
        "null",
        "empty",
        "far too long",
    ],
)
def test_the_compiled_check_answers_as_djangos(cast, value):
    everyone = sorted(User.objects.values_list("pk", flat=True))
    values = {
        "people": [str(pk) for pk in everyone],
        "one twice": [str(cast.bob.pk), str(cast.bob.pk)],
        "unknown": [str(cast.bob.pk), str(max(everyone) + 1000)],
        "not a number": [str(cast.bob.pk), "bob"],
        "with spaces": [f" {cast.bob.pk}"],
        "null": [f"{cast.bob.pk}\x00"],
        "empty": [],
        "far too long": ["9" * 30],
    }[value]
    compiled = _answers(cast.alice, values, compiled=True)
    if value == "far too long":
        # Django's check sends it to the database, which refuses it: a server error.
        assert compiled == ["invalid_choice"]
        return
    assert compiled == _answers(cast.alice, values, compiled=False)
    if value == "people":
        # In Django's order: the people's names.
        assert compiled == list(
            User.objects.order_by("first_name", "last_name", "username").values_list(
                "pk", flat=True
            )
        )
