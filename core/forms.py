"""Forms look and behave like Det Fælles Designsystem's: classes, hints and errors wired up
with aria-describedby so a screen reader reads them with the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class DesignSystemForm:
    """Mix into a Form or ModelForm before the Django base class."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-checkbox"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = (
                f"{attrs.get('aria-describedby', '')} id_{name}-error".strip()
            )


def wide_textarea(rows: int) -> forms.Textarea:
    """A text area for free text, as wide as the design system's widest field."""
    return forms.Textarea(attrs={"rows": rows, "class": "input-width-xl"})


class PersonalContentForm(DesignSystemForm, forms.Form):
    """The sharing part of a form for personal content: who may be named in "People I choose"
    (active colleagues, the owner's leaders among them) and that naming nobody is an error.
    Mix in before forms.ModelForm; the form takes the owner as `owner=`."""

    shared_with: Any = forms.ModelMultipleChoiceField(
        label=_("Share with"),
        queryset=None,  # set per owner in __init__
        required=False,
        help_text=_("Only used when you choose “People I choose”. Hold Ctrl (or Cmd) for more."),
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from core.access import colleague_ids

        shared_with: Any = self.fields["shared_with"]
        shared_with.queryset = (
            get_user_model()
            .objects.filter(is_active=True, pk__in=colleague_ids(owner))
            .exclude(pk=owner.pk)
        )

    def clean(self) -> dict[str, Any]:
        from core.access import Visibility

        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("visibility") == Visibility.SHARED and not cleaned.get("shared_with"):
            self.add_error("shared_with", _("Choose at least one person to share with."))
        return cleaned
