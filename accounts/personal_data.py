"""The kinds of personal data of accounts (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import LoginAttempt, Session, User
from core.personal_data import Kind, not_personal, register

register(
    _("Your account"),
    Kind("account", _("Name, e-mail address, title and language"), User, "id"),
    Kind("login_attempts", _("Logins to your account, and attempts"), LoginAttempt, "user"),
)
not_personal(
    Session,
    reason="A login while it lasts: it ends at logout or when it expires.",
)
