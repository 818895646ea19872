"""The kinds of personal data of profiles (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, Rule, delete_rows, register, retention
from profiles.models import ProfileNote

register(
    _("Notes"),
    Kind(
        "profile_notes",
        _("Notes about yourself"),
        ProfileNote,
        "owner",
        "profiles:list",
        delete_rows,
    ),
)
# A note is kept up to date by its owner: its age is counted from its last change.
retention(
    Rule("profile_notes", _("Notes about oneself, since last changed"), ProfileNote, "updated_at")
)
