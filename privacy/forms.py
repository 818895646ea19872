from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DesignSystemForm
from privacy.retention import MAX_DAYS, MIN_DAYS, Deadline


def _days(deadline: Deadline) -> forms.IntegerField:
    field = forms.IntegerField(
        label=deadline.label,
        required=deadline.required,
        min_value=MIN_DAYS,
        max_value=MAX_DAYS,
        help_text=(
            _("Days. This kind always has a deadline.")
            if deadline.required
            else _("Days. Empty: kept until it is deleted.")
        ),
        error_messages={
            "required": _("Write a whole number of days: this kind always has a deadline."),
            "min_value": _("A deadline is at least %(limit_value)s days."),
            "max_value": _("A deadline is at most ten years (3650 days)."),
            "invalid": _("Write a whole number of days, or leave it empty."),
        },
    )
    field.widget.attrs.update(inputmode="numeric", autocomplete="off")
    return field


def retention_form(deadlines: list[Deadline], data: Any = None) -> forms.Form:
    """A deadline in days per kind of data that may have one; empty keeps the kind until it
    is deleted."""
    fields = {deadline.key: _days(deadline) for deadline in deadlines}
    form_class = type("RetentionForm", (DesignSystemForm, forms.Form), fields)
    form: forms.Form = form_class(data, initial={d.key: d.days for d in deadlines})
    return form
