"""Forms of the development app. They parse what was posted; what may be saved (a level on the
scale, every area rated, whom an assessment may be shared with) the services decide, so their
messages are the ones people see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from checkins.selectors import leaders_of
from core.access import Visibility
from core.forms import PersonalContentForm, wide_textarea
from development.models import Area, Rating
from development.services import RatingGiven


class _Level(forms.Field):
    """A level as posted: a whole number, or None when none was chosen. Anything else reads
    as 0, which is off the scale, so the service says what a level may be."""

    def to_python(self, value: Any) -> int | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        return int(text) if text.isdigit() and len(text) < 4 else 0


class _Note(forms.CharField):
    """A note: its length the service checks."""

    def validate(self, value: Any) -> None:
        pass


def _checkbox() -> forms.CheckboxInput:
    return forms.CheckboxInput(attrs={"class": "form-checkbox"})


def _visibility_choices(owner: User) -> list[tuple[str, Any]]:
    leaders = ", ".join(leader.display_name for leader in leaders_of(owner))
    return [
        (Visibility.PRIVATE, _("Only me")),
        (
            Visibility.LEADER,
            _("My leaders (%(names)s)") % {"names": leaders} if leaders else _("My leaders"),
        ),
        (Visibility.SHARED, _("People I choose")),
    ]


class _Sharing(PersonalContentForm):
    """Who reads a self-assessment: only its owner (the default), their leaders, or people they
    name."""

    # The browser's own check would speak another language than the page.
    use_required_attribute = False
    field_order = ["visibility", "shared_with"]

    visibility = forms.ChoiceField(
        label=_("Who can see this self-assessment"),
        widget=forms.RadioSelect,
        help_text=_(
            "Your self-assessment is private: only you see it, unless you share it. “My "
            "leaders” means whoever leads your team now."
        ),
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        visibility: Any = self.fields["visibility"]
        visibility.choices = _visibility_choices(owner)


class SharingForm(_Sharing):
    """The owner changes who reads a self-assessment already made."""


class AssessmentForm(_Sharing):
    """A self-assessment: for each area of the framework its level (1–4, each level labelled
    with its description of behaviour), whether the person would like to develop it, whether
    they could help others with it, and a note; then a note on the whole, and who may read
    it. The fields of area `n` are `level_n`, `develop_n`, `teach_n` and `note_n`."""

    note = _Note(
        label=_("A note on the whole"),
        required=False,
        strip=False,
        widget=wide_textarea(4),
        help_text=_("What you would like to remember, or talk about with your leader."),
    )
    field_order = ["note", "visibility", "shared_with"]

    def __init__(self, *args: Any, owner: User, areas: Sequence[Area], **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"level_{area.pk}"] = _Level(required=False, label=area.name)
            self.fields[f"develop_{area.pk}"] = forms.BooleanField(
                required=False, label=_("I would like to develop this"), widget=_checkbox()
            )
            self.fields[f"teach_{area.pk}"] = forms.BooleanField(
                required=False, label=_("I could help others with this"), widget=_checkbox()
            )
            self.fields[f"note_{area.pk}"] = _Note(
                required=False,
                strip=False,
                label=_("Note"),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-input input-width-xl"}),
            )
        self.order_fields([*self._area_field_names(), "note", "visibility", "shared_with"])

    def _area_field_names(self) -> list[str]:
        return [
            f"{part}_{area.pk}"
            for area in self.areas
            for part in ("level", "develop", "teach", "note")
        ]

    @staticmethod
    def initial_from(ratings: dict[str, Rating], areas: Sequence[Area]) -> dict[str, Any]:
        """The form's start from earlier ratings, matched to the areas by key."""
        initial: dict[str, Any] = {}
        for area in areas:
            rating = ratings.get(area.key)
            if rating is None:
                continue
            initial |= {
                f"level_{area.pk}": rating.level,
                f"develop_{area.pk}": rating.wants_to_develop,
                f"teach_{area.pk}": rating.could_teach,
                f"note_{area.pk}": rating.note,
            }
        return initial

    def ratings(self) -> list[RatingGiven]:
        data = self.cleaned_data
        return [
            RatingGiven(
                area_id=area.pk,
                level=data.get(f"level_{area.pk}"),
                wants_to_develop=bool(data.get(f"develop_{area.pk}")),
                could_teach=bool(data.get(f"teach_{area.pk}")),
                note=data.get(f"note_{area.pk}") or "",
            )
            for area in self.areas
        ]

    def by_key(self) -> dict[str, Rating]:
        """What was posted per area key, to start a form on another version of the framework
        from (unsaved ratings)."""
        return {
            given_area.key: Rating(
                area=given_area,
                level=given.level or 0,
                wants_to_develop=given.wants_to_develop,
                could_teach=given.could_teach,
                note=given.note,
            )
            for given_area, given in zip(self.areas, self.ratings(), strict=True)
        }

    def areas_with_fields(self) -> list[dict[str, Any]]:
        """Each area with its bound fields and its levels' descriptions, for the template."""
        return [
            {
                "area": area,
                "level": self[f"level_{area.pk}"],
                "levels": list(enumerate(area.levels, 1)),
                "develop": self[f"develop_{area.pk}"],
                "teach": self[f"teach_{area.pk}"],
                "note": self[f"note_{area.pk}"],
            }
            for area in self.areas
        ]
