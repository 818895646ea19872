"""The kinds of personal data of check-ins and reflections (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from checkins.models import CheckIn, Reflection, Reply, Thread
from checkins.services import checkins_erase
from core.personal_data import Kind, Rule, delete_rows, not_personal, register, retention

register(
    _("Check-ins and reflections"),
    # Not deleted in bulk by their owner: the replies on them are others' words, which only a
    # retention rule the organisation has set may delete (PRODUCT.md, privacy rule 7).
    Kind("checkins", _("Check-ins"), CheckIn, "owner", "checkins:list"),
    Kind(
        "checkin_replies",
        _("Your replies on check-ins"),
        Reply,
        "owner",
        "checkins:list",
        delete_rows,
    ),
    Kind("reflections", _("Reflections"), Reflection, "owner", "reflections:list", delete_rows),
)
not_personal(
    Thread,
    reason="Who a check-in's replies are between; the replies are a kind of their own.",
)
retention(
    Rule(
        "checkins", _("Check-ins, with the replies on them"), CheckIn, "created_at", checkins_erase
    ),
    Rule("reflections", _("Reflections"), Reflection, "created_at"),
)
