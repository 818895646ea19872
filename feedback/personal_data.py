"""The kinds of personal data of feedback and sparring (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, Rule, delete_rows, register, retention
from feedback.models import Feedback, FeedbackAsk, FeedbackRequest, SparringRequest

register(
    _("Feedback and sparring"),
    # Feedback belongs to its receiver, who may remove it; the giver then no longer sees it.
    Kind(
        "feedback_received",
        _("Feedback you received"),
        Feedback,
        "owner",
        "feedback:received",
        delete_rows,
    ),
    # What the receiver did with it (shared it onward, kept it for their development) is theirs:
    # the giver does not read it on the page, and does not get it in a copy.
    Kind(
        "feedback_given",
        _("Feedback you gave"),
        Feedback,
        "giver",
        "feedback:given",
        withheld=("visibility", "shared_with", "kept"),
    ),
    Kind(
        "feedback_requests", _("Feedback you asked for"), FeedbackRequest, "asker", "feedback:index"
    ),
    Kind("feedback_asks", _("Requests for your feedback"), FeedbackAsk, "person", "feedback:index"),
    Kind(
        "sparring_requests",
        _("Sparring you asked for or were asked for"),
        SparringRequest,
        ("asker", "partner"),
        "feedback:sparring_list",
    ),
)
retention(Rule("feedback", _("Feedback"), Feedback, "created_at"))
