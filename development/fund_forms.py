"""The form of a course's application draft. It parses and labels; the rules (no negative
amount, no end before the start, only the owner changes the draft) live in
`fund_services`, whose messages people see."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DesignSystemForm, wide_textarea
from development.fund_services import Draft, FundError
from development.models import AgreementArea, EducationKind


def _kroner(label: Any) -> forms.IntegerField:
    # Localised, so "12.500" in Danish (and "12,500" in English) reads as twelve thousand
    # five hundred; a text field, since a number field would refuse the thousands point.
    return forms.IntegerField(
        label=label,
        required=False,
        localize=True,
        help_text=_("In whole kroner."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-width-s"}),
    )


def _text(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )


class FundApplicationForm(DesignSystemForm, forms.Form):
    title = _text(_("Name of the education"), required=True)
    education_kind = forms.ChoiceField(label=_("Kind of education"), choices=EducationKind.choices)
    provider = _text(
        _("Provider"), help_text=_("The school, academy or company that gives the education.")
    )
    provider_url = forms.URLField(
        label=_("Web address of the education"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The provider's description of the education, for the fund."),
        widget=forms.URLInput(attrs={"class": "input-width-xl"}),
    )
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End date"), required=False, widget=DateInput)
    course_fee = _kroner(_("Course fee (kr.)"))
    transport = _kroner(_("Transport (kr.)"))
    materials = _kroner(_("Materials (kr.)"))
    agreement_area = forms.ChoiceField(
        label=_("Agreement area"),
        choices=[("", _("Choose")), *AgreementArea.choices],
        required=False,
        help_text=_(
            "The union whose agreement with KL you are employed under. Ask your union "
            "representative (tillidsrepræsentant) if in doubt."
        ),
    )
    position = _text(_("Position"))
    workplace = _text(_("Workplace"), help_text=_("The workplace and its municipality."))
    workplace_number = forms.CharField(
        label=_("EAN, CVR or P-number"),
        max_length=40,
        required=False,
        help_text=_("The workplace's number, where the fund pays its share."),
        widget=forms.TextInput(attrs={"class": "input-width-m"}),
    )
    notes = forms.CharField(
        label=_("Remarks"), max_length=4000, required=False, widget=wide_textarea(4)
    )

    @classmethod
    def from_draft(cls, draft: Draft) -> FundApplicationForm:
        return cls(initial=asdict(draft))

    def draft(self) -> Draft:
        """The draft as sent; call after is_valid()."""
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            education_kind=data["education_kind"],
            provider=data["provider"],
            provider_url=data["provider_url"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            course_fee=data["course_fee"] or 0,
            transport=data["transport"] or 0,
            materials=data["materials"] or 0,
            agreement_area=data["agreement_area"],
            position=data["position"],
            workplace=data["workplace"],
            workplace_number=data["workplace_number"],
            notes=data["notes"],
        )

    def report(self, error: FundError) -> None:
        """Show the service's message at its field, or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error))
