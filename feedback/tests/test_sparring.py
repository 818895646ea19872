"""Sparring on request: a colleague accepts and proposes a time, and both get a calendar
invitation, by e-mail and to download, that a standard parser reads with the right times in
Europe/Copenhagen."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import FROZEN_AT
from feedback.models import SparringRequest
from feedback.services import FeedbackError, sparring_request_create
from notifications.models import Notification, OutgoingEmail

# Dates in these tests are the frozen clock's (conftest.py), so they pass on any day.
pytestmark = pytest.mark.usefixtures("clock")

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _event(ics: str):
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def sparring(cast, client_for):
    client_for(cast.alice).post(
        reverse("feedback:sparring_new"),
        {"partner": cast.bob.pk, "topic": "Arkitekturen", "message": "Gerne i næste uge"},
    )
    return SparringRequest.objects.get()


def _propose(client, sparring, day: date, start: str, **extra):
    return client.post(
        reverse("feedback:sparring_schedule", args=[sparring.pk]),
        {"day": day.isoformat(), "start": start, "duration": "45", "place": "Mødelokale 2"} | extra,
    )


@pytest.mark.parametrize(("month", "day", "utc_offset"), [(7, 1, 2), (1, 15, 1)])
def test_both_get_an_invitation_at_the_local_time(
    cast, client_for, sparring, month, day, utc_offset
):
    assert Notification.objects.filter(recipient=cast.bob, kind="sparring").exists()
    when = date(timezone.localdate().year + 1, month, day)
    response = _propose(client_for(cast.bob), sparring, when, "14:00")
    assert response.status_code == 302
    sparring.refresh_from_db()
    assert sparring.status == SparringRequest.Status.SCHEDULED
    assert sparring.starts_at == datetime(
        when.year, month, day, 14 - utc_offset, tzinfo=ZoneInfo("UTC")
    )

    mails = OutgoingEmail.objects.filter(kind="sparring", attachment_name__endswith=".ics")
    assert set(mails.values_list("recipient__username", flat=True)) == {"alice", "bob"}
    for mail in mails:
        calendar, event = _event(mail.attachment_content)
        # By e-mail an iTIP request from Sparring, which calendars can later move or cancel.
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["ORGANIZER"]).startswith("mailto:")
        attendees = {str(a) for a in event["ATTENDEE"]}
        assert attendees == {"mailto:alice@example.org", "mailto:bob@example.org"}
        assert str(event["CLASS"]) == "PRIVATE"
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Copenhagen"
        assert (start.hour, start.minute) == (14, 0)
        assert start.utcoffset() == timedelta(hours=utc_offset)
        assert event.decoded("DTEND") - start == timedelta(minutes=45)
        assert str(event["LOCATION"]) == "Mødelokale 2"
        assert "Arkitekturen" in str(event["SUMMARY"])
        assert calendar.walk("VTIMEZONE"), "the time zone travels with the file"

    # The same file to download, for both of them and nobody else.
    url = reverse("feedback:sparring_invitation", args=[sparring.pk])
    for person in (cast.alice, cast.bob):
        response = client_for(person).get(url)
        assert response["Content-Type"].startswith("text/calendar")
        calendar, event = _event(response.content.decode())
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert event.decoded("DTSTART").astimezone(COPENHAGEN).hour == 14
    for person in (cast.lena, cast.ada, cast.eve):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).get(sparring.get_absolute_url()).status_code == 404


def test_moving_and_cancelling_replace_the_invitation(cast, client_for, sparring):
    bob = client_for(cast.bob)
    next_week = timezone.localdate() + timedelta(days=7)
    _propose(bob, sparring, next_week, "09:00")
    first = _event(bob.get(reverse("feedback:sparring_invitation", args=[sparring.pk])).content)
    _propose(bob, sparring, next_week, "10:30")
    moved = _event(bob.get(reverse("feedback:sparring_invitation", args=[sparring.pk])).content)
    assert moved[1]["UID"] == first[1]["UID"]
    assert moved[1]["SEQUENCE"] > first[1]["SEQUENCE"]
    client_for(cast.alice).post(reverse("feedback:sparring_cancel", args=[sparring.pk]))
    sparring.refresh_from_db()
    assert sparring.status == SparringRequest.Status.CANCELLED
    cancelled = OutgoingEmail.objects.filter(recipient=cast.bob, kind="sparring").first()
    assert cancelled is not None
    calendar, event = _event(cancelled.attachment_content)
    assert str(calendar["METHOD"]) == "CANCEL" and "method=CANCEL" in cancelled.attachment_type
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] > moved[1]["SEQUENCE"]


def test_a_time_in_the_past_or_by_the_asker_changes_nothing(cast, client_for, sparring):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _propose(client_for(cast.bob), sparring, yesterday, "10:00")
    assert response.status_code == 200
    assert "form-error-message" in response.content.decode()
    # The asker cannot set the time on the partner's behalf.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _propose(client_for(cast.alice), sparring, tomorrow, "10:00").status_code == 404
    sparring.refresh_from_db()
    assert sparring.status == SparringRequest.Status.REQUESTED and sparring.starts_at is None
    assert not OutgoingEmail.objects.filter(attachment_name__endswith=".ics").exists()


def test_declining_tells_the_asker(cast, client_for, sparring):
    client_for(cast.bob).post(
        reverse("feedback:sparring_decline", args=[sparring.pk]),
        {"decline-reply": "Ikke denne uge"},
    )
    sparring.refresh_from_db()
    assert sparring.status == SparringRequest.Status.DECLINED
    assert Notification.objects.filter(recipient=cast.alice, kind="sparring").exists()
    assert (
        "Ikke denne uge" in client_for(cast.alice).get(sparring.get_absolute_url()).content.decode()
    )


def test_asking_yourself_or_someone_who_left(cast):
    from accounts.services import person_deactivate

    with pytest.raises(FeedbackError):
        sparring_request_create(asker=cast.alice, partner=cast.alice, topic="x")
    person_deactivate(actor=None, person=cast.bob, now=FROZEN_AT)
    with pytest.raises(FeedbackError):
        sparring_request_create(asker=cast.alice, partner=cast.bob, topic="x")
    assert not SparringRequest.objects.exists()
