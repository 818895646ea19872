"""Calendar invitations, as iCalendar (RFC 5545) files that any calendar opens: one module for
every invitation Sparring sends (sparring, planned conversations), so they all behave alike.

The caller describes the entry as a `CalendarEvent`, already translated; this module writes it.

Times are written in the installation's time zone (Europe/Copenhagen) with its VTIMEZONE, so
a calendar shows 14:00 as 14:00 across summer and winter time. DTSTAMP, when the file was
made, is the caller's `now` in UTC, as RFC 5545 requires. Each thing in the calendar keeps one
UID, `<uid_key>@<Sparring's host>`, for its whole life, and the caller raises SEQUENCE with
each new time or a cancellation, so the calendar replaces the entry it has instead of adding
a second one.

By e-mail the file is an iTIP (RFC 5546) REQUEST, or a CANCEL once the thing is called off,
from Sparring's own address as organiser and with the people as attendees who have accepted
and need not answer: that is what lets Outlook and other calendars move or remove the entry
they already have, without asking anyone to reply to Sparring. The file to download is a
plain PUBLISH without organiser or attendees, for adding the time by hand.

Entries are CLASS:PRIVATE by default: what a conversation or sparring is about is between the
people in it, and a shared or delegated calendar then shows the time as busy only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event, vCalAddress, vText

from notifications.services import Attachment

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]
METHODS: tuple[Method, ...] = ("PUBLISH", "REQUEST", "CANCEL")

# The key is part of the UID and the file name: lower-case letters, digits and hyphens.
UID_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class CalendarEvent:
    """One entry in people's calendars.

    `uid_key` names the thing for good ("sparring-12", "conversation-7"): it stays the same
    when the time moves or the thing is cancelled, and `sequence` goes up instead. The times
    are aware. `summary`, `description` and `location` are written as given, so translate
    them first, in the language of the e-mail they travel with; `location` may be empty.
    `url` is the absolute link to the page in Sparring, added below the description too
    (calendars that ignore URL still show it). `attendees` are (display name, e-mail) pairs;
    those without an e-mail address are left out."""

    uid_key: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str
    url: str
    attendees: Sequence[tuple[str, str]]
    cancelled: bool
    private: bool = True

    def __post_init__(self) -> None:
        if not UID_KEY.fullmatch(self.uid_key):
            raise ValueError(f"A calendar uid_key is like 'sparring-12', not {self.uid_key!r}")
        if self.sequence < 0:
            raise ValueError("SEQUENCE starts at 0")
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("A calendar event needs aware times")
        if self.ends_at <= self.starts_at:
            raise ValueError("A calendar event ends after it starts")
        # Kept as a tuple, so the event stays immutable (and hashable) whatever was passed.
        object.__setattr__(self, "attendees", tuple(self.attendees))

    @property
    def filename(self) -> str:
        return f"{self.uid_key}.ics"


def event_uid(event: CalendarEvent) -> str:
    host = urlsplit(settings.SPARRING_BASE_URL).hostname or "sparring"
    return f"{event.uid_key}@{host}"


def event_ics(event: CalendarEvent, *, now: datetime, method: Method = "PUBLISH") -> str:
    """The event as an iCalendar file with `method` PUBLISH (to download), REQUEST (to e-mail
    while the time stands) or CANCEL (to e-mail once it is cancelled). `now` is DTSTAMP."""
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}")
    if method == "CANCEL" and not event.cancelled:
        raise ValueError("Only a cancelled event is sent as a CANCEL")
    if method == "REQUEST" and event.cancelled:
        raise ValueError("A cancelled event is sent as a CANCEL, not a REQUEST")
    if now.tzinfo is None:
        raise ValueError("DTSTAMP needs an aware time")
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Sparring//Sparring//DA")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    entry = Event()
    entry.add("uid", event_uid(event))
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    if event.private:
        entry.add("class", "PRIVATE")
    entry.add("summary", event.summary)
    if event.location:
        entry.add("location", event.location)
    description = f"{event.description}\n\n{event.url}" if event.description else event.url
    entry.add("description", description)
    entry.add("url", event.url)
    if method != "PUBLISH":
        organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
        organizer.params["cn"] = vText("Sparring")
        entry.add("organizer", organizer)
        for name, address in event.attendees:
            if address:
                attendee = vCalAddress(f"mailto:{address}")
                attendee.params["cn"] = vText(name)
                attendee.params["partstat"] = vText("ACCEPTED")
                attendee.params["rsvp"] = vText("FALSE")
                entry.add("attendee", attendee, encode=False)
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical.decode()


def invitation(event: CalendarEvent, *, now: datetime) -> Attachment:
    """The invitation to e-mail: a REQUEST that puts (or moves) the time in the calendar, or a
    CANCEL that takes it out, once the event is cancelled."""
    method: Method = "CANCEL" if event.cancelled else "REQUEST"
    return Attachment(
        filename=event.filename,
        content=event_ics(event, now=now, method=method),
        mimetype=f"text/calendar; method={method}",
    )


def download(event: CalendarEvent, *, now: datetime) -> HttpResponse:
    """The event as a file to download (PUBLISH), for a view to return once it has checked
    that the person may see it."""
    response = HttpResponse(event_ics(event, now=now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.filename}"'
    return response
