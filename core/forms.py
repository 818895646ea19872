"""Forms look and behave like Det Fælles Designsystem's: classes, hints and errors wired up
with aria-describedby so a screen reader reads them with the field."""

from __future__ import annotations

from typing import Any

from django import forms


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
