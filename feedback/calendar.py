"""Calendar invitations for sparring, as iCalendar (RFC 5545) files that any calendar opens.

Times are written in the installation's time zone (Europe/Copenhagen) with its VTIMEZONE, so
a calendar shows 14:00 as 14:00 across summer and winter time. Each sparring keeps one UID;
a new time or a cancellation raises SEQUENCE, so calendars replace the earlier version."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from feedback.models import SparringRequest


def sparring_uid(sparring: SparringRequest) -> str:
    host = urlsplit(settings.SPARRING_BASE_URL).hostname or "sparring"
    return f"sparring-{sparring.pk}@{host}"


def sparring_ics(sparring: SparringRequest) -> str:
    """The sparring as an iCalendar file: an event while the time stands, a cancelled one
    after it was cancelled."""
    if sparring.starts_at is None or sparring.ends_at is None:
        raise ValueError("A sparring without a time has no calendar invitation")
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Sparring//Sparring//DA")
    calendar.add("version", "2.0")
    # PUBLISH, not REQUEST: the file adds the time to a calendar and asks nobody to reply by
    # e-mail; both people already agreed in Sparring.
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", sparring_uid(sparring))
    event.add("sequence", sparring.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", sparring.starts_at.astimezone(zone))
    event.add("dtend", sparring.ends_at.astimezone(zone))
    event.add("summary", _("Sparring: %(topic)s") % {"topic": sparring.topic})
    if sparring.place:
        event.add("location", sparring.place)
    link = settings.SPARRING_BASE_URL + sparring.get_absolute_url()
    names = _("%(asker)s and %(partner)s") % {
        "asker": sparring.asker.display_name,
        "partner": sparring.partner.display_name,
    }
    event.add("description", f"{names}\n\n{link}")
    event.add("url", link)
    cancelled = sparring.status == SparringRequest.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical.decode()


def sparring_ics_filename(sparring: SparringRequest) -> str:
    return f"sparring-{sparring.pk}.ics"
