"""The values field reads the values chosen by a statement compiled once, and answers as
Django's own field would, value for value and error for error: only values in use count."""

from __future__ import annotations

import pytest
from django import forms

from organisation.forms import ValuesField
from organisation.models import Value


class _Compiled(forms.Form):
    values = ValuesField(required=False)


class _Djangos(forms.Form):
    values = forms.ModelMultipleChoiceField(
        queryset=Value.objects.filter(is_active=True), required=False
    )


def _answers(form_class, value):
    form = form_class({"values": value})
    if form.is_valid():
        return [v.pk for v in form.cleaned_data["values"]]
    return [error.code for error in form.errors.as_data()["values"]]


@pytest.mark.parametrize(
    "value", ["in use", "one twice", "not in use", "unknown", "not a number", "null", "empty"]
)
def test_the_compiled_check_answers_as_djangos(db, value):
    trust, openness, retired = (
        Value.objects.create(name="Prøve A", position=2),
        Value.objects.create(name="Prøve B", position=1),
        Value.objects.create(name="Prøve C", position=3, is_active=False),
    )
    values = {
        "in use": [str(trust.pk), str(openness.pk)],
        "one twice": [str(trust.pk), str(trust.pk)],
        "not in use": [str(trust.pk), str(retired.pk)],
        "unknown": [str(trust.pk + 1000)],
        "not a number": ["tillid"],
        "null": [f"{trust.pk}\x00"],
        "empty": [],
    }[value]
    compiled = _answers(_Compiled, values)
    assert compiled == _answers(_Djangos, values)
    if value == "in use":
        assert compiled == [openness.pk, trust.pk]  # in the values' order
    if value == "not in use":
        assert compiled == ["invalid_choice"]


def test_an_id_beyond_the_databases_integers_is_no_value(db):
    assert _answers(_Compiled, ["9" * 30]) == ["invalid_choice"]


def test_a_form_that_gives_other_choices_has_them_checked_as_django_does(db):
    retired = Value.objects.create(name="Prøve D", is_active=False)
    form = _Compiled({"values": [str(retired.pk)]})
    assert form.fields["values"].compiled()  # type: ignore[attr-defined]
    assert not form.is_valid()
    form = _Compiled({"values": [str(retired.pk)]})
    form.fields["values"].queryset = Value.objects.all()  # type: ignore[attr-defined]
    assert not form.fields["values"].compiled()  # type: ignore[attr-defined]
    assert form.is_valid() and list(form.cleaned_data["values"]) == [retired]
