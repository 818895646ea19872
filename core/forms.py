"""Forms look and behave like Det Fælles Designsystem's: classes, hints and errors wired up
with aria-describedby so a screen reader reads them with the field."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User


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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date field speaks ISO dates whatever the page's language.
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # Like the date field: the browser's time field speaks 24-hour ISO time.
        super().__init__(attrs, format="%H:%M")


PAST_DATE = _("The date cannot be in the past.")


def not_in_the_past(value: date | None) -> None:
    if value is not None and value < timezone.localdate():
        raise forms.ValidationError(PAST_DATE, code="past")


NOT_A_COLLEAGUE = _("Choose among the people listed.")
LEFT = _("A person you chose has left the organisation and can no longer be chosen.")


def colleagues_of(person: User) -> QuerySet[User]:
    """Whom a person can ask or thank: active people who share a unit with them."""
    from core.access import colleague_ids

    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=colleague_ids(person))
        .exclude(pk=person.pk)
    )


class _PersonLabel:
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.job_title})" if obj.job_title else obj.display_name


class PersonField(_PersonLabel, forms.ModelChoiceField):  # type: ignore[type-arg]
    pass


class PeopleField(_PersonLabel, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    pass


class ColleagueChoice:
    """A choice among one's colleagues that still says something clear about anyone else a
    stale or crafted form names: that a person has left, or that only the people listed can
    be chosen. Mix in before the form class; it takes `person=`."""

    fields: dict[str, forms.Field]
    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.colleagues = colleagues_of(person)
        for name in self.people_fields:
            field: Any = self.fields[name]
            # Validation looks at everyone, so a person who left gets their own message ...
            field.queryset = get_user_model().objects.all()
            # ... while the form offers colleagues only.
            field.widget.choices = [
                (colleague.pk, field.label_from_instance(colleague))
                for colleague in self.colleagues
            ]
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                field.widget.choices.insert(0, ("", "---------"))

    def check_people(self, people: list[User]) -> list[User]:
        allowed = set(self.colleagues.values_list("pk", flat=True))
        for chosen in people:
            if chosen.pk == self.person.pk:
                raise forms.ValidationError(_("You cannot choose yourself."), code="self")
            if chosen.pk in allowed:
                continue
            # Nobody is named here: a form posted with any id must not tell who that is.
            if not chosen.is_active:
                raise forms.ValidationError(LEFT, code="inactive")
            raise forms.ValidationError(NOT_A_COLLEAGUE, code="not_colleague")
        return people
