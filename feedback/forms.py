from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from core.access import Visibility, leader_ids_of
from core.forms import (
    DateInput,
    DesignSystemForm,
    PeopleChoice,
    PeopleField,
    PersonalContentForm,
    PersonField,
    TimeInput,
    not_in_the_past,
    wide_textarea,
)
from feedback.models import SPARRING_MINUTES, Feedback, Theme
from feedback.services import EMPTY_FEEDBACK
from organisation.forms import ValuesField


def _values_field(required: bool = False) -> ValuesField:
    return ValuesField(label=_("Values"), required=required)


def _theme_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Theme"),
        choices=[("", _("(none)")), *Theme.choices],
        required=False,
        help_text=_("Which of the focus areas for development it is about."),
    )


class FeedbackRequestForm(PeopleChoice, DesignSystemForm, forms.Form):
    people_fields = ("people",)

    people = PeopleField(
        label=_("Whom do you ask?"),
        queryset=User.objects.none(),
        help_text=_(
            "Search by name for anyone in the organisation. Each of them can answer or decline."
        ),
        error_messages={"required": _("Choose at least one person to ask.")},
    )
    about = forms.CharField(
        label=_("What would you like feedback on?"),
        max_length=200,
        help_text=_("Something specific, such as a meeting you led, a document or a project."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    questions = forms.CharField(
        label=_("Your questions"),
        max_length=1000,
        required=False,
        widget=wide_textarea(3),
        help_text=_("A question or two helps the others give useful feedback."),
    )
    theme = _theme_field()
    wished_by = forms.DateField(label=_("Wished for by"), required=False, widget=DateInput)

    def clean_wished_by(self) -> Any:
        value = self.cleaned_data.get("wished_by")
        not_in_the_past(value)
        return value


class FeedbackForm(DesignSystemForm, forms.Form):
    """The two prompts, and the values it shows. Used to answer a request."""

    works_well = forms.CharField(
        label=_("What works"),
        max_length=2000,
        required=False,
        widget=wide_textarea(4),
        help_text=_("What did you see that works well, and why does it matter?"),
    )
    even_better = forms.CharField(
        label=_("What could be even better"),
        max_length=2000,
        required=False,
        widget=wide_textarea(4),
        help_text=_("One or two things to try, said as you would say them face to face."),
    )
    values = _values_field()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors and not (
            cleaned.get("works_well", "").strip() or cleaned.get("even_better", "").strip()
        ):
            raise forms.ValidationError(EMPTY_FEEDBACK, code="empty")
        return cleaned


class UnaskedFeedbackForm(PeopleChoice, FeedbackForm):
    """Feedback nobody asked for: to whom, and what about."""

    people_fields = ("receiver",)
    field_order = ["receiver", "about", "works_well", "even_better", "values", "theme"]

    receiver = PersonField(label=_("To"), queryset=User.objects.none())
    about = forms.CharField(
        label=_("About"),
        max_length=200,
        required=False,
        help_text=_("For example the meeting, the document or the project."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    theme = _theme_field()


class DeclineForm(DesignSystemForm, forms.Form):
    note = forms.CharField(
        label=_("A word to the asker"),
        max_length=200,
        required=False,
        help_text=_("For example that you were not at the meeting, or have no time this week."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )


class ShareForm(PersonalContentForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Feedback
        fields = ["visibility", "shared_with"]
        labels = {"visibility": _("Who can see this feedback")}
        widgets = {"visibility": forms.RadioSelect}
        help_texts = {
            "visibility": _(
                "The feedback is yours. The person who gave it always sees it; share it with "
                "your leader or chosen people, for example before a development conversation."
            )
        }

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        leaders = list(User.objects.filter(pk__in=leader_ids_of(owner), is_active=True))
        names = ", ".join(leader.display_name for leader in leaders)
        choices: list[tuple[str, Any]] = [
            (Visibility.PRIVATE, _("Only me (and the giver)")),
        ]
        if names:
            label = ngettext("My leader (%(names)s)", "My leaders (%(names)s)", len(leaders))
            choices.append((Visibility.LEADER, label % {"names": names}))
        choices.append((Visibility.SHARED, _("People I choose")))
        visibility: Any = self.fields["visibility"]
        visibility.choices = choices


DURATIONS = [(minutes, f"{minutes} min") for minutes in SPARRING_MINUTES]


class SparringRequestForm(PeopleChoice, DesignSystemForm, forms.Form):
    people_fields = ("partner",)

    partner = PersonField(label=_("Whom do you ask?"), queryset=User.objects.none())
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("What you would like to think through together."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        required=False,
        widget=wide_textarea(3),
        help_text=_("A little background, or times that suit you."),
    )


class ScheduleForm(DesignSystemForm, forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    start = forms.TimeField(label=_("Time"), widget=TimeInput)
    duration = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATIONS, coerce=int, initial=30
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A meeting room, or a link to a video meeting."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    reply = forms.CharField(label=_("A word with it"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        day, start = cleaned.get("day"), cleaned.get("start")
        if day is not None and isinstance(start, time):
            starts_at = timezone.make_aware(datetime.combine(day, start))
            if starts_at <= timezone.now():
                self.add_error("day", _("The time must lie ahead."))
            else:
                cleaned["starts_at"] = starts_at
        return cleaned


class SparringDeclineForm(DesignSystemForm, forms.Form):
    """Shown on the same page as ScheduleForm, so it is given a prefix there."""

    reply = forms.CharField(
        label=_("A word to the asker"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
