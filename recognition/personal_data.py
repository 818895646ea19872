"""The kinds of personal data of recognition (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, register
from recognition.models import Reaction, Recognition

register(
    _("Recognition"),
    Kind("recognition_given", _("Thanks you gave"), Recognition, "author", "recognition:feed"),
    Kind(
        "recognition_received",
        _("Thanks you received"),
        Recognition,
        "recipients",
        "recognition:feed",
    ),
    Kind("reactions", _("Your reactions to thanks"), Reaction, "user", "recognition:feed"),
)
