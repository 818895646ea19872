from __future__ import annotations

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


class SurveyForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    """A survey: who is asked, which questions, how often, and how anonymous."""

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
        widgets = {"starts_on": DateInput, "units": forms.SelectMultiple(attrs={"size": 8})}
        error_messages = {"units": {"required": _("Choose at least one unit.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["survey_questions"] = [
                item.question_id for item in self.instance.items.all()
            ]
        units: Any = self.fields["units"]
        units.queryset = Unit.objects.active().order_by("path")
        units.label_from_instance = lambda unit: "– " * unit.depth + unit.name

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
