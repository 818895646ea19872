"""Telling people about things. Callers say what happened; what reaches a person, and how, is
decided here, from the kind's defaults and the person's own choices.

Nothing is sent during a request: an e-mail is a row in the outbox, written in the caller's
transaction, which the worker (`manage.py worker`) delivers. So a mail goes out only for what
was committed, and a slow or broken mail server never slows a page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.kinds import get_kind
from notifications.models import Notification, NotificationSetting, OutgoingEmail
from notifications.selectors import preference_for

KEY_LENGTH = 200


@dataclass(frozen=True)
class Attachment:
    """A text file that goes with the e-mail, such as a calendar invitation:
    Attachment("sparring.ics", ics_text, "text/calendar; method=PUBLISH")."""

    filename: str
    content: str
    mimetype: str

    def __post_init__(self) -> None:
        # Stored as text in the outbox; a binary file would need another column.
        if not self.mimetype.lower().startswith("text/"):
            raise ValueError(f"An e-mail attachment is text, not {self.mimetype!r}")
        if not 0 < len(self.filename) <= 200 or len(self.mimetype) > 100:
            raise ValueError("An attachment needs a name of 1 to 200 and a type of 100 at most")


def notify(
    *,
    recipient: User,
    kind: str,
    text: str | Promise,
    url: str = "",
    attachment: Attachment | None = None,
) -> Notification | None:
    """Tell one person about something: in the app and by e-mail, as far as they want it.

    `kind` is a registered kind (notifications.kinds); `text` one short sentence, best a lazy
    translation, which is rendered in the installation's language; `url` a path in Sparring
    ("/teams/3/"); `attachment` goes with the e-mail, if one is written. Returns the in-app
    notification, or None when none was made (the person is deactivated or does not want this
    kind in the app)."""
    return _notify(
        recipient=recipient, kind=kind, text=text, url=url, key="", attachment=attachment
    )


def notify_once(
    *,
    recipient: User,
    kind: str,
    key: str,
    text: str | Promise,
    url: str = "",
    attachment: Attachment | None = None,
) -> Notification | None:
    """Like notify, but at most once per person, kind and key: calling it again with the same
    key does nothing. For reminders, which the worker considers on every tick; the key names
    the occasion, for example "2026-W48" for a week's check-in reminder."""
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"notify_once needs a key of 1 to {KEY_LENGTH} characters")
    told = Notification.objects.filter(recipient=recipient, kind=kind, key=key).exists() or (
        OutgoingEmail.objects.filter(recipient=recipient, kind=kind, key=key).exists()
    )
    if told:
        return None
    try:
        return _notify(
            recipient=recipient, kind=kind, text=text, url=url, key=key, attachment=attachment
        )
    except IntegrityError:
        # Another worker told them between the check above and the insert.
        return None


@transaction.atomic
def _notify(
    *,
    recipient: User,
    kind: str,
    text: str | Promise,
    url: str,
    key: str,
    attachment: Attachment | None = None,
) -> Notification | None:
    registered = get_kind(kind)
    if url and not (
        url.startswith("/")
        and len(url) <= 300
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        raise ValueError(f"A notification links to a path in Sparring, not {url!r}")
    if not recipient.is_active:
        return None
    preference = preference_for(recipient, kind)
    # One language for everyone until people can choose their own.
    with translation.override(settings.LANGUAGE_CODE):
        rendered = str(text)
        subject = f"Sparring: {registered.label}"
        body = _email_body(rendered, url)
    notification = None
    if preference.in_app:
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, key=key, text=rendered[:300], url=url
        )
    if preference.email and recipient.email:
        OutgoingEmail.objects.create(
            recipient=recipient,
            kind=kind,
            key=key,
            to_address=recipient.email,
            subject=subject[:200],
            body=body,
            attachment_name=attachment.filename if attachment else "",
            attachment_type=attachment.mimetype if attachment else "",
            attachment_content=attachment.content if attachment else "",
        )
    return notification


def _email_body(text: str, url: str) -> str:
    link = settings.SPARRING_BASE_URL + (url or reverse("notifications:list"))
    choose = settings.SPARRING_BASE_URL + reverse("notifications:settings")
    footer = _(
        "You get this e-mail because of your notification settings in Sparring. "
        "Choose what reaches you: {url}"
    ).format(url=choose)
    return f"{text}\n\n{link}\n\n-- \n{footer}\n"


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


@transaction.atomic
def notification_settings_save(*, user: User, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """Store the person's choice, (in_app, email), for each kind named in `choices`."""
    rows = [
        NotificationSetting(user=user, kind=get_kind(kind).name, in_app=in_app, email=email)
        for kind, (in_app, email) in choices.items()
    ]
    NotificationSetting.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["in_app", "email"],
    )
