"""Calendar invitations for sparring, as iCalendar (RFC 5545) files that any calendar opens.

Times are written in the installation's time zone (Europe/Copenhagen) with its VTIMEZONE, so
a calendar shows 14:00 as 14:00 across summer and winter time. Each sparring keeps one UID,
and a new time or a cancellation raises SEQUENCE.

By e-mail the file is an iTIP (RFC 5546) REQUEST, or a CANCEL once the sparring is called
off, from Sparring's own address as organiser and with both people as attendees who need not
answer: that is what lets Outlook and other calendars move or remove the entry they already
have. The file to download is a plain PUBLISH, for adding the time by hand."""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from feedback.models import SparringRequest


def sparring_uid(sparring: SparringRequest) -> str:
    host = urlsplit(settings.SPARRING_BASE_URL).hostname or "sparring"
    return f"sparring-{sparring.pk}@{host}"


def sparring_ics(sparring: SparringRequest, *, method: str = "PUBLISH") -> str:
    """The sparring as an iCalendar file with `method` PUBLISH (to download), REQUEST (to
    e-mail while the time stands) or CANCEL (to e-mail once it is cancelled)."""
    if sparring.starts_at is None or sparring.ends_at is None:
        raise ValueError("A sparring without a time has no calendar invitation")
    if method not in ("PUBLISH", "REQUEST", "CANCEL"):
        raise ValueError(f"Unknown iTIP method {method!r}")
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Sparring//Sparring//DA")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", sparring_uid(sparring))
    event.add("sequence", sparring.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", sparring.starts_at.astimezone(zone))
    event.add("dtend", sparring.ends_at.astimezone(zone))
    # The topic is between the two of them; shared calendars show the time as busy only.
    event.add("class", "PRIVATE")
    # In the installation's language, like the e-mail the file travels with.
    with translation.override(settings.LANGUAGE_CODE):
        event.add("summary", _("Sparring: %(topic)s") % {"topic": sparring.topic})
        names = _("%(asker)s and %(partner)s") % {
            "asker": sparring.asker.display_name,
            "partner": sparring.partner.display_name,
        }
    if sparring.place:
        event.add("location", sparring.place)
    link = settings.SPARRING_BASE_URL + sparring.get_absolute_url()
    event.add("description", f"{names}\n\n{link}")
    event.add("url", link)
    if method != "PUBLISH":
        organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
        organizer.params["cn"] = vText("Sparring")
        event.add("organizer", organizer)
        for person in (sparring.asker, sparring.partner):
            if person.email:
                attendee = vCalAddress(f"mailto:{person.email}")
                attendee.params["cn"] = vText(person.display_name)
                attendee.params["partstat"] = vText("ACCEPTED")
                attendee.params["rsvp"] = vText("FALSE")
                event.add("attendee", attendee, encode=False)
    cancelled = sparring.status == SparringRequest.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical.decode()


def sparring_ics_filename(sparring: SparringRequest) -> str:
    return f"sparring-{sparring.pk}.ics"
