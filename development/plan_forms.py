"""Forms of the development plan's pages. They parse and label; what a plan, a goal or an
activity may be is for `development.services` to decide, and its message is the one people
see (a kind, a focus area or a status the form does not know goes through to the service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from core.access import Visibility
from core.forms import (
    DateInput,
    DesignSystemForm,
    PeopleChoice,
    PersonalContentForm,
    PersonField,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    wide_textarea,
)
from development.models import Activity, ActivityKind, ActivityStatus, Area, Goal
from development.plan_selectors import Responsible


class PlanForm(PersonalContentForm):
    """A plan's title, its follow-up date and who can see it."""

    field_order = ["title", "follow_up_on", "visibility", "shared_with"]

    title = forms.CharField(
        label=_("Title"),
        error_messages={"required": _("Give the plan a title.")},
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        help_text=_("For example “My development in 2027”."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The day you look at the plan again, alone or with your leader. You get a reminder."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the plan"),
        widget=forms.RadioSelect,
        help_text=_("The plan is yours, and only you can change it."),
    )

    def __init__(self, *args: Any, owner: User, leaders: list[User], **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        choices: list[tuple[str, Any]] = [(Visibility.PRIVATE, _("Only me"))]
        if leaders:
            names = ", ".join(leader.display_name for leader in leaders)
            label = ngettext("My leader (%(names)s)", "My leaders (%(names)s)", len(leaders))
            choices.append((Visibility.LEADER, label % {"names": names}))
        choices.append((Visibility.SHARED, _("People I choose")))
        visibility: Any = self.fields["visibility"]
        visibility.choices = choices


class GoalForm(DesignSystemForm, forms.Form):
    text = forms.CharField(
        label=_("Goal"),
        widget=wide_textarea(3),
        error_messages={"required": _("Write the goal.")},
        help_text=_("Concrete: what can you do, or do better, when you have reached it?"),
    )
    area_keys = ServiceMultipleChoiceField(
        label=_("Focus areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The focus areas of the competence framework the goal develops."),
    )

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["area_keys"]
        field.choices = [(area.key, area.name) for area in areas]


OWNER = "me"
SOMEONE_ELSE = "other"


class ActivityForm(PeopleChoice, DesignSystemForm, forms.Form):
    """An activity: its kind, what it is, the goal it serves, the expected effect, when, who
    is responsible (the owner, one of their leaders, or someone else) and what it costs."""

    people_fields = ("responsible_other",)
    # The browser's own checks would speak another language than the page.
    use_required_attribute = False

    kind = ServiceChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose")), *ActivityKind.choices],
        error_messages={"required": _("Choose a kind of activity from the list.")},
    )
    title = forms.CharField(
        label=_("Activity"),
        error_messages={"required": _("Write what the activity is.")},
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        help_text=_("For example “Course in interview technique” or “Two days with the GIS team”."),
    )
    goal = forms.TypedChoiceField(
        label=_("Goal"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the plan's own goals.")},
    )
    expected_effect = forms.CharField(
        label=_("Expected effect"),
        required=False,
        widget=wide_textarea(3),
        help_text=_("What will you, your team or the citizens get out of it?"),
    )
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput())
    responsible = forms.ChoiceField(label=_("Who is responsible"), widget=forms.RadioSelect)
    responsible_other = PersonField(
        label=_("Someone else"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only used when you choose “Someone else”."),
    )
    cost = forms.IntegerField(
        label=_("Estimated cost (kr.)"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-width-s"}),
        help_text=_("Course fees, travel and the like, in whole kroner."),
        error_messages={"invalid": _("Write the cost as a whole number of kroner.")},
    )

    def __init__(
        self, *args: Any, person: User, goals: list[Goal], responsible: Responsible, **kwargs: Any
    ) -> None:
        super().__init__(*args, person=person, **kwargs)
        self.goals, self.responsible_options = goals, responsible
        goal: Any = self.fields["goal"]
        goal.choices = [("", _("(none)")), *((g.pk, str(g)) for g in goals)]
        who: Any = self.fields["responsible"]
        who.choices = [
            (OWNER, _("Me")),
            *(
                (str(leader.pk), _("%(name)s (my leader)") % {"name": leader.display_name})
                for leader in responsible.leaders
            ),
            (SOMEONE_ELSE, _("Someone else")),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("responsible") == SOMEONE_ELSE and not cleaned.get("responsible_other"):
            self.add_error("responsible_other", _("Choose who is responsible."))
        return cleaned

    def goal_chosen(self) -> Goal | None:
        pk = self.cleaned_data.get("goal")
        return next((goal for goal in self.goals if goal.pk == pk), None)

    def responsible_user(self) -> User | None:
        chosen = self.cleaned_data.get("responsible")
        if chosen == OWNER:
            return self.responsible_options.owner
        if chosen == SOMEONE_ELSE:
            other: User | None = self.cleaned_data.get("responsible_other")
            return other
        return next(
            (leader for leader in self.responsible_options.leaders if str(leader.pk) == chosen),
            None,
        )

    @staticmethod
    def initial_of(activity: Activity, responsible: Responsible) -> dict[str, Any]:
        """The form's values for an activity as it stands."""
        chosen = activity.responsible_id
        if chosen is None or chosen == responsible.owner.pk:
            who = OWNER
        elif chosen in {leader.pk for leader in responsible.leaders}:
            who = str(chosen)
        else:
            who = SOMEONE_ELSE
        return {
            "kind": activity.kind,
            "title": activity.title,
            "goal": activity.goal_id,
            "expected_effect": activity.expected_effect,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "responsible": who,
            "responsible_other": chosen if who == SOMEONE_ELSE else None,
            "cost": activity.cost,
        }


class StatusForm(forms.Form):
    status = ServiceChoiceField(choices=ActivityStatus.choices)


class ReflectionForm(DesignSystemForm, forms.Form):
    learned = forms.CharField(label=_("What I learned"), required=False, widget=wide_textarea(4))
    use = forms.CharField(label=_("How I use it"), required=False, widget=wide_textarea(4))
    for_others = forms.CharField(
        label=_("What others can use"),
        required=False,
        widget=wide_textarea(4),
        help_text=_("Something a colleague could learn from, or a link to share."),
    )
