"""A sparring as an entry in the two people's calendars; notifications.calendar writes the
iCalendar file and explains the choices behind it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from feedback.models import SparringRequest
from notifications.calendar import CalendarEvent


def sparring_event(sparring: SparringRequest) -> CalendarEvent:
    """The sparring's time in the calendar; it needs one (`has_invitation`)."""
    if sparring.starts_at is None or sparring.ends_at is None:
        raise ValueError("A sparring without a time has no calendar invitation")
    # In the installation's language, like the e-mail the file travels with.
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Sparring: %(topic)s") % {"topic": sparring.topic}
        names = _("%(asker)s and %(partner)s") % {
            "asker": sparring.asker.display_name,
            "partner": sparring.partner.display_name,
        }
    return CalendarEvent(
        uid_key=f"sparring-{sparring.pk}",
        sequence=sparring.sequence,
        starts_at=sparring.starts_at,
        ends_at=sparring.ends_at,
        summary=summary,
        description=names,
        location=sparring.place,
        url=settings.SPARRING_BASE_URL + sparring.get_absolute_url(),
        attendees=[
            (person.display_name, person.email) for person in (sparring.asker, sparring.partner)
        ],
        cancelled=sparring.status == SparringRequest.Status.CANCELLED,
        # The topic is between the two of them; shared calendars show the time as busy only.
        private=True,
    )
