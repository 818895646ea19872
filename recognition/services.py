"""Writes about recognition. Each is atomic; the recipients are told, and the team's (or the
organisation's) chat channel gets the note through the worker, if an administrator set one up."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PERSON_LEFT, User
from notifications.chat import chat_post, chat_withdraw
from notifications.services import notify
from organisation.models import Unit, Value
from organisation.selectors import is_member
from recognition.models import Reaction, Recognition


class RecognitionError(ValueError):
    """A change that cannot be made; the message is for the person who tried."""


def recognition_create(
    *,
    author: User,
    recipients: Sequence[User],
    text: str,
    values: Sequence[Value],
    unit: Unit | None,
) -> Recognition:
    """Thank `recipients`, tied to `values`, for the people of `unit` to see (or everyone's,
    when `unit` is None). What is checked is read before the transaction: on SQLite a
    transaction holds the one write lock from its start, and every other writer waits."""
    text = text.strip()
    if not text:
        raise RecognitionError(_("Write what you thank them for."))
    if not recipients:
        raise RecognitionError(_("Choose at least one person to thank."))
    if not values:
        raise RecognitionError(_("Choose at least one value."))
    for person in recipients:
        if person.pk == author.pk:
            raise RecognitionError(_("You cannot thank yourself."))
        if not person.is_active:
            raise RecognitionError(str(PERSON_LEFT))
    if unit is not None and not is_member(author, unit):
        raise RecognitionError(_("You can only post to a team you are part of."))
    names = ", ".join(person.display_name for person in recipients)
    value_names = ", ".join(value.name for value in values)
    # The recognition, its people and values, the notifications and the chat message, all or
    # nothing.
    with transaction.atomic():
        recognition = Recognition.objects.create(author=author, text=text, unit=unit)
        # New, it has no people or values to compare with: `add` writes each in one statement,
        # where `set` would read them first.
        recognition.recipients.add(*recipients)
        recognition.values.add(*values)
        for person in recipients:
            notify(
                recipient=person,
                kind="recognition",
                text=format_lazy(
                    gettext_lazy("{name} thanks you: {text}"),
                    name=author.display_name,
                    text=Truncator(" ".join(text.split())).chars(120),
                ),
                subject=format_lazy(gettext_lazy("{name} thanked you"), name=author.display_name),
                url=recognition.get_absolute_url(),
            )
        chat_post(
            unit=unit,
            text=format_lazy(
                gettext_lazy("{author} thanks {names}: {text} (Values: {values})"),
                author=author.display_name,
                names=names,
                text=text,
                values=value_names,
            ),
            link=recognition.get_absolute_url(),
            link_label=gettext_lazy("See it in Sparring"),
        )
        return recognition


@transaction.atomic
def reaction_toggle(*, recognition: Recognition, user: User, kind: str) -> bool:
    """Add the reaction, or take it back if it is there; returns whether it is there now."""
    if kind not in Reaction.Kind.values:
        raise RecognitionError(_("Unknown reaction."))
    removed, _counts = Reaction.objects.filter(
        recognition=recognition, user=user, kind=kind
    ).delete()
    if removed:
        return False
    try:
        # A double click sends two adds at once; the constraint keeps one.
        with transaction.atomic():
            Reaction.objects.create(recognition=recognition, user=user, kind=kind)
    except IntegrityError:
        pass
    return True


@transaction.atomic
def recognition_delete(*, recognition: Recognition, by: User) -> None:
    """The author takes a recognition back, with its chat messages not yet posted; one
    already posted stays in the chat."""
    if recognition.author_id != by.pk:
        raise RecognitionError(_("Only the author can delete a recognition."))
    chat_withdraw(link=recognition.get_absolute_url())
    recognition.delete()
