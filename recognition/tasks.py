"""Imported at start-up by the notifications app, so the settings page lists our kinds."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind

register_kind(
    "recognition",
    label=_("Recognition"),
    description=_("A colleague thanks you in a recognition."),
)
