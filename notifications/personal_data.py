"""The kinds of personal data of notifications (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, Rule, register, retention
from notifications.models import EmailOff, Notification, NotificationSetting, OutgoingEmail

register(
    _("Notifications and e-mail"),
    Kind("notifications", _("Notifications"), Notification, "recipient", "notifications:list"),
    Kind(
        "notification_settings",
        _("Your choices of what reaches you"),
        NotificationSetting,
        "user",
        "notifications:settings",
    ),
    Kind("email_off", _("E-mail turned off"), EmailOff, "user", "notifications:settings"),
    Kind("emails", _("E-mails to you"), OutgoingEmail, "recipient"),
)
# Only what was sent: an e-mail waiting for the worker is never too old to send.
retention(Rule("emails", _("E-mails sent"), OutgoingEmail, "sent_at"))
