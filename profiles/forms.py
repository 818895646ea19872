from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.access import Visibility
from core.forms import DesignSystemForm
from profiles.models import ProfileNote


class NoteForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Share with"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only used when you choose “People I choose”. Hold Ctrl (or Cmd) for more."),
    )

    class Meta:
        model = ProfileNote
        fields = ["title", "body", "visibility", "shared_with"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6}), "visibility": forms.RadioSelect}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Share with colleagues and the people who lead one's units.
        from organisation.models import Membership

        my_units = Membership.objects.filter(user=owner).values("unit_id")
        shared_with: Any = self.fields["shared_with"]
        shared_with.queryset = (
            User.objects.filter(is_active=True, memberships__unit_id__in=my_units)
            .exclude(pk=owner.pk)
            .distinct()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("visibility") == Visibility.SHARED and not cleaned.get("shared_with"):
            self.add_error("shared_with", _("Choose at least one person to share with."))
        return cleaned
