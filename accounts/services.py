"""Writes about people's accounts: logins and the lock-out, links to set a password,
deactivation, ending sessions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import LoginAttempt, LoginThrottle, Session, User
from accounts.net import address_bucket
from accounts.tokens import LinkTokens
from core.audit import audit_record
from notifications.account_emails import LINK, account_email_queue

logger = logging.getLogger("sparring.accounts")


def unique_username(base: str) -> str:
    base = "".join(ch for ch in base.lower() if ch.isalnum() or ch in "._-")[:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


# --- Login and lock-out -------------------------------------------------------------------------

# A run of failures is forgotten after a day without one.
STREAK_WINDOW = timedelta(days=1)
# Login attempts and the audit rows about logins are kept this long.
# Logins and attempts are deleted after this many days, unless the organisation sets another
# deadline (accounts.personal_data).
LOGIN_RECORDS_DAYS = 90
LOGIN_AUDIT_ACTIONS = ("login.failed", "login.locked", "login.address_locked")


@dataclass(frozen=True)
class LoginTry:
    """A login attempt that was let through the lock-out and counted as a failure until it
    is known to have succeeded."""

    person: User | None
    address: str | None
    name_key: str
    address_key: str | None

    @property
    def keys(self) -> list[str]:
        return [k for k in (self.name_key, self.address_key) if k]


def _name_key(username: str) -> str:
    # A keyed digest: the counter works the same for a name that matches no one, so the
    # lock-out says nothing about whether an account exists, and the typed name is not kept.
    digest = salted_hmac(
        "sparring.accounts.login-name", username.strip().lower(), algorithm="sha256"
    )
    return "n:" + digest.hexdigest()


def _limit(key: str) -> int:
    if key.startswith("n:"):
        return int(settings.SPARRING_LOCKOUT_ATTEMPTS)
    return int(settings.SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS)


def _throttles(keys: list[str], now: datetime) -> list[LoginThrottle]:
    """The counters of these keys, created if missing, locked until the transaction ends, in
    one order so two requests never wait for each other in a circle."""
    LoginThrottle.objects.bulk_create(
        [LoginThrottle(key=key, last_at=now) for key in keys], ignore_conflicts=True
    )
    return list(LoginThrottle.objects.select_for_update().filter(key__in=keys).order_by("key"))


def _person_named(username: str) -> User | None:
    return (
        User.objects.filter(username=username).first()
        or User.objects.filter(username__iexact=username).order_by("pk").first()
    )


def login_try_begin(*, username: str, address: str | None, now: datetime) -> LoginTry | None:
    """Let a login attempt through, or None while the name or the address is locked out.

    A try that is let through counts as a failure at once, so parallel tries cannot pass
    the limit together; nothing at all is recorded for a try refused as locked."""
    bucket = address_bucket(address)
    name_key = _name_key(username)
    address_key = f"a:{bucket}" if bucket else None
    keys = [k for k in (name_key, address_key) if k]
    with transaction.atomic():
        rows = _throttles(keys, now)
        for row in rows:
            if row.locked_until is not None and row.locked_until > now:
                return None
            if row.last_at < now - STREAK_WINDOW:
                row.count = 0
            if row.count >= _limit(row.key):
                return None
        for row in rows:
            row.count += 1
            row.last_at = now
            row.locked_until = None
        LoginThrottle.objects.bulk_update(rows, ["count", "last_at", "locked_until"])
    return LoginTry(_person_named(username), address, name_key, address_key)


@transaction.atomic
def login_try_failed(*, attempt: LoginTry, now: datetime) -> None:
    """The password was wrong: record it, and lock the name or the address that reached its
    limit. The person is told of a lock by e-mail, once per lock."""
    locked: list[str] = []
    rows = _throttles(attempt.keys, now)
    for row in rows:
        if row.count >= _limit(row.key):
            row.locked_until = now + timedelta(minutes=settings.SPARRING_LOCKOUT_MINUTES)
            row.count = 0
            locked.append(row.key)
    LoginThrottle.objects.bulk_update(rows, ["count", "locked_until"])
    person = attempt.person
    LoginAttempt.objects.create(user=person, ip_address=attempt.address, succeeded=False, at=now)
    where = _("From %(address)s") % {"address": attempt.address or "?"}
    if person is not None:
        audit_record(actor=None, action="login.failed", target=person, summary=where)
        if attempt.name_key in locked:
            audit_record(actor=None, action="login.locked", target=person, summary=where)
            _account_email(person, "account_locked")
    if attempt.address_key in locked:
        audit_record(
            actor=None,
            action="login.address_locked",
            summary=where,
            data={"counted_as": attempt.address_key[2:] if attempt.address_key else ""},
        )
    logger.info("login failed for person %s from %s", person.pk if person else "-", attempt.address)


@transaction.atomic
def login_try_succeeded(*, attempt: LoginTry, person: User, now: datetime) -> None:
    """The password was right: the name's run of failures ends; the address keeps the
    others (a correct login of one's own account must not reset a spray over many)."""
    rows = _throttles(attempt.keys, now)
    for row in rows:
        row.count = 0 if row.key == attempt.name_key else max(row.count - 1, 0)
    LoginThrottle.objects.bulk_update(rows, ["count"])
    LoginAttempt.objects.create(user=person, ip_address=attempt.address, succeeded=True, at=now)
    logger.info("login succeeded for person %s from %s", person.pk, attempt.address)


def login_throttles_purge(*, now: datetime) -> int:
    """Forget the counters nobody has touched for a day and that lock nothing. The login
    records themselves go by their deletion deadline. Returns how many were forgotten."""
    return (
        LoginThrottle.objects.filter(last_at__lt=now - STREAK_WINDOW)
        .exclude(locked_until__gt=now)
        .delete()[0]
    )


# --- Passwords that only their owner knows --------------------------------------------------------

INVITATION = "invitation"
RESET = "reset"
PURPOSES = (INVITATION, RESET)
LINK_EMAIL_KINDS = {INVITATION: "account_invitation", RESET: "account_password_reset"}
_TOKENS = {purpose: LinkTokens(purpose) for purpose in PURPOSES}


class AccountError(Exception):
    """A request about an account that is refused; the message says why, for the page."""


def link_lifetime(purpose: str) -> timedelta:
    if purpose == INVITATION:
        return timedelta(days=settings.SPARRING_INVITATION_DAYS)
    return timedelta(hours=settings.SPARRING_PASSWORD_RESET_HOURS)


def password_link_url(*, person: User, purpose: str, now: datetime) -> str:
    """The link for this person and purpose, valid from `now`. Made by the worker as it
    sends the e-mail, never stored."""
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = _TOKENS[purpose].make(person, now=now)
    path = reverse(
        "accounts:password_link", kwargs={"purpose": purpose, "uidb64": uidb64, "token": token}
    )
    return settings.SPARRING_BASE_URL + path


def password_link_person(*, purpose: str, uidb64: str, token: str, now: datetime) -> User | None:
    """The active person the link is for, if it is valid now; None for any other link."""
    if purpose not in _TOKENS:
        return None
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        return None
    valid = _TOKENS[purpose].is_valid(person, token, now=now, lifetime=link_lifetime(purpose))
    return person if valid else None


def _on_hold_until(person: User) -> datetime | None:
    if person.email_changed_at is None:
        return None
    return person.email_changed_at + timedelta(days=settings.SPARRING_EMAIL_CHANGE_HOLD_DAYS)


def links_held(*, person: User, now: datetime) -> bool:
    """Whether a recent change of the person's e-mail address still holds back anything
    that would let whoever holds the new address into the account."""
    hold = _on_hold_until(person)
    return hold is not None and now < hold


def _account_email(person: User, kind: str, *, to_address: str = "") -> None:
    """Write an account e-mail in the person's language, Danish until they choose. Subjects
    name no one."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        if kind == "account_invitation":
            subject = _("Sparring: your invitation")
            text = _(
                "You are invited to Sparring. Choose your own password through the link "
                "below. The link works once and expires after %(days)d days."
            ) % {"days": settings.SPARRING_INVITATION_DAYS}
        elif kind == "account_password_reset":
            subject = _("Sparring: choose a new password")
            text = _(
                "Someone asked for a new password for your account in Sparring. Choose one "
                "through the link below. The link works once and expires after %(hours)d "
                "hours. If it was not you, you can ignore this e-mail: your password is "
                "unchanged."
            ) % {"hours": settings.SPARRING_PASSWORD_RESET_HOURS}
        elif kind == "account_locked":
            subject = _("Sparring: too many failed logins")
            text = _(
                "There were too many failed attempts to log in to your account in Sparring, "
                "so it is locked for %(minutes)d minutes. If it was not you, choose a new "
                "password when the lock has ended, and tell an administrator."
            ) % {"minutes": settings.SPARRING_LOCKOUT_MINUTES}
        else:
            subject = _("Sparring: your e-mail address was changed")
            text = _(
                "An administrator or an import changed the e-mail address of your account "
                "in Sparring; this address is no longer used. If that was not agreed with "
                "you, tell an administrator. For safety, no link to choose a password can "
                "be sent to your account for %(days)d days."
            ) % {"days": settings.SPARRING_EMAIL_CHANGE_HOLD_DAYS}
        lines = [text, ""]
        if kind in LINK_EMAIL_KINDS.values():
            lines += [LINK, ""]
        lines.append(_("Your user name: %(username)s") % {"username": person.username})
    account_email_queue(
        recipient=person,
        kind=kind,
        subject=str(subject),
        body="\n".join(str(line) for line in lines) + "\n",
        to_address=to_address,
    )


@transaction.atomic
def password_link_send(*, actor: User | None, person: User, now: datetime) -> str:
    """An administrator sends a person a link to set their own password: an invitation if
    they have none yet, else a reset link. Returns the purpose. The administrator never
    sees the link, and never a password."""
    hold = _on_hold_until(person)
    if not person.is_active:
        raise AccountError(_("%(name)s is deactivated.") % {"name": person.display_name})
    if not person.email:
        raise AccountError(
            _("%(name)s has no e-mail address to send a link to.") % {"name": person.display_name}
        )
    if hold is not None and now < hold:
        raise AccountError(
            _(
                "The e-mail address of %(name)s was changed recently. For safety, no link "
                "can be sent before %(date)s. The person can still log in with their own "
                "password and change it themselves."
            )
            % {
                "name": person.display_name,
                "date": date_format(timezone.localtime(hold), "SHORT_DATETIME_FORMAT"),
            }
        )
    purpose = RESET if person.has_usable_password() else INVITATION
    _account_email(person, LINK_EMAIL_KINDS[purpose])
    audit_record(actor=actor, action="password.link_sent", target=person, data={"kind": purpose})
    return purpose


def password_forgot_request(*, email: str, address: str | None, now: datetime) -> None:
    """ "Forgot my password": a reset link to the person with this address, if there is one
    and they have not asked too often; nothing otherwise. The caller shows the same answer
    whatever happened, and the same counters are written either way."""
    person = (
        User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if email.strip()
        else None
    )
    bucket = address_bucket(address)
    limits = {}
    if bucket:
        limits[f"f:a:{bucket}"] = settings.SPARRING_PASSWORD_LINKS_PER_ADDRESS_PER_HOUR
    limits["f:n:" + _name_key(email)[2:]] = settings.SPARRING_PASSWORD_LINKS_PER_HOUR
    with transaction.atomic():
        rows = _throttles(list(limits), now)
        allowed = True
        for row in rows:
            if row.last_at <= now - timedelta(hours=1) or row.count == 0:
                row.count, row.last_at = 0, now
            row.count += 1
            allowed = allowed and row.count <= limits[row.key]
        LoginThrottle.objects.bulk_update(rows, ["count", "last_at"])
        hold = _on_hold_until(person) if person else None
        if allowed and person is not None and (hold is None or now >= hold):
            _account_email(person, LINK_EMAIL_KINDS[RESET])


@transaction.atomic
def password_set_by_link(*, person: User, password: str) -> int:
    """The person chose their password through a link. Every session they had ends: whoever
    may have known the old password is logged out. Returns how many ended."""
    person.set_password(password)
    person.save(update_fields=["password"])
    return Session.objects.filter(user=person).delete()[0]


@transaction.atomic
def password_change(*, person: User, password: str, keep_session_key: str | None) -> int:
    """The logged-in person changed their password: their other sessions end, this one
    stays. Returns how many ended."""
    person.set_password(password)
    person.save(update_fields=["password"])
    return Session.objects.filter(user=person).exclude(session_key=keep_session_key).delete()[0]


# How long after a person is created an administrator may still correct their address
# without holding their invitation (see person_email_changed).
NEW_PERSON_GRACE = timedelta(days=1)


def person_email_changed(
    *, actor: User | None, person: User, old_email: str, now: datetime
) -> None:
    """Called after an administrator or an import changed a person's e-mail address.

    Otherwise an administrator could put in their own address and send a reset link to take
    the account over. So the old address is told, the change is audited, and no link to set
    a password is sent for some days. A first address for someone who had none is such a
    change too: there is only no old address to tell.

    The hold covers a person who has never logged in as well, once they have been in
    Sparring for a day: by then colleagues may have asked them for feedback or shared
    something with them, which a made-up invitation would open. Within that first day an
    administrator can still correct a mistyped address and send the invitation at once."""
    if (old_email or "").strip().lower() == (person.email or "").strip().lower():
        return
    can_log_in = person.has_usable_password() or person.last_login is not None
    hold = can_log_in or person.date_joined <= now - NEW_PERSON_GRACE
    audit_record(
        actor=actor,
        action="person.email_change",
        target=person,
        data={"old": old_email, "new": person.email, "links_held": hold},
    )
    if hold:
        person.email_changed_at = now
        User.objects.filter(pk=person.pk).update(email_changed_at=now)
    if old_email:
        _account_email(person, "account_email_changed", to_address=old_email)


@transaction.atomic
def person_reactivate(*, actor: User | None, person: User) -> None:
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
    audit_record(actor=actor, action="person.reactivate", target=person)


def people_deactivate(*, ids: list[int], now: datetime) -> int:
    """Leavers: kept (their history stays theirs), but they cannot log in, belong nowhere, and
    every session they have ends; `now` is when they left. The caller audits. Returns how
    many sessions ended."""
    from organisation.models import Membership

    ended = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        User.objects.filter(pk__in=chunk, is_active=True).update(
            is_active=False, deactivated_at=now
        )
        Membership.objects.filter(user_id__in=chunk).delete()
        ended += Session.objects.filter(user_id__in=chunk).delete()[0]
    return ended


@transaction.atomic
def person_deactivate(*, actor: User | None, person: User, now: datetime, reason: str = "") -> None:
    ended = people_deactivate(ids=[person.pk], now=now)
    person.is_active = False
    person.deactivated_at = now
    audit_record(
        actor=actor,
        action="person.deactivate",
        target=person,
        summary=reason,
        data={"sessions_ended": ended},
    )


def person_language_set(*, person: User, code: str) -> None:
    """The person's own choice of language, kept on their account for every device."""
    if person.language != code:
        person.language = code
        person.save(update_fields=["language"])
