from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.compiled import compiled_query
from core.forms import CompiledChoicesField, DesignSystemForm
from core.models import ACTION_LABELS
from core.selectors import BY_THE_SYSTEM
from organisation.models import Membership, Unit, Value


class ValuesField(CompiledChoicesField):
    """The organisation's values in use, as checkboxes; those sent are read by a statement
    compiled once (core.forms.CompiledChoicesField). A form that gives the field other
    choices (`field.queryset = ...`) has them checked as Django does."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=Value.objects.filter(is_active=True), **kwargs)
        self.in_use = self.queryset

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        # Each form's copy of the field gets a copy of the queryset (Django's field does so).
        result = super().__deepcopy__(memo)
        result.in_use = result.queryset
        return result

    def compiled(self) -> bool:
        return self.queryset is self.in_use and super().compiled()

    def rows(self, ids: list[int]) -> list[Any]:
        return _active_values(ids=ids)


@compiled_query
def _active_values(ids: list[int]) -> QuerySet[Value]:
    return Value.objects.filter(is_active=True, pk__in=ids)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'– ' * obj.depth}{obj.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'– ' * obj.depth}{obj.name}"


class UnitForm(DesignSystemForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.active().only("pk", "name", "depth", "path"),
        required=False,
        empty_label=_("(none: a top unit)"),
    )


class PersonForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    units = UnitMultipleChoiceField(
        label=_("Member of"),
        queryset=Unit.objects.active().only("pk", "name", "depth", "path"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    led_units = UnitMultipleChoiceField(
        label=_("Leader of"),
        queryset=Unit.objects.active().only("pk", "name", "depth", "path"),
        required=False,
        help_text=_("A leader sees the shared items and anonymous results of these units."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "is_administrator"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        # There is no password field, here or anywhere an administrator works: a person
        # chooses their own through a link sent to them, so nobody else can log in as them.
        if self.instance.pk:
            roles = dict(
                Membership.objects.filter(user=self.instance).values_list("unit_id", "role")
            )
            self.initial["units"] = [u for u, r in roles.items() if r == Membership.Role.MEMBER]
            self.initial["led_units"] = [u for u, r in roles.items() if r == Membership.Role.LEADER]

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another person already has this e-mail address."))
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        both = set(cleaned.get("units") or []) & set(cleaned.get("led_units") or [])
        if both:
            self.add_error(
                "led_units",
                _("A person is either member or leader of a unit, not both: %(units)s")
                % {"units": ", ".join(u.name for u in both)},
            )
        return cleaned

    def memberships(self) -> dict[Unit, str]:
        roles: dict[Unit, str] = dict.fromkeys(self.cleaned_data["units"], Membership.Role.MEMBER)
        roles.update(dict.fromkeys(self.cleaned_data["led_units"], Membership.Role.LEADER))
        return roles


class ValueForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Value
        fields = ["name", "description", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SearchForm(DesignSystemForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class OrganisationSettingsForm(DesignSystemForm, forms.Form):
    name = forms.CharField(label=_("The organisation's name"), max_length=100, required=False)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 200 KB, shown at most 48 pixels high."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args: Any, fallback_name: str, has_logo: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_logo:
            del self.fields["remove_logo"]
        hint = _("Shown at the top of every page. Left empty: %(name)s.")
        self.fields["name"].help_text = hint % {"name": fallback_name}
        self.fields["name"].widget.attrs["aria-describedby"] = "id_name-hint"


class AuditFilterForm(DesignSystemForm, forms.Form):
    """Who, what and when in the audit log; every field may be left open."""

    actor = forms.ChoiceField(label=_("By"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actors: list[User], actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = sorted(actors, key=lambda person: person.display_name)
        actor_field: Any = self.fields["actor"]
        actor_field.choices = [
            ("", _("Anyone")),
            (BY_THE_SYSTEM, _("The system")),
            *((str(person.pk), person.display_name) for person in people),
        ]
        labelled = sorted((str(ACTION_LABELS.get(code, code)), code) for code in actions)
        action_field: Any = self.fields["action"]
        action_field.choices = [
            ("", _("Any action")),
            *((code, label) for label, code in labelled),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day comes before the first."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The filters as audit_entries takes them: only the fields that are valid."""
        data = getattr(self, "cleaned_data", {})
        names = ("actor", "action", "since", "until")
        return {name: data[name] for name in names if data.get(name)}
