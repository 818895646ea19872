"""Forms look and behave like Det Fælles Designsystem's: classes, hints and errors wired up
with aria-describedby so a screen reader reads them with the field."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PERSON_LEFT
from core.compiled import compiled_query

if TYPE_CHECKING:
    from accounts.models import User

Row = TypeVar("Row")


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
                widget.attrs["aria-describedby"] = f"{self._id_of(name)}-hint"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = (
                f"{attrs.get('aria-describedby', '')} {self._id_of(name)}-error".strip()
            )

    def _id_of(self, name: str) -> str:
        """The field's id as the template writes it, with the form's prefix if it has one.
        Worked out as BoundField.auto_id does, without making the bound field: made now, it
        would keep a help text a form's __init__ changes after this."""
        auto_id = str(self.auto_id)  # type: ignore[attr-defined]
        html_name = self.add_prefix(name)  # type: ignore[attr-defined]
        return str(auto_id % html_name if "%s" in auto_id else html_name)


def wide_textarea(rows: int) -> forms.Textarea:
    """A text area for free text, as wide as the design system's widest field."""
    return forms.Textarea(attrs={"rows": rows, "class": "input-width-xl"})


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


LEFT = PERSON_LEFT
# A person id that names nobody at all, as a stale or crafted form may send.
UNKNOWN_PERSON = _("A person you chose could not be found. Search for them again.")


def colleagues_of(person: User) -> QuerySet[User]:
    """Active people who share a unit with `person`: what the people picker offers without
    JavaScript."""
    from core.access import colleague_ids

    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=colleague_ids(person))
        .exclude(pk=person.pk)
    )


class PeoplePicker(forms.Widget):
    """The people picker: a combobox that searches everyone active in the organisation as one
    types (the WAI-ARIA 1.2 combobox with a listbox popup, fetched by htmx from
    accounts:people_search, driven by core/people-picker.js), with the chosen people as
    buttons that remove them.

    Without JavaScript it is the plain list it replaces: checkboxes (or a select, for one
    person) of one's colleagues and of whoever is chosen already. The script disables that
    list and turns the combobox on, so only one of the two is ever posted."""

    template_name = "core/widgets/people_picker.html"
    allow_multiple_selected = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self._choices: Any = []

    @property
    def choices(self) -> Any:
        """What the list without JavaScript offers (PeopleChoice sets one's colleagues)."""
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        # The field hands over its whole queryset, everyone in the organisation: never a list
        # to show.
        if not isinstance(value, forms.models.ModelChoiceIterator):
            self._choices = value

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.allow_multiple_selected:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def _chosen_ids(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for item in values:
            pk = str(getattr(item, "pk", item))
            # A crafted id too long for the database's integers names nobody.
            if pk.isdigit() and len(pk) < 16:
                ids.append(int(pk))
        return ids

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        ids = self._chosen_ids(value)
        # Only active people are shown as chosen: an id posted for someone who left shows
        # nothing of them, and the service says that a chosen person has left.
        chosen = list(
            get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name")
            if ids
            else []
        )
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        options = [(str(pk), label) for pk, label in self.choices if pk != ""]
        offered = {pk for pk, _label in options}
        options += [
            (str(person.pk), person.display_name)
            for person in chosen
            if str(person.pk) not in offered
        ]
        chosen_ids = {str(pk) for pk in ids}
        context["picker"] = {
            "id": widget_id,
            "multiple": self.allow_multiple_selected,
            "chosen": chosen,
            "options": [(pk, label, pk in chosen_ids) for pk, label in options],
        }
        return context


class PeoplePickerMultiple(PeoplePicker):
    allow_multiple_selected = True


_PERSON_ERRORS: dict[str, str | Any] = {
    "invalid_choice": UNKNOWN_PERSON,
    "invalid_pk_value": UNKNOWN_PERSON,
}


class _PersonLabel:
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.job_title})" if obj.job_title else obj.display_name


class PersonField(_PersonLabel, forms.ModelChoiceField):  # type: ignore[type-arg]
    widget = PeoplePicker
    default_error_messages = _PERSON_ERRORS


class CompiledChoicesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Django's ModelMultipleChoiceField, whose check of the ids sent reads the rows by a
    statement compiled once (`rows`, given the ids, the rows of the field's queryset among
    them) where Django put together a filter for each id and a query for them all on every
    form sent: the rows chosen, in Django's order, or the error Django gives."""

    def rows(self, ids: list[int]) -> list[Any]:
        """The rows of these ids among those the field may choose."""
        raise NotImplementedError

    def compiled(self) -> bool:
        """Whether `rows` answers for this field as it is now; else Django's check runs."""
        return self.to_field_name is None

    def _check_values(self, value: Any) -> Any:
        if not self.compiled():
            return super()._check_values(value)  # type: ignore[misc]
        try:
            chosen = frozenset(value)
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        ids = set()
        for pk in chosen:
            self.validate_no_null_characters(pk)
            try:
                ids.add(int(pk))
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        # An id beyond the database's integers names no row (Django's check sent it to the
        # database, which refused it with an error).
        rows = self.rows(sorted(pk for pk in ids if abs(pk) < 2**63))
        found = {str(row.pk) for row in rows}
        for pk in chosen:
            if str(pk) not in found:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return rows


class PeopleField(_PersonLabel, CompiledChoicesField):
    widget = PeoplePickerMultiple
    default_error_messages = _PERSON_ERRORS
    # Set by PeopleChoice: any id names its person, whoever they are.
    everyone = False

    def compiled(self) -> bool:
        # For everyone in the organisation; a narrower choice is checked as Django does.
        return self.everyone and super().compiled()

    def rows(self, ids: list[int]) -> list[Any]:
        return _people(ids=ids)


@compiled_query
def _people(ids: list[int]) -> QuerySet[Any]:
    return get_user_model().objects.filter(pk__in=ids)


class PeopleChoice:
    """Fields that choose people with the people picker, from everyone in the organisation.
    The form only parses: who may be chosen (not oneself, nobody who has left) is for the
    service that takes the people to decide, and its message is the one people see. Mix in
    before the form class; it takes `person=`."""

    fields: dict[str, forms.Field]
    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        for name in self.people_fields:
            field: Any = self.fields[name]
            # Any id parses to its person, so a person who left reaches the service ...
            field.queryset = get_user_model().objects.all()
            field.everyone = True
            # ... while without JavaScript the picker offers one's colleagues.
            field.widget.choices = _ColleagueChoices(person, field)


class _ColleagueChoices:
    """One's colleagues as choices, read only when a page shows them."""

    def __init__(self, person: User, field: Any) -> None:
        self.person, self.field = person, field

    def __iter__(self) -> Any:
        for colleague in colleagues_of(self.person):
            yield (colleague.pk, self.field.label_from_instance(colleague))


class ServiceChoiceField(forms.ChoiceField):
    """A choice whose value the service checks, so that its message is the one people see: a
    value the list does not have reaches the service instead of the form's own error."""

    def valid_value(self, value: Any) -> bool:
        return True


class ServiceMultipleChoiceField(forms.MultipleChoiceField):
    """Choices whose values the service checks (see ServiceChoiceField)."""

    def valid_value(self, value: Any) -> bool:
        return True


class PersonalContentForm(DesignSystemForm, forms.Form):
    """The sharing part of a form for personal content: anyone active in the organisation may
    be named in "People I choose" (the people picker), and naming nobody is an error. Whether
    the people named can be shared with is for the service to decide (sharing_people_check).
    Mix in before forms.ModelForm; the form takes the owner as `owner=`."""

    shared_with: Any = PeopleField(
        label=_("Share with"),
        queryset=get_user_model().objects.none(),  # everyone, set per form in __init__
        required=False,
        help_text=_(
            "Only used when you choose “People I choose”. Search by name for anyone in the "
            "organisation."
        ),
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared_with: Any = self.fields["shared_with"]
        shared_with.queryset = get_user_model().objects.all()
        shared_with.widget.choices = _ColleagueChoices(owner, shared_with)

    def clean(self) -> dict[str, Any]:
        from core.access import Visibility

        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("visibility") == Visibility.SHARED and not cleaned.get("shared_with"):
            self.add_error("shared_with", _("Choose at least one person to share with."))
        return cleaned


def rows_edited(rows: list[Row], action: str, *, new: Row) -> list[Row]:
    """The rows of an editor of rows (a template's questions, a framework's areas) after the
    button pressed: "add" appends `new`; "remove-<n>", "up-<n>" and "down-<n>" act on row n
    (counting from 0). Anything else, or a row that is not there, leaves the rows as they are."""
    if action == "add":
        return [*rows, new]
    verb, _dash, number = action.partition("-")
    if not number.isdigit() or int(number) >= len(rows):
        return rows
    index = int(number)
    edited = list(rows)
    if verb == "remove":
        del edited[index]
    elif verb == "up" and index > 0:
        edited[index - 1], edited[index] = edited[index], edited[index - 1]
    elif verb == "down" and index < len(rows) - 1:
        edited[index + 1], edited[index] = edited[index], edited[index + 1]
    return edited
