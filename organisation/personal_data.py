"""The kinds of personal data of the organisation (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, not_personal, register
from organisation.models import ImportJob, Membership

register(
    _("Your place in the organisation"),
    Kind("memberships", _("Your units, as member or leader"), Membership, "user", "home:teams"),
)
not_personal(
    ImportJob,
    reason="An import of the organisation an administrator started or confirmed.",
)
