"""What the feedback app tells people about. Texts never quote feedback itself: a notification
or an e-mail names who and what about, and the feedback is read in Sparring."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind

register_kind(
    "feedback_request",
    label=_("Feedback requests"),
    description=_("A colleague asks you for feedback, or cannot answer your request."),
)
register_kind(
    "feedback_received",
    label=_("Feedback for you"),
    description=_("A colleague gives you feedback."),
)
register_kind(
    "feedback_thanks",
    label=_("Thanks for feedback"),
    description=_("Someone thanks you for the feedback you gave."),
    email=False,
)
register_kind(
    "feedback_shared",
    label=_("Feedback shared with you"),
    description=_("Someone shares feedback they received with you, for example as their leader."),
)
register_kind(
    "sparring",
    label=_("Sparring"),
    description=_(
        "A colleague asks you for sparring, answers your request or changes the time. "
        "The e-mail carries a calendar invitation."
    ),
)
