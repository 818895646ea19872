from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind
from notifications.selectors import Preference


class NotificationSettingsForm(forms.Form):
    """Two checkboxes per kind: in Sparring, and by e-mail. Unchecked means no."""

    def __init__(self, *args: Any, preferences: list[Preference], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = [preference.kind for preference in preferences]
        for preference in preferences:
            name = preference.kind.name
            self.fields[f"{name}-in_app"] = forms.BooleanField(
                label=_("In Sparring"),
                required=False,
                initial=preference.in_app,
                widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
            )
            self.fields[f"{name}-email"] = forms.BooleanField(
                label=_("By e-mail"),
                required=False,
                initial=preference.email,
                widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
            )

    def groups(self) -> Iterator[tuple[Kind, forms.BoundField, forms.BoundField]]:
        """Per kind: the kind, its in-app checkbox and its e-mail checkbox."""
        for kind in self.kinds:
            yield kind, self[f"{kind.name}-in_app"], self[f"{kind.name}-email"]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind.name: (
                bool(self.cleaned_data[f"{kind.name}-in_app"]),
                bool(self.cleaned_data[f"{kind.name}-email"]),
            )
            for kind in self.kinds
        }
