from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from api.tokens import AREAS, READ, WRITABLE, WRITE
from core.forms import DesignSystemForm

LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (365, _("A year"))]


class TokenForm(DesignSystemForm, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “my calendar script”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=LIFETIMES, coerce=int, initial=90
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area, label in AREAS.items():
            choices = [("", _("No access")), (READ, _("Read"))]
            if area in WRITABLE:
                choices.append((WRITE, _("Read and write")))
            self.fields[area] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial="",
            )

    def access(self) -> dict[str, str]:
        return {area: self.cleaned_data.get(area) or "" for area in AREAS}
