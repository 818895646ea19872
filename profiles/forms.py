from __future__ import annotations

from django import forms

from core.forms import PersonalContentForm
from profiles.models import ProfileNote


class NoteForm(PersonalContentForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProfileNote
        fields = ["title", "body", "visibility", "shared_with"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6}), "visibility": forms.RadioSelect}
