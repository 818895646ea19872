from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from checkins.models import CHECKIN_LABELS, CHECKIN_TEXTS, CheckIn, Energy, Reflection
from checkins.selectors import home_unit_of, leaders_of
from core.access import Visibility
from core.forms import DesignSystemForm, PersonalContentForm, wide_textarea
from organisation.models import Value

EMPTY_CHECKIN = _(
    "An empty check-in cannot be saved: write a few words in at least one of the fields."
)
NO_TEAM_TO_ASK = _("You are not in a team yet, so there is nobody to ask for help.")


class CheckInForm(DesignSystemForm, forms.ModelForm):  # type: ignore[type-arg]
    energy = forms.TypedChoiceField(
        label=_("My energy this week"),
        choices=[("", _("I'd rather not say")), *Energy.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Only you see your answer, also when you share the check-in. When the week's "
            "check-ins can no longer be changed, it is counted without your name in your "
            "team's weekly energy, which is shown only when at least 5 people gave theirs."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this check-in"),
        widget=forms.RadioSelect,
        help_text=_("A check-in is yours: nobody else sees it unless you share it."),
    )

    class Meta:
        model = CheckIn
        fields = ["energy", *CHECKIN_TEXTS, "visibility"]
        labels = CHECKIN_LABELS
        help_texts = {
            "help_needed": _(
                "What you write here is posted to your team as a help request, so colleagues "
                "can offer to help. The rest of the check-in is not."
            ),
        }
        widgets = {name: wide_textarea(3) for name in CHECKIN_TEXTS}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        leaders = [leader.display_name for leader in leaders_of(owner)]
        choices: list[tuple[str, Any]] = [(Visibility.PRIVATE, _("Only me"))]
        if leaders:
            choices.append(
                (
                    Visibility.LEADER,
                    _("Me and my leader (%(names)s)") % {"names": ", ".join(leaders)},
                )
            )
        choices.append((Visibility.TEAM, _("My team")))
        visibility: Any = self.fields["visibility"]
        visibility.choices = choices
        if self.instance.help_request_id:
            self.fields["help_needed"].help_text = _(
                "Posted to your team as a help request; changes here change the request "
                "while it is open."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(
            str(cleaned.get(name) or "").strip() for name in CHECKIN_TEXTS
        ):
            raise forms.ValidationError(EMPTY_CHECKIN, code="empty")
        help_needed = str(cleaned.get("help_needed") or "").strip()
        if help_needed and not self.instance.help_request_id and home_unit_of(self.owner) is None:
            self.add_error("help_needed", NO_TEAM_TO_ASK)
        return cleaned


class ReflectionForm(PersonalContentForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Reflection
        fields = ["text", "value", "theme", "visibility", "shared_with"]
        labels = {"text": _("Reflection"), "value": _("Value"), "theme": _("Theme")}
        widgets = {"text": wide_textarea(5), "visibility": forms.RadioSelect}
        help_texts = {
            "text": _("What happened, what did you notice, what will you take with you?"),
            "value": _("One of the organisation's values the reflection is about."),
            "theme": _("A word or two to find it again, such as “feedback” or “meetings”."),
        }

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        value: Any = self.fields["value"]
        # A value taken out of use stays on the reflections that already have it.
        value.queryset = Value.objects.filter(Q(is_active=True) | Q(pk=self.instance.value_id))
        value.empty_label = _("(none)")


class _ReplyText(forms.CharField):
    """A reply's text: asked for, but what a reply may be (not empty, at most 2000 characters)
    the service decides, so that its message is the one people see."""

    def validate(self, value: Any) -> None:
        pass


class ReplyForm(DesignSystemForm, forms.Form):
    """A reply in a thread. The form only reads the text; the service checks it."""

    # The browser's own check would speak another language than the page; the service answers.
    use_required_attribute = False

    text = _ReplyText(
        label=_("Your reply"),
        strip=False,
        widget=wide_textarea(3),
        help_text=_("Only the two of you read this thread. At most 2000 characters."),
    )

    def __init__(self, *args: Any, key: str = "", **kwargs: Any) -> None:
        # Several reply forms on one page (one per thread) need ids of their own.
        if key:
            kwargs.setdefault("auto_id", f"id_%s_{key}")
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        # The service's message comes after cleaning; the field says so too.
        super().add_error(field, error)
        self._describe()

    def _describe(self) -> None:
        """Hint and error named by this form's own ids, not the shared `id_text`."""
        attrs = self.fields["text"].widget.attrs
        field_id = self["text"].auto_id
        invalid = bool(self._errors and self._errors.get("text"))  # type: ignore[attr-defined]
        attrs["aria-describedby"] = f"{field_id}-hint" + (f" {field_id}-error" if invalid else "")
        if invalid:
            attrs["aria-invalid"] = "true"
