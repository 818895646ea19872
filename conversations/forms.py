"""Forms of the conversation pages. They parse and label; the rules (who may change what, a
held conversation is frozen) live in `services`, whose messages the views add to the form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from conversations.selectors import Answer
from core.forms import DateInput, DesignSystemForm, wide_textarea

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
