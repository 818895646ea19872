"""What the conversations app tells people about. A notification or an e-mail names who and
what kind of conversation, and when; never what anyone wrote for it (PRODUCT.md, privacy rule
8): that is read in Sparring, by the participants."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind

register_kind(
    "conversation_invitation",
    label=_("Planned conversations"),
    description=_(
        "A conversation with you is planned, moved or cancelled. "
        "The e-mail carries a calendar invitation."
    ),
)
register_kind(
    "conversation_request",
    label=_("Requests for a conversation"),
    description=_("Someone asks you for a conversation, or cannot hold the one you asked for."),
)
register_kind(
    "conversation_prepare",
    label=_("Preparing a conversation"),
    description=_("A reminder the day before a conversation, to prepare."),
)
register_kind(
    "conversation_actions",
    label=_("Actions from a conversation"),
    description=_("A reminder a week after a conversation, while actions you own are open."),
)
register_kind(
    "conversation_follow_up",
    label=_("Follow-up conversations"),
    description=_(
        "For leaders: a new employee has been here about three months, and a follow-up "
        "conversation is due."
    ),
)
