"""What the check-ins app tells people about. A notification names who and which week, never
what a check-in or a reply says: that is read in Sparring."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind

register_kind(
    "checkin_shared",
    label=_("Check-ins shared with you"),
    description=_("Someone you lead shares their check-in with you."),
)
register_kind(
    "checkin_reply",
    label=_("Replies to check-ins"),
    description=_("Someone replies to a check-in you shared, or answers your reply to theirs."),
)
