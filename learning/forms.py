"""The form of a learning entry. It parses and labels; what an entry may be is for
`learning.services` to decide, and its message is the one people see (a kind, a focus area
or a visibility the form does not know goes through to the service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.access import Visibility
from core.forms import (
    DateInput,
    DesignSystemForm,
    PeopleChoice,
    PeopleField,
    PersonalContentForm,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    wide_textarea,
)
from development.models import Area
from learning.models import EntryKind, RetroTemplate
from learning.retro_services import RetroSetup
from learning.services import EntryText


class EntryForm(PersonalContentForm):
    field_order = [
        "kind",
        "title",
        "happened_on",
        "learned",
        "for_others",
        "links",
        "area_keys",
        "visibility",
        "shared_with",
    ]
    # The browser's own checks would speak another language than the page.
    use_required_attribute = False

    kind = ServiceChoiceField(
        label=_("Where did you learn it"),
        choices=[("", _("Choose")), *EntryKind.choices],
        error_messages={"required": _("Choose where you learned it.")},
    )
    title = forms.CharField(
        label=_("Title"),
        error_messages={"required": _("Give the entry a title.")},
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        help_text=_("For example “Review of the new booking system” or “KL's GIS network”."),
    )
    happened_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Write the date it happened."),
            "invalid": _("Write a valid date."),
        },
    )
    learned = forms.CharField(
        label=_("What did I learn"),
        widget=wide_textarea(5),
        error_messages={"required": _("Write what you learned.")},
    )
    for_others = forms.CharField(
        label=_("What can others use"),
        required=False,
        widget=wide_textarea(4),
        help_text=_("A method, a template, a contact, a mistake to avoid."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "input-width-xl", "spellcheck": "false"}),
        help_text=_(
            "One web address per line: where it is written down, in GitHub, the handbook or "
            "Nextcloud."
        ),
    )
    area_keys = ServiceMultipleChoiceField(
        label=_("Focus areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The focus areas of the competence framework it is about."),
    )
    visibility = ServiceChoiceField(
        label=_("Who can see it"),
        widget=forms.RadioSelect,
        help_text=_(
            "Learning is shared with your teams unless you choose otherwise: what you learned, "
            "others can build on."
        ),
    )

    def __init__(self, *args: Any, owner: User, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        areas_field: Any = self.fields["area_keys"]
        areas_field.choices = [(area.key, area.name) for area in areas]
        visibility: Any = self.fields["visibility"]
        visibility.choices = [
            (Visibility.TEAM, _("My teams")),
            (Visibility.PRIVATE, _("Only me")),
            (Visibility.SHARED, _("People I choose")),
            (Visibility.ORGANISATION, _("Everyone in the organisation")),
        ]

    def text(self) -> EntryText:
        data = self.cleaned_data
        return EntryText(
            kind=data["kind"],
            title=data["title"],
            happened_on=data["happened_on"],
            learned=data["learned"],
            for_others=data["for_others"],
            links=data["links"],
            area_keys=list(data["area_keys"]),
            visibility=data["visibility"],
            shared_with=list(data["shared_with"] or []),
        )

    @staticmethod
    def initial_of(text: EntryText, shared_with: list[int] | None = None) -> dict[str, Any]:
        return {
            "kind": text.kind,
            "title": text.title,
            "happened_on": text.happened_on,
            "learned": text.learned,
            "for_others": text.for_others,
            "links": text.links,
            "area_keys": text.area_keys,
            "visibility": text.visibility,
            "shared_with": shared_with or [],
        }


class RetrospectiveForm(PeopleChoice, DesignSystemForm, forms.Form):
    """Starting a retrospective: the form parses, the service decides."""

    people_fields = ("participants",)
    use_required_attribute = False

    title = forms.CharField(
        label=_("Title"),
        error_messages={"required": _("Give the retrospective a title.")},
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        help_text=_("For example “Evaluation of the intranet project” or “The autumn quarter”."),
    )
    template = ServiceChoiceField(
        label=_("Template"),
        choices=RetroTemplate.choices,
        initial=RetroTemplate.WELL_BETTER_LEARNED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a template.")},
    )
    free_columns = forms.CharField(
        label=_("Your own questions"),
        required=False,
        widget=wide_textarea(4),
        help_text=_("Only for the free template: one question on each line, at most six."),
    )
    anonymous = forms.TypedChoiceField(
        label=_("Notes"),
        choices=[
            ("1", _("Anonymous: nobody, not even the facilitator, can see who wrote a note")),
            ("0", _("With names: everyone sees who wrote each note")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        help_text=_("This is chosen before the first note and cannot be changed afterwards."),
    )
    votes_each = forms.IntegerField(
        label=_("Votes for each participant"),
        initial=3,
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"class": "input-width-xs"}),
        error_messages={
            "required": _("Each participant has from 1 to 10 votes."),
            "invalid": _("Each participant has from 1 to 10 votes."),
            "min_value": _("Each participant has from 1 to 10 votes."),
            "max_value": _("Each participant has from 1 to 10 votes."),
        },
    )
    participants = PeopleField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "The team's people are chosen. Add people from other teams for a project group."
        ),
    )

    def setup(self) -> RetroSetup:
        data = self.cleaned_data
        return RetroSetup(
            title=data["title"],
            template=data["template"],
            free_columns=data["free_columns"],
            anonymous=data["anonymous"],
            votes_each=data["votes_each"],
            participants=tuple(data["participants"] or ()),
        )
