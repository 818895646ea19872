"""Forms of the conversation pages. They parse and label: the rules (who may change what, a
held conversation is frozen, whether a time, a person or a plan can be had) live in
`services`, whose messages people see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from conversations.models import DURATIONS, Kind, Rhythm
from conversations.selectors import Answer, proposed_times
from conversations.services import PlanError, PlanRow
from core.forms import (
    DateInput,
    DesignSystemForm,
    PeopleChoice,
    PeopleField,
    PersonField,
    TimeInput,
    wide_textarea,
)

# --- One conversation: preparation, agenda, notes, summary ------------------------------------

OWNER_OUTSIDE = _("The owner of an action takes part in the conversation.")


@dataclass(frozen=True)
class PreparationRow:
    answer: Answer
    field: forms.BoundField


@dataclass(frozen=True)
class PreparationSection:
    title: str
    rows: list[PreparationRow]


class PreparationForm(DesignSystemForm, forms.Form):
    """A participant's own answers, one text area per question of the template."""

    def __init__(self, *args: Any, answers: list[Answer], **kwargs: Any) -> None:
        self.answers = answers
        super().__init__(*args, **kwargs)
        for answer in answers:
            self.fields[self.name_of(answer)] = forms.CharField(
                label=answer.question.text,
                required=False,
                max_length=4000,
                initial=answer.mine.text if answer.mine else "",
                # Made after the design system's classes were given out: its own here.
                widget=forms.Textarea(attrs={"rows": 3, "class": "input-width-xl form-input"}),
            )

    @staticmethod
    def name_of(answer: Answer) -> str:
        return f"answer_{answer.question.pk}"

    def sections(self) -> list[PreparationSection]:
        """The questions with their fields, grouped by the template's sections."""
        sections: list[PreparationSection] = []
        for answer in self.answers:
            row = PreparationRow(answer=answer, field=self[self.name_of(answer)])
            if not sections or sections[-1].title != answer.question.section:
                sections.append(PreparationSection(title=answer.question.section, rows=[]))
            sections[-1].rows.append(row)
        return sections

    def texts(self) -> dict[int, str]:
        """{question id: answer} of the valid form: those sent and written, and those written
        before (so an answer can be emptied); a question never answered makes no empty answer,
        and an answer not sent is left as it is."""
        return {
            answer.question.pk: self.cleaned_data[self.name_of(answer)]
            for answer in self.answers
            if self.name_of(answer) in self.data
            and (answer.mine is not None or self.cleaned_data[self.name_of(answer)].strip())
        }


class PointForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("Talking point"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        error_messages={"required": _("Write the talking point.")},
    )


class ActionForm(DesignSystemForm, forms.Form):
    """An action with its owner, one of the participants, and a due date."""

    text = forms.CharField(
        label=_("Action"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        error_messages={"required": _("Write the action.")},
    )
    owner = forms.TypedChoiceField(
        label=_("Who does it"),
        coerce=int,
        error_messages={"required": _("Choose who does it."), "invalid_choice": OWNER_OUTSIDE},
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args: Any, participants: list[User], **kwargs: Any) -> None:
        self.participants = participants
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [("", _("Choose")), *((p.pk, p.display_name) for p in participants)]

    def owner_user(self) -> User:
        return next(p for p in self.participants if p.pk == self.cleaned_data["owner"])


class SharedNoteForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("Shared note"),
        max_length=4000,
        widget=wide_textarea(4),
        error_messages={"required": _("Write the note.")},
    )


class PrivateNoteForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("My private notes"),
        max_length=10000,
        required=False,
        # Described by the notice above it on the page: only you can see your private notes.
        widget=forms.Textarea(
            attrs={"rows": 5, "class": "input-width-xl", "aria-describedby": "private-notice"}
        ),
    )


class AddendumForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=4000,
        widget=wide_textarea(3),
        error_messages={"required": _("Write the addendum.")},
    )


class SummaryForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("Summary"),
        max_length=20000,
        widget=wide_textarea(8),
        error_messages={"required": _("Write the summary.")},
        help_text=_(
            "The first draft of the development plan. Every change must be approved by all "
            "of you again."
        ),
    )


# --- Planning, requests and rhythm ---------------------------------------------------------

DURATION_CHOICES = [(minutes, f"{minutes} min") for minutes in DURATIONS]
# A conversation one asks for, or plans for each person of a plan, is with one person: GRUS,
# with a group, is planned on its own.
ONE_TO_ONE_KINDS = [(value, label) for value, label in Kind.choices if value != Kind.GRUS]


def starts_at(day: Any, start: Any) -> datetime | None:
    """The moment a day and a time of day name in Copenhagen, whatever the server's zone."""
    if day is None or not isinstance(start, time):
        return None
    return datetime.combine(day, start, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _place_field() -> forms.CharField:
    return forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A meeting room, or a link to a video meeting."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )


class _TimeFields(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    start = forms.TimeField(label=_("Time"), widget=TimeInput)
    duration = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATION_CHOICES, coerce=int, initial=60
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        cleaned["starts_at"] = starts_at(cleaned.get("day"), cleaned.get("start"))
        return cleaned


class ConversationForm(PeopleChoice, DesignSystemForm, _TimeFields):
    """Plan one conversation."""

    people_fields = ("people",)

    people = PeopleField(
        label=_("With whom?"),
        queryset=User.objects.none(),
        help_text=_("Search by name for anyone in the organisation. A GRUS is with 3 to 8."),
        error_messages={"required": _("Choose who the conversation is with.")},
    )
    kind = forms.ChoiceField(label=_("Kind of conversation"), choices=Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Shown in the calendar. Without one, the calendar names the people."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    place = _place_field()

    field_order = ["people", "kind", "title", "day", "start", "duration", "place"]


class RequestForm(PeopleChoice, DesignSystemForm, forms.Form):
    """Ask someone, as a rule one's leader, for a conversation; they plan the time."""

    people_fields = ("other",)

    other = PersonField(
        label=_("Whom do you ask?"),
        queryset=User.objects.none(),
        help_text=_("Your leader, or anyone else in the organisation. They propose a time."),
        error_messages={"required": _("Choose whom you ask.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of conversation"),
        choices=ONE_TO_ONE_KINDS,
        initial=Kind.ONE_ON_ONE,
        help_text=_("You may ask for an individual MUS, even where your unit holds GRUS."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=500,
        required=False,
        widget=wide_textarea(3),
        help_text=_("What you would like to talk about, or times that suit you."),
    )


class ScheduleForm(DesignSystemForm, _TimeFields):
    """Give a conversation asked for its time, or move a planned one."""

    place = _place_field()


class CancelForm(DesignSystemForm, forms.Form):
    message = forms.CharField(
        label=_("A word to the others"),
        max_length=200,
        required=False,
        help_text=_("Sent with the cancellation, when you decline a conversation asked for."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )


class RhythmForm(DesignSystemForm, forms.Form):
    rhythm = forms.ChoiceField(
        label=_("How often?"),
        choices=Rhythm.choices,
        required=False,
        help_text=_("When a 1:1 is marked held, the next one is planned at the same time of day."),
    )


# --- A leader's plan --------------------------------------------------------------------------


class PlanForm(DesignSystemForm, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “MUS 2027 i Sekretariatet”."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of conversation"), choices=ONE_TO_ONE_KINDS, initial=Kind.MUS
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("To"), widget=DateInput)


class PlanRowForm(forms.Form):
    """The time proposed for one person; a row left empty leaves the person out."""

    day = forms.DateField(label=_("Day"), required=False, widget=DateInput)
    start = forms.TimeField(label=_("Time"), required=False, widget=TimeInput)
    duration = forms.TypedChoiceField(
        label=_("Duration"),
        choices=DURATION_CHOICES,
        coerce=int,
        initial=60,
        required=False,
        empty_value=None,
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, data: Any, *, person: User) -> None:
        super().__init__(data, prefix=f"person-{person.pk}")
        self.person = person
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-input"
            field.widget.attrs["class"] = css

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        day, start = cleaned.get("day"), cleaned.get("start")
        if (day is None) != (start is None) and not self.errors:
            raise forms.ValidationError(_("Choose both a day and a time, or neither."))
        cleaned["starts_at"] = starts_at(day, start)
        return cleaned


def _duration(row: PlanRowForm) -> int:
    """The duration a row asks for, as posted; the usual hour when it names none."""
    posted = str(row.data.get(row.add_prefix("duration"), ""))
    return int(posted) if posted.isdigit() and int(posted) in DURATIONS else 60


class PlanForms:
    """The plan and one row per person: the page's whole form."""

    def __init__(self, data: Any, *, people: list[User], initial: dict[str, Any]) -> None:
        self.people, self.initial = people, initial
        self.plan = PlanForm(data, initial=initial)
        self.rows = [PlanRowForm(data, person=person) for person in people]
        # After with_proposals: how many times were proposed, and for how many people the
        # period had no room.
        self.proposed: int | None = None
        self.missing = 0

    def with_proposals(self, *, now: datetime) -> PlanForms:
        """The same forms, with a time proposed for each person who has none yet, one after
        the other in the period (selectors.proposed_times); nothing is planned yet."""
        if not self.plan.is_valid():
            return self
        empty = [
            row
            for row in self.rows
            if not row.data.get(row.add_prefix("day")) and not row.data.get(row.add_prefix("start"))
        ]
        times = proposed_times(
            starts_on=self.plan.cleaned_data["starts_on"],
            ends_on=self.plan.cleaned_data["ends_on"],
            count=len(empty),
            duration_minutes=max([_duration(row) for row in empty] or [60]),
            now=now,
        )
        data = dict(self.plan.data.items())
        for row, at in zip(empty, times, strict=False):
            data[row.add_prefix("day")] = at.date().isoformat()
            data[row.add_prefix("start")] = at.strftime("%H:%M")
        proposed = PlanForms(data, people=self.people, initial=self.initial)
        proposed.proposed = len(times)
        proposed.missing = len(empty) - len(times)
        return proposed

    def is_valid(self) -> bool:
        return all([self.plan.is_valid(), *[row.is_valid() for row in self.rows]])

    def plan_rows(self) -> list[PlanRow]:
        return [
            PlanRow(
                person=row.person,
                starts_at=row.cleaned_data["starts_at"],
                duration_minutes=row.cleaned_data["duration"],
                place=row.cleaned_data["place"],
            )
            for row in self.rows
            if row.cleaned_data["starts_at"] is not None
        ]

    def report(self, error: PlanError) -> None:
        """Show the service's message on the plan, and each row's on its row."""
        self.plan.add_error(None, str(error))
        for row in self.rows:
            if row.person.pk in error.rows:
                row.add_error(None, error.rows[row.person.pk])

    @property
    def row_errors(self) -> list[tuple[PlanRowForm, str]]:
        """Every row's errors, for the summary at the top of the page."""
        found = []
        for row in self.rows:
            found += [(row, str(message)) for message in row.non_field_errors()]
            for field in row:
                found += [(row, f"{field.label}: {message}") for message in field.errors]
        return found
