"""A planned conversation as an entry in its participants' calendars; notifications.calendar
writes the iCalendar file and explains the choices behind it (one UID for the conversation's
whole life, SEQUENCE raised with each new time and the cancellation, CLASS:PRIVATE)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from accounts.models import User
from conversations.models import Conversation
from notifications.calendar import CalendarEvent


def conversation_event(
    conversation: Conversation, participants: Sequence[User] | None = None
) -> CalendarEvent:
    """The conversation's time in the calendar; it needs one (a planned, held or cancelled
    conversation that had a time). `participants` saves reading them again."""
    if conversation.starts_at is None or conversation.ends_at is None:
        raise ValueError("A conversation without a time has no calendar invitation")
    if participants is None:
        participants = list(
            User.objects.filter(conversation_threads__thread_id=conversation.thread_id).order_by(
                "first_name", "last_name", "pk"
            )
        )
    # In the installation's language, like the e-mail the file travels with.
    with translation.override(settings.LANGUAGE_CODE):
        names = get_text_list([person.display_name for person in participants], _("and"))
        summary = _("%(kind)s: %(what)s") % {
            "kind": conversation.get_kind_display(),
            "what": conversation.title or names,
        }
    return CalendarEvent(
        uid_key=f"conversation-{conversation.pk}",
        sequence=conversation.sequence,
        starts_at=conversation.starts_at,
        ends_at=conversation.ends_at,
        summary=summary,
        description=names,
        location=conversation.place,
        url=settings.SPARRING_BASE_URL + conversation.get_absolute_url(),
        attendees=[(person.display_name, person.email) for person in participants],
        cancelled=conversation.status == Conversation.Status.CANCELLED,
        # What a conversation is about is between its participants: shared calendars show
        # the time as busy only.
        private=True,
    )
