"""Telling people about things. Callers say what happened; what reaches a person, and how, is
decided here, from the kind's defaults and the person's own choices.

Nothing is sent during a request: an e-mail is a row in the outbox, written in the caller's
transaction, which the worker (`manage.py worker`) delivers. So a mail goes out only for what
was committed, and a slow or broken mail server never slows a page."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from core.compiled import compiled_query
from notifications.kinds import Kind, get_kind
from notifications.models import EmailOff, Notification, NotificationSetting, OutgoingEmail
from notifications.selectors import EMAIL_TEST, preferences_of

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


# People are told in chunks: each chunk is read whole, then written in one short transaction
# with two bulk inserts, so no read cursor stays open while writing (SQLite would refuse the
# write) and a reminder to 25,000 people is some fifty statements per thousand, not 75,000.
CHUNK = 1000
# SQLite has one writer at a time, and a page that waits to write polls for its turn every
# 100 ms at most: between chunks the worker steps aside that long, so a page waits for one
# chunk (well under a second), not for the whole reminder.
SQLITE_STEP_ASIDE = 0.1


def notify(
    *,
    recipient: User,
    kind: str,
    text: str | Promise,
    subject: str | Promise = "",
    url: str = "",
    attachment: Attachment | None = None,
) -> Notification | None:
    """Tell one person about something: in the app and by e-mail, as far as they want it.

    `kind` is a registered kind (notifications.kinds); `text` one short sentence and `subject`
    the e-mail's subject, both best lazy translations, which are rendered in the recipient's
    language. The subject names what happened and who did it ("Mette Lund har takket dig"),
    never what anyone wrote: an e-mail subject is read on lock screens and kept in mail logs
    (PRODUCT.md, privacy rule 8). Without one, it names the kind. `url` is a path in Sparring
    ("/teams/3/"); `attachment` goes with the e-mail, if one is written. Returns the in-app
    notification, or None when none was made (the person is deactivated or does not want this
    kind in the app)."""
    made, _told = _tell(
        recipient_ids=[recipient.pk],
        kind=kind,
        text=text,
        subject=subject,
        url=url,
        key="",
        attachment=attachment,
    )
    return made[0] if made else None


def notify_once(
    *,
    recipient: User,
    kind: str,
    key: str,
    text: str | Promise,
    subject: str | Promise = "",
    url: str = "",
    attachment: Attachment | None = None,
) -> None:
    """Like notify, but at most once per person, kind and key: calling it again with the same
    key does nothing. For reminders, which the worker considers on every tick; the key names
    the occasion, for example "2026-W48" for a week's check-in reminder."""
    notify_each_once(
        recipients=[recipient.pk],
        kind=kind,
        key=key,
        text=text,
        subject=subject,
        url=url,
        attachment=attachment,
    )


def notify_each_once(
    *,
    recipients: Iterable[int],
    kind: str,
    key: str,
    text: str | Promise,
    subject: str | Promise = "",
    url: str = "",
    attachment: Attachment | None = None,
) -> int:
    """notify_once for many people at once (by primary key), in bulk: what the worker's
    reminders use. Returns how many people were newly told, at most; those told before, and
    deactivated people, are skipped. Give it a list of keys read beforehand, not a live
    query: the people are read and written chunk by chunk."""
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"notify_once needs a key of 1 to {KEY_LENGTH} characters")
    _made, told = _tell(
        recipient_ids=list(recipients),
        kind=kind,
        text=text,
        subject=subject,
        url=url,
        key=key,
        attachment=attachment,
    )
    return told


@dataclass(frozen=True)
class _Message:
    """What one notification says, in one language."""

    text: str
    subject: str
    body: str


def _tell(
    *,
    recipient_ids: Sequence[int],
    kind: str,
    text: str | Promise,
    subject: str | Promise,
    url: str,
    key: str,
    attachment: Attachment | None = None,
) -> tuple[list[Notification], int]:
    """The one way people are told, single or in bulk: returns the in-app notifications made
    and how many people were told by any channel."""
    registered = get_kind(kind)
    if url and not (
        url.startswith("/")
        and len(url) <= 300
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        raise ValueError(f"A notification links to a path in Sparring, not {url!r}")
    # Rendered once per language, not per person: a reminder to thousands renders it twice.
    messages: dict[str, _Message] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            rendered = str(text)
            messages[language] = _Message(
                text=rendered[:300],
                subject=" ".join(str(subject or _default_subject(registered)).split())[:200],
                body=_email_body(rendered, url),
            )
    made: list[Notification] = []
    told = 0
    for start in range(0, len(recipient_ids), CHUNK):
        if start and connection.vendor == "sqlite" and not connection.in_atomic_block:
            time.sleep(SQLITE_STEP_ASIDE)
        chunk = recipient_ids[start : start + CHUNK]
        chunk_made, chunk_told = _tell_chunk(
            chunk, registered=registered, key=key, url=url, messages=messages, attachment=attachment
        )
        made += chunk_made
        told += chunk_told
    return made, told


@compiled_query
def _recipients(ids: list[int]) -> QuerySet[User, tuple[int, str, str, bool]]:
    """The active people of `ids`, each with their address, language and whether they turned
    notification e-mail off."""
    return (
        User.objects.filter(pk__in=ids, is_active=True)
        .annotate(no_email=Exists(EmailOff.objects.filter(user=OuterRef("pk"))))
        .values_list("pk", "email", "language", "no_email")
    )


def _default_subject(kind: Kind) -> str:
    # For a caller that names no event; every kind Sparring sends today gives its own.
    return _("Sparring: {kind}").format(kind=kind.label)


# No savepoint inside a caller's transaction: a failure here fails the caller's write too, and
# on PostgreSQL a savepoint and its release are two more round trips on every notification.
@transaction.atomic(savepoint=False)
def _tell_chunk(
    recipient_ids: Sequence[int],
    *,
    registered: Kind,
    key: str,
    url: str,
    messages: Mapping[str, _Message],
    attachment: Attachment | None,
) -> tuple[list[Notification], int]:
    kind = registered.name
    people = _recipients(ids=list(recipient_ids))
    if key:
        told = set(
            Notification.objects.filter(
                recipient_id__in=recipient_ids, kind=kind, key=key
            ).values_list("recipient_id", flat=True)
        )
        told |= set(
            OutgoingEmail.objects.filter(
                recipient_id__in=recipient_ids, kind=kind, key=key
            ).values_list("recipient_id", flat=True)
        )
        people = [person for person in people if person[0] not in told]
    if not people:
        return [], 0
    choices = preferences_of([pk for pk, *_rest in people], registered)
    notifications = []
    emails = []
    for pk, address, language, no_email in people:
        preference = choices[pk]
        message = messages.get(language) or messages[settings.LANGUAGE_CODE]
        if preference.in_app:
            notifications.append(
                Notification(recipient_id=pk, kind=kind, key=key, text=message.text, url=url)
            )
        if preference.email and address and not no_email:
            emails.append(
                OutgoingEmail(
                    recipient_id=pk,
                    kind=kind,
                    key=key,
                    to_address=address,
                    subject=message.subject,
                    body=message.body,
                    attachment_name=attachment.filename if attachment else "",
                    attachment_type=attachment.mimetype if attachment else "",
                    attachment_content=attachment.content if attachment else "",
                )
            )
    # With a key, another worker may have told someone since the check above: the unique
    # constraint keeps the first, and this insert skips them instead of failing the chunk.
    made = Notification.objects.bulk_create(notifications, ignore_conflicts=bool(key))
    OutgoingEmail.objects.bulk_create(emails, ignore_conflicts=bool(key))
    return made, len(people)


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
def notification_settings_save(
    *, user: User, choices: Mapping[str, tuple[bool, bool]], email_on: bool | None = None
) -> None:
    """Store the person's choice, (in_app, email), for each kind named in `choices`, and, when
    `email_on` is given, their switch for all notification e-mail."""
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
    if email_on is not None:
        notification_email_switch(user=user, on=email_on)


@transaction.atomic
def notification_email_switch(*, user: User, on: bool) -> None:
    """Turn all notification e-mail on or off for the person, on top of their choices per
    kind, which are kept for when they turn it on again."""
    if on:
        EmailOff.objects.filter(user=user).delete()
    else:
        EmailOff.objects.get_or_create(user=user)


class EmailTestError(Exception):
    """Why no test e-mail was sent, in words for the administrator."""


@transaction.atomic
def email_test_send(*, actor: User, now: datetime) -> OutgoingEmail:
    """An administrator sends a test e-mail to their own address, through the outbox and the
    worker like every e-mail, so its delivery shows that the worker and the mail server work.
    Audited. One at a time: while one waits for the worker, another is refused."""
    if not actor.email:
        raise EmailTestError(_("You have no e-mail address to send a test e-mail to."))
    waiting = OutgoingEmail.objects.filter(
        recipient=actor, kind=EMAIL_TEST, sent_at__isnull=True, next_attempt_at__isnull=False
    )
    if waiting.exists():
        raise EmailTestError(
            _("A test e-mail is already waiting for the background worker. Wait for it first.")
        )
    with translation.override(actor.language or settings.LANGUAGE_CODE):
        subject = str(_("Sparring: test e-mail"))
        body = (
            str(
                _(
                    "This is a test e-mail from Sparring, sent at your request. When it "
                    "reaches you, Sparring can send e-mail: invitations, links to choose a "
                    "password and notifications."
                )
            )
            + f"\n\n{settings.SPARRING_BASE_URL}{reverse('home:index')}\n"
        )
    email = OutgoingEmail.objects.create(
        recipient=actor,
        kind=EMAIL_TEST,
        to_address=actor.email,
        subject=subject,
        body=body,
        next_attempt_at=now,
    )
    audit_record(actor=actor, action="email.test", target=actor)
    return email
