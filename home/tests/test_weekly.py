"""The leader's Monday e-mail: off until a leader chooses it, then once per ISO week on Monday
morning in Copenhagen, however many ticks or workers, in the leader's language, with counts
and a link, and nothing anyone wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from conftest import COPENHAGEN
from home.weekly import occasion, send_leaders_week
from notifications.models import Notification, NotificationSetting, OutgoingEmail
from pulse.models import Round
from pulse.tests.conftest import answer_all
from teamwork.models import HelpRequest

# Monday of week 50, 2026, in Copenhagen.
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=COPENHAGEN)


def _choose(person, *, email=True, in_app=False):
    NotificationSetting.objects.create(user=person, kind="leaders_week", in_app=in_app, email=email)


def _mails(person):
    return list(OutgoingEmail.objects.filter(recipient=person, kind="leaders_week"))


@pytest.mark.parametrize(
    ("when", "key"),
    [
        (MONDAY, "2026-W50"),
        (MONDAY.replace(hour=7, minute=0), "2026-W50"),
        (MONDAY.replace(hour=6, minute=59), None),
        (MONDAY.replace(hour=23, minute=59), "2026-W50"),
        (MONDAY + timedelta(days=1), None),
        (MONDAY - timedelta(days=1), None),
        # The ISO year, not the calendar year: 4 January 2027 is in week 1 of 2027.
        (datetime(2027, 1, 4, 9, 0, tzinfo=COPENHAGEN), "2027-W01"),
        # 06:30 UTC is 07:30 in Copenhagen: Copenhagen's morning counts, not the server's.
        (datetime(2026, 12, 7, 6, 30, tzinfo=UTC), "2026-W50"),
        (datetime(2026, 12, 7, 5, 30, tzinfo=UTC), None),
    ],
)
def test_the_occasion_is_monday_morning_in_copenhagen(when, key):
    assert occasion(when) == key


def test_off_until_the_leader_chooses_it(cast, clock):
    clock.move_to(MONDAY)
    send_leaders_week(MONDAY)
    assert not OutgoingEmail.objects.filter(kind="leaders_week").exists()
    assert not Notification.objects.filter(kind="leaders_week").exists()


def test_once_a_week_across_ticks_and_workers(cast, clock):
    _choose(cast.lena)
    clock.move_to(MONDAY.replace(hour=6, minute=59))
    send_leaders_week(clock.now())
    assert _mails(cast.lena) == []
    clock.move_to(MONDAY)
    send_leaders_week(clock.now())
    send_leaders_week(clock.now())  # a second worker, the same tick
    send_leaders_week(clock.advance(timedelta(hours=3)))
    assert len(_mails(cast.lena)) == 1
    send_leaders_week(clock.advance(timedelta(days=1)))  # Tuesday
    assert len(_mails(cast.lena)) == 1
    send_leaders_week(clock.move_to(MONDAY + timedelta(weeks=1)))
    assert len(_mails(cast.lena)) == 2


def test_only_for_leaders_who_are_active(cast, clock):
    _choose(cast.alice)  # a member who ticked it: she leads nothing
    _choose(cast.lena)
    cast.lena.is_active = False
    cast.lena.save()
    clock.move_to(MONDAY)
    send_leaders_week(MONDAY)
    assert not OutgoingEmail.objects.filter(kind="leaders_week").exists()


def test_the_email_has_counts_and_a_link_never_content(cast, clock, settings):
    settings.SPARRING_BASE_URL = "https://sparring.example.org"
    HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="Hemmeligt budget")
    HelpRequest.objects.create(asker=cast.alice, unit=cast.team, text="Noget andet")
    _choose(cast.lena)
    clock.move_to(MONDAY)
    send_leaders_week(MONDAY)
    (mail,) = _mails(cast.lena)
    assert mail.subject == "Din uge i Sparring, uge 50"
    assert "uge 50" in mail.body
    assert "2 beder om hjælp" in mail.body
    assert "https://sparring.example.org/" in mail.body
    for text in ("Hemmeligt", "budget", "Noget andet", "Bob", "Alice"):
        assert text not in mail.body and text not in mail.subject


def test_in_the_leaders_language(cast, clock):
    cast.lena.language = "en"
    cast.lena.save()
    HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="x")
    _choose(cast.lena)
    clock.move_to(MONDAY)
    with translation.override("da"):
        send_leaders_week(MONDAY)
    (mail,) = _mails(cast.lena)
    assert mail.subject == "Your week in Sparring, week 50"
    assert "week 50" in mail.body
    assert "1 help request in your units" in mail.body


def test_a_quiet_week_says_so(cast, clock):
    _choose(cast.lena, email=False, in_app=True)
    clock.move_to(MONDAY)
    send_leaders_week(MONDAY)
    (note,) = Notification.objects.filter(recipient=cast.lena, kind="leaders_week")
    assert "Intet venter" in note.text
    assert note.url == "/"


def test_the_email_counts_who_answered_the_open_round_from_k(cast, clock, pulse):
    round_, six, _four, _small, _five = pulse
    answer_all(round_, six, 4)
    _choose(cast.lena)
    monday = MONDAY - timedelta(weeks=1)  # 30 November, the round opened the day after
    Round.objects.filter(pk=round_.pk).update(opens_at=monday - timedelta(hours=1))
    clock.move_to(monday)
    send_leaders_week(monday)
    (mail,) = _mails(cast.lena)
    assert "Trivsel: 6 af 7 har svaret i Sekretariatet" in mail.body
