from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import DesignSystemForm
from notifications.kinds import Kind
from notifications.models import ChatWebhook, validate_webhook_url
from notifications.selectors import Preference
from organisation.forms import UnitChoiceField
from organisation.models import Unit


class NotificationSettingsForm(forms.Form):
    """One switch for all e-mail, then two checkboxes per kind: in Sparring, and by e-mail.
    Unchecked means no."""

    all_email = forms.BooleanField(
        label=_("Send me e-mails about what happens in Sparring"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
    )

    def __init__(
        self, *args: Any, preferences: list[Preference], email_on: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["all_email"].initial = email_on
        self.kinds = [preference.kind for preference in preferences]
        for preference in preferences:
            name = preference.kind.name
            self.fields[f"{name}-in_app"] = forms.BooleanField(
                label=_("In Sparring"),
                required=False,
                initial=preference.in_app,
                widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
            )
            self.fields[f"{name}-email"] = forms.BooleanField(
                label=_("By e-mail"),
                required=False,
                initial=preference.email,
                widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
            )

    def groups(self) -> Iterator[tuple[Kind, forms.BoundField, forms.BoundField]]:
        """Per kind: the kind, its in-app checkbox and its e-mail checkbox."""
        for kind in self.kinds:
            yield kind, self[f"{kind.name}-in_app"], self[f"{kind.name}-email"]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind.name: (
                bool(self.cleaned_data[f"{kind.name}-in_app"]),
                bool(self.cleaned_data[f"{kind.name}-email"]),
            )
            for kind in self.kinds
        }


class WebhookURLField(forms.URLField):
    # In place of the URL field's own check, which lets ftp: through.
    default_validators = [validate_webhook_url]


class ChatWebhookForm(DesignSystemForm, forms.Form):
    """A chat channel's webhook. Editing, the address field starts empty (the saved one holds
    a secret and is never shown again) and an empty field keeps it."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For you, for example the channel's name."),
    )
    format = forms.ChoiceField(
        label=_("Chat service"), choices=ChatWebhook.Format.choices, widget=forms.RadioSelect
    )
    url = WebhookURLField(
        label=_("Webhook address"),
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "input-width-xl"}
        ),
        help_text=_(
            "The address the chat service gives the channel's incoming webhook; “Where to "
            "find the address” above says where it is for each service. It holds a secret, so "
            "Sparring shows only its beginning once it is saved."
        ),
    )
    unit = UnitChoiceField(
        label=_("Whose channel"),
        queryset=Unit.objects.active().only("pk", "name", "depth", "path"),
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_(
            "The whole organisation's channel gets what is shared with everyone; a team's "
            "channel gets what is shared with that team, and nothing else."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive webhook gets no messages."),
    )

    def __init__(self, *args: Any, webhook: ChatWebhook | None = None, **kwargs: Any) -> None:
        if webhook is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": webhook.name,
                    "format": webhook.format,
                    "unit": webhook.unit_id,
                    "is_active": webhook.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if webhook is not None:
            url = self.fields["url"]
            url.required = False
            url.help_text = format_lazy(
                "{saved} {help}",
                saved=_("Saved address: {address} (leave empty to keep it).").format(
                    address=webhook.masked_url
                ),
                help=url.help_text,
            )
