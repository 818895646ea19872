"""The kinds of personal data of profiles (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, register
from profiles.models import ProfileNote

register(
    _("Notes"),
    Kind("profile_notes", _("Notes about yourself"), ProfileNote, "owner", "profiles:list"),
)
