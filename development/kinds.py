"""What the development app tells people about. A notification names who shared, never what a
self-assessment says: that is read in Sparring."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind

register_kind(
    "assessment_shared",
    label=_("Self-assessments shared with you"),
    description=_("Someone shares their self-assessment with you, or with you as their leader."),
)
