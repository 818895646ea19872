"""The calendar module every invitation goes through: what a standard parser reads from the
file, in Europe/Copenhagen across summer and winter time, and how an update or a cancellation
replaces the entry a calendar already has."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from notifications.calendar import CalendarEvent, download, event_ics, invitation

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# When the files are made: fixed, never the wall clock.
NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _sparring_at(settings):
    settings.SPARRING_BASE_URL = "https://sparring.kommune.dk"
    settings.DEFAULT_FROM_EMAIL = "Sparring <sparring@kommune.dk>"


def _conversation(**changes) -> CalendarEvent:
    event = CalendarEvent(
        uid_key="conversation-7",
        sequence=0,
        # 14:00 to 15:00 in Copenhagen, summer time (the clocks went forward on 28 March).
        starts_at=datetime(2027, 3, 29, 12, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 29, 13, 0, tzinfo=UTC),
        summary="MUS: Søren Ærø og Lena Leder",
        description="Søren Ærø og Lena Leder",
        location="Mødelokale 2",
        url="https://sparring.kommune.dk/conversations/7/",
        attendees=[("Søren Ærø", "soren@kommune.dk"), ("Lena Leder", "lena@kommune.dk")],
        cancelled=False,
    )
    return dataclasses.replace(event, **changes)


def _parse(ics: str) -> tuple[Any, Any]:
    """The calendar and its one event, as a calendar client reads them."""
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.parametrize(
    ("starts_at", "utc_offset"),
    [
        # Summer time (CEST, UTC+2), the day after the clocks went forward.
        (datetime(2027, 3, 29, 12, 0, tzinfo=UTC), 2),
        # Winter time (CET, UTC+1), the day after the clocks went back.
        (datetime(2027, 11, 1, 13, 0, tzinfo=UTC), 1),
    ],
)
def test_the_time_is_written_in_copenhagen_with_its_time_zone(starts_at, utc_offset):
    event = _conversation(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=45))
    calendar, entry = _parse(event_ics(event, now=NOW))
    start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
    assert str(start.tzinfo) == "Europe/Copenhagen" and str(end.tzinfo) == "Europe/Copenhagen"
    assert (start.hour, start.minute) == (14, 0)
    assert start.utcoffset() == timedelta(hours=utc_offset)
    assert start == starts_at and end - start == timedelta(minutes=45)
    # The zone travels with the file, so the calendar needs no knowledge of its own.
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert entry["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    # DTSTAMP is the caller's now, in UTC as RFC 5545 requires.
    assert entry.decoded("DTSTAMP") == NOW
    assert entry["DTSTAMP"].to_ical().endswith(b"Z")


def test_an_invitation_by_email_is_a_request_from_sparring_to_the_people():
    attachment = invitation(_conversation(), now=NOW)
    assert attachment.filename == "conversation-7.ics"
    assert attachment.mimetype == "text/calendar; method=REQUEST"
    calendar, entry = _parse(attachment.content)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(entry["UID"]) == "conversation-7@sparring.kommune.dk"
    assert entry["SEQUENCE"] == 0
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert str(entry["CLASS"]) == "PRIVATE"
    assert str(entry["SUMMARY"]) == "MUS: Søren Ærø og Lena Leder"
    assert str(entry["LOCATION"]) == "Mødelokale 2"
    assert str(entry["URL"]) == "https://sparring.kommune.dk/conversations/7/"
    # The link below the description, for calendars that do not show URL.
    assert str(entry["DESCRIPTION"]) == (
        "Søren Ærø og Lena Leder\n\nhttps://sparring.kommune.dk/conversations/7/"
    )
    organizer = entry["ORGANIZER"]
    assert str(organizer) == "mailto:sparring@kommune.dk"
    assert organizer.params["CN"] == "Sparring"
    attendees = entry["ATTENDEE"]
    assert [(a.params["CN"], str(a)) for a in attendees] == [
        ("Søren Ærø", "mailto:soren@kommune.dk"),
        ("Lena Leder", "mailto:lena@kommune.dk"),
    ]
    # Nobody is asked to answer Sparring: they have accepted already.
    assert {(a.params["PARTSTAT"], a.params["RSVP"]) for a in attendees} == {("ACCEPTED", "FALSE")}


def test_a_person_without_an_email_address_is_left_out_of_the_attendees():
    event = _conversation(attendees=[("Søren Ærø", "soren@kommune.dk"), ("Uden Post", "")])
    _calendar, entry = _parse(event_ics(event, now=NOW, method="REQUEST"))
    # One attendee is parsed as a single value, not a list.
    assert str(entry["ATTENDEE"]) == "mailto:soren@kommune.dk"


def test_a_new_time_and_a_cancellation_replace_the_same_entry():
    first = _conversation()
    moved = dataclasses.replace(
        first,
        sequence=1,
        starts_at=datetime(2027, 11, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2027, 11, 1, 10, 0, tzinfo=UTC),
    )
    cancelled = dataclasses.replace(moved, sequence=2, cancelled=True)
    files = [invitation(event, now=NOW) for event in (first, moved, cancelled)]
    parsed = [_parse(file.content) for file in files]

    assert len({str(entry["UID"]) for _calendar, entry in parsed}) == 1
    assert len({file.filename for file in files}) == 1
    assert [entry["SEQUENCE"] for _calendar, entry in parsed] == [0, 1, 2]
    assert parsed[1][1].decoded("DTSTART").astimezone(COPENHAGEN).hour == 10
    assert [str(calendar["METHOD"]) for calendar, _entry in parsed] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert files[2].mimetype == "text/calendar; method=CANCEL"
    _calendar, entry = parsed[2]
    assert str(entry["STATUS"]) == "CANCELLED"
    # A cancellation still names the people, so each calendar finds its own entry.
    assert len(entry["ATTENDEE"]) == 2


def test_the_file_to_download_is_a_plain_publish():
    response = download(_conversation(sequence=3), now=NOW)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="conversation-7.ics"'
    calendar, entry = _parse(response.content.decode())
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "ORGANIZER" not in entry and "ATTENDEE" not in entry
    assert entry["SEQUENCE"] == 3
    assert str(entry["UID"]) == "conversation-7@sparring.kommune.dk"


def test_a_public_entry_without_a_place_or_description():
    event = _conversation(private=False, location="", description="")
    _calendar, entry = _parse(event_ics(event, now=NOW))
    assert "CLASS" not in entry and "LOCATION" not in entry
    assert str(entry["DESCRIPTION"]) == "https://sparring.kommune.dk/conversations/7/"


def test_the_event_stays_as_it_was_made():
    attendees = [("Søren Ærø", "soren@kommune.dk")]
    event = _conversation(attendees=attendees)
    attendees.append(("Eve Anden", "eve@kommune.dk"))
    assert event.attendees == (("Søren Ærø", "soren@kommune.dk"),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.sequence = 1  # type: ignore[misc]
    assert hash(event) == hash(_conversation(attendees=[("Søren Ærø", "soren@kommune.dk")]))


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2027, 3, 29, 14, 0)},  # naive on purpose
        {"ends_at": datetime(2027, 3, 29, 11, 0, tzinfo=UTC)},  # before it starts
        {"uid_key": "conversation 7"},
        {"uid_key": "Sparring-12"},
        {"uid_key": ""},
        {"sequence": -1},
    ],
)
def test_an_event_that_cannot_be_written_is_refused(changes):
    with pytest.raises(ValueError, match=r"."):
        _conversation(**changes)


def test_the_method_must_fit_the_event():
    standing, cancelled = _conversation(), _conversation(cancelled=True, sequence=1)
    with pytest.raises(ValueError, match="CANCEL"):
        event_ics(standing, now=NOW, method="CANCEL")
    with pytest.raises(ValueError, match="CANCEL"):
        event_ics(cancelled, now=NOW, method="REQUEST")
    with pytest.raises(ValueError, match="method"):
        event_ics(standing, now=NOW, method="REPLY")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="aware"):
        event_ics(standing, now=datetime(2027, 3, 1, 8, 30))  # naive on purpose
    # A cancelled event can still be downloaded, marked as cancelled.
    _calendar, entry = _parse(event_ics(cancelled, now=NOW))
    assert str(entry["STATUS"]) == "CANCELLED"
