from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DesignSystemForm
from organisation.models import Membership, Unit, Value


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
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("For a local account. Leave empty for people who log in with OIDC."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "is_administrator"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        if self.instance.pk:
            # An administrator never sets another person's password: that would let them log
            # in as the person and read private content. People change their own.
            del self.fields["password"]
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
        password = cleaned.get("password")
        if password:
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password", error)
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
