from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, DesignSystemForm, not_in_the_past, wide_textarea
from organisation.models import Unit
from teamwork.models import Goal, HelpOffer, HelpRequest, Team, WorkingAgreement


class TeamForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Team
        fields = ["purpose", "checkin_weekday"]
        widgets = {"purpose": wide_textarea(3)}


class HelpRequestForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HelpRequest
        fields = ["text", "scope"]
        widgets = {"text": wide_textarea(4), "scope": forms.RadioSelect}
        help_texts = {
            "text": _("Say what you need and by when; colleagues can then offer to help."),
            "scope": _(
                "Your team is told about the request either way; a request to everyone can "
                "be seen and answered by anyone in the organisation."
            ),
        }


class HelpOfferForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HelpOffer
        fields = ["message"]
        widgets = {"message": wide_textarea(3)}
        labels = {"message": _("How you can help")}


class AgreementForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WorkingAgreement
        fields = ["text"]
        widgets = {"text": wide_textarea(2)}
        help_texts = {"text": _("One agreement, in a sentence: “We …”.")}


class RevisitForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Team
        fields = ["agreements_revisit_on"]
        widgets = {"agreements_revisit_on": DateInput}
        help_texts = {
            "agreements_revisit_on": _(
                "Everyone in the team gets a reminder on that day to look at the agreements "
                "together. Leave empty for no date."
            )
        }

    def clean_agreements_revisit_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("agreements_revisit_on")
        if value != self.initial.get("agreements_revisit_on"):
            not_in_the_past(value)
        return value


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class GoalForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("The person who keeps the goal moving."),
    )

    class Meta:
        model = Goal
        fields = ["title", "owner", "due_date", "status"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "input-width-xl"}),
            "due_date": DateInput,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = User.objects.filter(is_active=True, memberships__unit=unit).distinct()

    def clean_due_date(self) -> date | None:
        # A goal may keep a date that has passed, but a new or changed date must lie ahead.
        value: date | None = self.cleaned_data.get("due_date")
        if value != self.initial.get("due_date"):
            not_in_the_past(value)
        return value


class GoalNoteForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("How is it going?"),
        max_length=1000,
        widget=wide_textarea(3),
    )
