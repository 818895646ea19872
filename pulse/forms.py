from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DesignSystemForm, not_in_the_past, wide_textarea
from organisation.models import Unit
from pulse.models import Question, Survey

SCALE_LABELS = [
    (1, _("1 – strongly disagree")),
    (2, _("2 – disagree")),
    (3, _("3 – neither")),
    (4, _("4 – agree")),
    (5, _("5 – strongly agree")),
]


class AnswerForm(DesignSystemForm, forms.Form):
    """One round's questions, each on the scale, and a comment if the survey asks for one."""

    def __init__(
        self, *args: Any, questions: list[Question], comments: bool, **kwargs: Any
    ) -> None:
        self.questions = questions
        fields: dict[str, forms.Field] = {
            f"q{question.pk}": forms.TypedChoiceField(
                label=question.text,
                choices=SCALE_LABELS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer from 1 to 5.")},
            )
            for question in questions
        }
        if comments:
            fields["comment"] = forms.CharField(
                label=_("Anything else you would like to say?"),
                max_length=1000,
                required=False,
                widget=wide_textarea(3),
                help_text=_(
                    "Shown word for word, without your name, to your team, or to the unit above "
                    "it when your team is small, once enough people have answered and the round "
                    "has closed. Leave out anything that gives you away."
                ),
            )
        # The form's fields depend on the round; the design-system mixin then dresses them.
        self.base_fields = fields  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    @property
    def question_fields(self) -> list[forms.BoundField]:
        """The questions' fields in the round's order, for the scale on the page."""
        return [self[f"q{question.pk}"] for question in self.questions]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name == "comment"]

    @property
    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class QuestionForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Question
        fields = ["theme", "text_da", "text_en", "position", "is_active"]
        widgets = {
            "text_da": forms.TextInput(attrs={"class": "input-width-xl"}),
            "text_en": forms.TextInput(attrs={"class": "input-width-xl"}),
        }
        help_texts = {
            "text_da": _("A statement people agree or disagree with, from 1 to 5."),
        }


def next_monday(today: date) -> date:
    """The first Monday after `today` (a week on, when `today` is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


@dataclass
class UnitNode:
    """A unit in the survey form's tree of checkboxes."""

    pk: int
    name: str
    checked: bool
    children: list[UnitNode] = field(default_factory=list)

    @property
    def holds_checked(self) -> bool:
        """Whether a unit below this one is chosen, so that its branch starts open."""
        return any(child.checked or child.holds_checked for child in self.children)


class SurveyForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    """A survey: who is asked, which questions, how often, and how anonymous. A new survey's
    first round opens on the Monday after `today` unless chosen otherwise."""

    survey_questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one question.")},
    )

    class Meta:
        model = Survey
        fields = [
            "name",
            "units",
            "survey_questions",
            "every_weeks",
            "round_days",
            "starts_on",
            "k",
            "comments",
            "confidential",
            "is_active",
        ]
        widgets = {"starts_on": DateInput, "units": forms.CheckboxSelectMultiple}
        error_messages = {"units": {"required": _("Choose at least one unit.")}}

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("starts_on"):
            self.initial["starts_on"] = next_monday(today)
        if self.instance.pk:
            self.initial["survey_questions"] = [
                item.question_id for item in self.instance.items.all()
            ]
        units: Any = self.fields["units"]
        units.queryset = Unit.objects.active().order_by("path")
        units.label_from_instance = lambda unit: unit.name
        units.help_text = _(
            "Everyone in a chosen unit is asked, and everyone in the units below it: choosing a "
            "unit chooses its children with it."
        )

    def chosen_unit_ids(self) -> set[int]:
        """The units ticked: what was sent, or what the survey has."""
        value = self["units"].value() or []
        return {int(pk) for pk in value if str(pk).isdigit()}

    def unit_tree(self) -> list[UnitNode]:
        """The active units as a tree, with the chosen ones ticked, in one query."""
        chosen = self.chosen_unit_ids()
        nodes: dict[int, UnitNode] = {}
        roots: list[UnitNode] = []
        units: Any = self.fields["units"]
        for pk, name, parent_id in units.queryset.values_list("pk", "name", "parent_id"):
            node = nodes[pk] = UnitNode(pk, name, pk in chosen)
            parent = nodes.get(parent_id)
            (parent.children if parent else roots).append(node)
        return roots

    def clean_starts_on(self) -> Any:
        value = self.cleaned_data.get("starts_on")
        if value != self.initial.get("starts_on"):
            not_in_the_past(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        every, days = cleaned.get("every_weeks"), cleaned.get("round_days")
        if every and days and days > every * 7 - 1:
            self.add_error(
                "round_days",
                _("A round must close before the next one opens: at most %(days)d days.")
                % {"days": every * 7 - 1},
            )
        return cleaned
