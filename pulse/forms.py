from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DesignSystemForm, wide_textarea
from pulse.models import Question

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
                    "Shown to your team word for word, without your name, when enough people "
                    "have answered and the round has closed. Leave out anything that gives you "
                    "away."
                ),
            )
        # The form's fields depend on the round; the design-system mixin then dresses them.
        self.base_fields = fields  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    @property
    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}
