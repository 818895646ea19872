from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DesignSystemForm, PeopleChoice, PeopleField, wide_textarea
from organisation.forms import ValuesField
from organisation.models import Unit
from organisation.selectors import for_teams_page

EVERYONE = "organisation"


class RecognitionForm(PeopleChoice, DesignSystemForm, forms.Form):
    people_fields = ("recipients",)

    recipients = PeopleField(
        label=_("Whom do you thank?"),
        queryset=User.objects.none(),
        help_text=_("Search by name for anyone in the organisation."),
        error_messages={"required": _("Choose at least one person to thank.")},
    )
    text = forms.CharField(
        label=_("Thanks for"),
        max_length=1000,
        widget=wide_textarea(3),
        help_text=_("What they did, and what it meant. A sentence or two is plenty."),
    )
    values = ValuesField(
        label=_("Values"),
        help_text=_("Which of our values you saw in it."),
        error_messages={"required": _("Choose at least one value.")},
    )
    where = forms.ChoiceField(
        label=_("Who can see it"),
        widget=forms.RadioSelect,
        help_text=_("The team's or the organisation's chat channel gets it too, if there is one."),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, person=person, **kwargs)
        # The person's teams in use, by name: what their team list reads, compiled once.
        self.units = {str(m.unit.pk): m.unit for m in for_teams_page(person)}
        where: Any = self.fields["where"]
        where.choices = [
            *((pk, _("The team %(name)s") % {"name": u.name}) for pk, u in self.units.items()),
            (EVERYONE, _("Everyone in the organisation")),
        ]
        if not self.is_bound and self.units:
            self.initial.setdefault("where", next(iter(self.units)))

    @property
    def unit(self) -> Unit | None:
        """The team chosen, or None for everyone."""
        return self.units.get(self.cleaned_data["where"])
