"""The kinds of personal data of accounts (see core.personal_data)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import LoginAttempt, Session, User
from accounts.services import LOGIN_AUDIT_ACTIONS, LOGIN_RECORDS_DAYS
from core.models import AuditEntry
from core.personal_data import Kind, Rule, not_personal, register, retention

register(
    _("Your account"),
    Kind("account", _("Name, e-mail address, title and language"), User, "id"),
    Kind("login_attempts", _("Logins to your account, and attempts"), LoginAttempt, "user"),
)
not_personal(
    Session,
    reason="A login while it lasts: it ends at logout or when it expires.",
)
# Logins and failed attempts, with the addresses they came from, and the audit log's lines
# about failures and lock-outs: kept long enough to see an attack, then deleted. They always
# have a deadline; an organisation may lengthen it, not remove it.
LOGIN_RECORDS = _("Logins and login attempts, with their lines in the audit log")
retention(
    Rule(
        "login_records",
        LOGIN_RECORDS,
        LoginAttempt,
        "at",
        default_days=LOGIN_RECORDS_DAYS,
    ),
    Rule(
        "login_records",
        LOGIN_RECORDS,
        AuditEntry,
        "at",
        where=Q(action__in=LOGIN_AUDIT_ACTIONS),
        default_days=LOGIN_RECORDS_DAYS,
    ),
)
