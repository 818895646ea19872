"""Planning conversations: one at a time, a leader's plan for their people, requests, moving
and cancelling, with calendar invitations by e-mail that a standard parser reads at the right
times in Copenhagen; and bad input that changes nothing and says why, in Danish and English."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from conftest import FROZEN_AT, Cast, _person
from conversations import services
from conversations.calendar import conversation_event
from conversations.models import Conversation, ConversationThread, Kind, Plan
from conversations.selectors import proposed_times
from conversations.services import ConversationError, PlanError, PlanRow
from notifications.delivery import deliver_due
from notifications.models import Notification, OutgoingEmail
from organisation.models import Membership

# Views read the frozen clock (conftest.py): 1 December 2026, 10:00 in Copenhagen.
pytestmark = pytest.mark.usefixtures("clock")

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = FROZEN_AT


@pytest.fixture
def carl(cast: Cast) -> Any:
    carl = _person("carl", "Carl", "Carlsen")
    Membership.objects.create(user=carl, unit=cast.team)
    return carl


def _event(ics: str | bytes) -> tuple[Any, Any]:
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _row(
    person: Any, day: date | str, start: str, duration: str = "60", place: str = ""
) -> dict[str, str]:
    prefix = f"person-{person.pk}"
    return {
        f"{prefix}-day": day.isoformat() if isinstance(day, date) else day,
        f"{prefix}-start": start,
        f"{prefix}-duration": duration,
        f"{prefix}-place": place,
    }


def _plan_post(rows: dict[str, str], **extra: str) -> dict[str, str]:
    return {
        "title": "MUS 2027 i Sekretariatet",
        "kind": "mus",
        "starts_on": "2027-01-11",
        "ends_on": "2027-02-26",
        **rows,
        **extra,
    }


def _delivered() -> list[EmailMessage]:
    mail.outbox.clear()
    deliver_due(clock=lambda: NOW, limit=1000)
    return list(mail.outbox)


def _ics_of(message: Any) -> str:
    (part,) = message.attachments
    assert part.get_filename().endswith(".ics") and part.get_content_type() == "text/calendar"
    ics: str = part.get_payload(decode=True).decode()
    assert part.get_param("method") == icalendar.Calendar.from_ical(ics)["METHOD"]
    return ics


def test_a_plan_for_three_people_invites_each_at_the_copenhagen_time(
    cast: Cast, client_for: Any, carl: Any
) -> None:
    lena = client_for(cast.lena)
    page = lena.get(reverse("conversations:plan_new"))
    assert page.status_code == 200
    html = page.content.decode()
    for person in (cast.alice, cast.bob, carl):
        assert person.display_name in html
    assert "Eve" not in html  # not one of lena's people
    rows = {
        **_row(cast.alice, date(2027, 1, 12), "09:00", place="Mødelokale 2"),
        **_row(cast.bob, date(2027, 1, 12), "10:30", "90"),
        **_row(carl, date(2027, 1, 13), "13:00", "45"),
    }
    response = lena.post(reverse("conversations:plan_new"), _plan_post(rows))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.leader, plan.unit, plan.kind) == (cast.lena, cast.team, Kind.MUS)
    assert plan.conversations.count() == 3
    assert set(plan.conversations.values_list("leader", flat=True)) == {cast.lena.pk}

    messages = _delivered()
    expected = {
        "alice@example.org": [(9, 0, 60, "Mødelokale 2")],
        "bob@example.org": [(10, 30, 90, "")],
        "carl@example.org": [(13, 0, 45, "")],
        "lena@example.org": [(9, 0, 60, "Mødelokale 2"), (10, 30, 90, ""), (13, 0, 45, "")],
    }
    got: dict[str, list[tuple[int, int, int, str]]] = {}
    for message in messages:
        (to,) = message.to
        calendar, event = _event(_ics_of(message))
        assert str(calendar["METHOD"]) == "REQUEST"
        start = event.decoded("DTSTART")
        # Winter time: 09:00 in Copenhagen is 08:00 UTC, and the zone travels with the file.
        assert str(start.tzinfo) == "Europe/Copenhagen"
        assert start.utcoffset() == timedelta(hours=1)
        assert calendar.walk("VTIMEZONE")
        assert str(event["SUMMARY"]).startswith("MUS: ")
        assert str(event["CLASS"]) == "PRIVATE"
        assert len(event["ATTENDEE"]) == 2 and f"mailto:{to}" in {str(a) for a in event["ATTENDEE"]}
        # The subject names what and who; the e-mail carries no content of the conversation.
        assert "MUS" in message.subject
        minutes = int((event.decoded("DTEND") - start).total_seconds() // 60)
        got.setdefault(to, []).append(
            (start.hour, start.minute, minutes, str(event.get("LOCATION", "")))
        )
    assert {to: sorted(times) for to, times in got.items()} == expected

    # The plan page lists each person's conversation with its status, and no content.
    page = lena.get(plan.get_absolute_url()).content.decode()
    for person in (cast.alice, cast.bob, carl):
        assert person.display_name in page
    assert page.count("Planlagt") >= 3
    assert "0 af 3 samtaler afholdt" in page


def test_moving_raises_the_sequence_and_cancelling_sends_a_cancel(
    cast: Cast, client_for: Any
) -> None:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=datetime(2027, 7, 1, 14, 0, tzinfo=COPENHAGEN),
        duration_minutes=30,
        now=NOW,
    )
    first = _event(_ics_of(_delivered()[0]))[1]
    alice = client_for(cast.alice)
    page = alice.get(conversation.get_absolute_url()).content.decode()
    assert reverse("conversations:invitation", args=[conversation.pk]) in page
    response = alice.post(
        reverse("conversations:schedule", args=[conversation.pk]),
        {"day": "2027-07-02", "start": "09:15", "duration": "45", "place": "Kantinen"},
    )
    assert response.status_code == 302
    moved_mails = _delivered()
    assert sorted(m.to[0] for m in moved_mails) == ["alice@example.org", "lena@example.org"]
    calendar, moved = _event(_ics_of(moved_mails[0]))
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == first["SEQUENCE"] + 1 == 1
    assert moved.decoded("DTSTART").astimezone(COPENHAGEN).hour == 9
    assert moved.decoded("DTSTART").utcoffset() == timedelta(hours=2)  # summer time
    assert "flyttet" in moved_mails[0].subject

    # The file to download is the same event, as PUBLISH.
    download = alice.get(reverse("conversations:invitation", args=[conversation.pk]))
    assert download["Content-Type"].startswith("text/calendar")
    calendar, event = _event(download.content)
    assert str(calendar["METHOD"]) == "PUBLISH" and event["UID"] == first["UID"]

    response = client_for(cast.lena).post(reverse("conversations:cancel", args=[conversation.pk]))
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CANCELLED
    cancel_mails = _delivered()
    assert len(cancel_mails) == 2
    for message in cancel_mails:
        calendar, event = _event(_ics_of(message))
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert event["SEQUENCE"] == 2 and event["UID"] == first["UID"]
        assert "Aflyst af Lena Lund" in message.subject


def test_the_calendar_entry_is_named_in_the_installations_language(cast: Cast) -> None:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.EXPECTATIONS,
        starts_at=NOW + timedelta(days=2),
        duration_minutes=60,
        now=NOW,
    )
    with translation.override("en"):
        event = conversation_event(conversation)
    assert event.summary == "Forventnings- eller opfølgningssamtale: Alice Andersen og Lena Lund"
    assert event.uid_key == f"conversation-{conversation.pk}"
    assert not event.cancelled
    assert [email for _name, email in event.attendees] == ["alice@example.org", "lena@example.org"]


# --- Bad input: a clear message, and nothing made -----------------------------------------------


def _nothing_made() -> None:
    assert not Conversation.objects.exists()
    assert not Plan.objects.exists()
    assert not ConversationThread.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("change", "danish"),
    [
        ({"day": "2026-12-01", "start": "09:00"}, "Vælg et tidspunkt, der ikke er passeret."),
        ({"people": "left"}, "er fratrådt og kan ikke længere vælges"),
        ({"people": "999999"}, "En person, du har valgt, kunne ikke findes."),
        ({"people": None}, "Vælg, hvem samtalen er med."),
        ({"kind": "grus"}, "En GRUS er en leder med en gruppe på 3 til 8 personer."),
        ({"kind": "coffee"}, "Marker en gyldig valgmulighed."),
        ({"day": "2027-02-30"}, "Indtast en gyldig dato."),
        ({"duration": "17"}, "Marker en gyldig valgmulighed."),
    ],
)
def test_bad_input_for_a_conversation_says_why_and_makes_nothing(
    cast: Cast, client_for: Any, change: dict[str, Any], danish: str
) -> None:
    if change.get("people") == "left":
        cast.bob.is_active = False
        cast.bob.save(update_fields=["is_active"])
        change = {"people": str(cast.bob.pk)}
    data = {
        "people": str(cast.alice.pk),
        "kind": "one_on_one",
        "title": "",
        "day": "2027-01-05",
        "start": "10:00",
        "duration": "30",
        "place": "",
        **change,
    }
    data = {name: value for name, value in data.items() if value is not None}
    response = client_for(cast.lena).post(reverse("conversations:new"), data)
    assert response.status_code == 200
    assert danish in response.content.decode()
    _nothing_made()


def test_the_services_say_it_in_english_too(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(ConversationError, match="in the future"):
        services.conversation_plan(
            by=cast.lena,
            people=[cast.alice],
            kind=Kind.MUS,
            starts_at=NOW - timedelta(minutes=1),
            duration_minutes=60,
            now=NOW,
        )
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    with translation.override("en"), pytest.raises(ConversationError, match="left"):
        services.conversation_plan(
            by=cast.lena,
            people=[cast.alice],
            kind=Kind.MUS,
            starts_at=NOW + timedelta(days=1),
            duration_minutes=60,
            now=NOW,
        )
    _nothing_made()


def test_a_plan_reports_every_bad_row_and_makes_nothing(
    cast: Cast, client_for: Any, carl: Any
) -> None:
    rows = {
        **_row(cast.alice, date(2026, 11, 30), "09:00"),  # in the past
        **_row(cast.bob, date(2027, 3, 1), "10:00"),  # after the period
        **_row(carl, date(2027, 1, 14), ""),  # a day without a time
    }
    period = {"starts_on": "2026-11-30"}
    response = client_for(cast.lena).post(
        reverse("conversations:plan_new"), _plan_post(rows, **period)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg både en dag og et tidspunkt, eller ingen af dem." in html
    _nothing_made()

    rows[f"person-{carl.pk}-start"] = "11:00"
    response = client_for(cast.lena).post(
        reverse("conversations:plan_new"), _plan_post(rows, **period)
    )
    html = response.content.decode()
    assert "Intet blev planlagt: ret de tidspunkter, der er markeret nedenfor." in html
    assert "Alice Andersen: Vælg et tidspunkt, der ikke er passeret." in html
    assert "Bob Bertelsen: Vælg et tidspunkt inden for planens periode." in html
    assert "Carl Carlsen:" not in html
    _nothing_made()


@pytest.mark.parametrize(
    ("change", "danish"),
    [
        ({"title": " "}, "Dette felt er påkrævet."),
        ({"kind": "grus"}, "Marker en gyldig valgmulighed."),
        ({"ends_on": "2027-01-01"}, "Perioden slutter, efter den begynder."),
        ({"starts_on": "2026-10-01", "ends_on": "2026-11-01"}, "Vælg en periode, der ikke er"),
    ],
)
def test_a_bad_plan_says_why_and_makes_nothing(
    cast: Cast, client_for: Any, change: dict[str, Any], danish: str
) -> None:
    rows = _row(cast.alice, date(2027, 1, 12), "09:00")
    response = client_for(cast.lena).post(
        reverse("conversations:plan_new"), _plan_post(rows, **change)
    )
    assert response.status_code == 200
    assert danish in response.content.decode()
    _nothing_made()


def test_a_plan_is_for_the_leaders_own_people(cast: Cast) -> None:
    with pytest.raises(PlanError) as raised:
        services.plan_create(
            by=cast.lena,
            title="MUS 2027",
            kind=Kind.MUS,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 2, 1),
            rows=[
                PlanRow(cast.eve, datetime(2027, 1, 5, 9, tzinfo=COPENHAGEN), 60),
                PlanRow(cast.alice, datetime(2027, 1, 5, 10, tzinfo=COPENHAGEN), 60),
            ],
            now=NOW,
        )
    assert list(raised.value.rows) == [cast.eve.pk]
    with pytest.raises(PlanError, match="GRUS"):
        services.plan_create(
            by=cast.lena,
            title="GRUS",
            kind=Kind.GRUS,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 2, 1),
            rows=[PlanRow(cast.alice, datetime(2027, 1, 5, 9, tzinfo=COPENHAGEN), 60)],
            now=NOW,
        )
    _nothing_made()


def test_someone_who_leads_nobody_is_told_so(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.alice).get(reverse("conversations:plan_new"))
    assert "Du er ikke leder for nogen i Sparring" in response.content.decode()
    response = client_for(cast.alice).post(
        reverse("conversations:plan_new"), _plan_post(_row(cast.bob, date(2027, 1, 12), "09:00"))
    )
    assert response.status_code == 200
    _nothing_made()


# --- Requests -----------------------------------------------------------------------------------


def test_an_employee_asks_for_a_mus_and_the_leader_plans_it(cast: Cast, client_for: Any) -> None:
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    form = alice.get(reverse("conversations:ask")).content.decode()
    # Her leader is suggested.
    assert f'value="{cast.lena.pk}" selected' in form
    response = alice.post(
        reverse("conversations:ask"),
        {"other": cast.lena.pk, "kind": "mus", "message": "Gerne før sommerferien"},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert conversation.status == Conversation.Status.REQUESTED
    assert (conversation.kind, conversation.requested_by) == (Kind.MUS, cast.alice)
    told = Notification.objects.get(recipient=cast.lena, kind="conversation_request")
    assert told.text == "Alice Andersen beder dig om en samtale: MUS"
    assert "Gerne" not in OutgoingEmail.objects.get(recipient=cast.lena).subject

    listing = lena.get(reverse("conversations:index")).content.decode()
    assert "Alice Andersen beder om en samtale: MUS" in listing
    assert "Gerne før sommerferien" in listing
    assert "Du bad om" in alice.get(reverse("conversations:index")).content.decode()

    response = lena.post(
        reverse("conversations:schedule", args=[conversation.pk]),
        {"day": "2027-01-20", "start": "13:00", "duration": "60", "place": ""},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.PLANNED and conversation.sequence == 0
    invitations = _delivered()
    invitations = [m for m in invitations if m.attachments]
    assert sorted(m.to[0] for m in invitations) == ["alice@example.org", "lena@example.org"]
    assert _event(_ics_of(invitations[0]))[1].decoded("DTSTART").astimezone(COPENHAGEN).hour == 13
    listing = lena.get(reverse("conversations:index")).content.decode()
    assert "beder om en samtale" not in listing
    assert "20. jan. 2027 kl. 13.00" in listing


def test_a_request_is_declined_with_a_word(cast: Cast, client_for: Any) -> None:
    conversation = services.conversation_request(
        by=cast.alice, other=cast.lena, kind=Kind.WELLBEING, message="", now=NOW
    )
    response = client_for(cast.lena).post(
        reverse("conversations:cancel", args=[conversation.pk]),
        {"cancel-message": "Lad os tage den på mandag i stedet"},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CANCELLED
    told = Notification.objects.get(recipient=cast.alice, kind="conversation_request")
    assert told.text.startswith("Lena Lund kan ikke holde samtalen: Trivselssamtale")
    assert "mandag" in told.text
    email = OutgoingEmail.objects.get(recipient=cast.alice)
    assert "mandag" not in email.subject and not email.attachment_name


def test_a_grus_cannot_be_asked_for_and_nobody_asks_themselves(cast: Cast) -> None:
    with pytest.raises(ConversationError):
        services.conversation_request(
            by=cast.alice, other=cast.lena, kind=Kind.GRUS, message="", now=NOW
        )
    with pytest.raises(ConversationError):
        services.conversation_request(
            by=cast.alice, other=cast.alice, kind=Kind.MUS, message="", now=NOW
        )
    _nothing_made()


# --- The list, the thread's rhythm, and strangers ----------------------------------------------


def test_the_list_shows_whats_coming_soonest_first(
    cast: Cast, client_for: Any, carl: Any, django_assert_num_queries: Any
) -> None:
    later = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW + timedelta(days=9),
        duration_minutes=60,
        now=NOW,
    )
    sooner = services.conversation_plan(
        by=cast.bob,
        people=[cast.alice],
        kind=Kind.FREE,
        title="Arkitekturen",
        starts_at=NOW + timedelta(days=2),
        duration_minutes=30,
        now=NOW,
    )
    for person in (cast.lena, carl):
        services.conversation_request(
            by=person, other=cast.alice, kind=Kind.ONE_ON_ONE, message="", now=NOW
        )
    client = client_for(cast.alice)
    client.get(reverse("home:index"))  # the login's own queries
    with django_assert_num_queries(6):
        html = client.get(reverse("conversations:index")).content.decode()
    assert html.index("Arkitekturen") < html.index(later.get_absolute_url())
    assert sooner.get_absolute_url() in html
    assert "Carl Carlsen beder om en samtale: 1:1" in html
    assert 'href="/conversations/"' in html or reverse("conversations:index") in html
    # The same number of queries with more threads.
    for person in (cast.bob, cast.eve):
        services.conversation_plan(
            by=person,
            people=[cast.alice, carl] if person == cast.eve else [carl, cast.alice],
            kind=Kind.FREE,
            starts_at=NOW + timedelta(days=3),
            duration_minutes=30,
            now=NOW,
        )
    with django_assert_num_queries(6):
        client.get(reverse("conversations:index"))


def test_the_thread_keeps_a_rhythm_of_one_on_ones(cast: Cast, client_for: Any) -> None:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=30,
        now=NOW,
    )
    thread = conversation.thread
    client = client_for(cast.alice)
    assert "Rytme for 1:1" in client.get(thread.get_absolute_url()).content.decode()
    response = client.post(reverse("conversations:rhythm", args=[thread.pk]), {"rhythm": "weekly"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.rhythm == "weekly"
    services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW + timedelta(days=1))
    following = thread.conversations.get(status=Conversation.Status.PLANNED)
    assert following.starts_at == NOW + timedelta(days=8)
    client.post(reverse("conversations:rhythm", args=[thread.pk]), {"rhythm": "daily"})
    thread.refresh_from_db()
    assert thread.rhythm == "weekly"


def test_strangers_get_404_on_every_new_page(cast: Cast, client_for: Any) -> None:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=60,
        now=NOW,
    )
    plan = Plan.objects.create(
        leader=cast.lena, title="MUS", starts_on=NOW.date(), ends_on=NOW.date()
    )
    urls = [
        reverse("conversations:schedule", args=[conversation.pk]),
        reverse("conversations:cancel", args=[conversation.pk]),
        reverse("conversations:invitation", args=[conversation.pk]),
        reverse("conversations:rhythm", args=[conversation.thread_id]),
    ]
    for person in (cast.bob, cast.ada, cast.eve):
        client = client_for(person)
        for url in urls:
            statuses = {client.get(url).status_code, client.post(url).status_code}
            assert 404 in statuses and statuses <= {404, 405}, (person, url, statuses)
    for person in (cast.alice, cast.bob, cast.ada, cast.eve):
        assert client_for(person).get(plan.get_absolute_url()).status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.PLANNED and conversation.sequence == 0


def test_the_plan_page_shows_how_far_each_got_and_no_content(
    cast: Cast, client_for: Any, carl: Any, django_assert_num_queries: Any
) -> None:
    plan = services.plan_create(
        by=cast.lena,
        title="MUS 2027 i Sekretariatet",
        kind=Kind.MUS,
        starts_on=date(2026, 12, 2),
        ends_on=date(2027, 1, 31),
        rows=[
            PlanRow(cast.alice, datetime(2026, 12, 3, 9, tzinfo=COPENHAGEN), 60),
            PlanRow(cast.bob, datetime(2026, 12, 4, 9, tzinfo=COPENHAGEN), 60),
            PlanRow(carl, datetime(2026, 12, 5, 9, tzinfo=COPENHAGEN), 60),
        ],
        now=NOW,
    )
    alice_mus, bob_mus, _carl_mus = plan.conversations.order_by("starts_at")
    later = NOW + timedelta(days=5)
    services.item_add(conversation=alice_mus, by=cast.alice, text="Hemmeligt punkt", now=NOW)
    for conversation in (alice_mus, bob_mus):
        services.conversation_hold(conversation=conversation, by=cast.lena, now=later)
    services.summary_save(
        conversation=alice_mus, by=cast.lena, text="Et fortroligt referat", now=later
    )
    for person in (cast.lena, cast.alice):
        services.summary_approve(conversation=alice_mus, by=person, revision=1, now=later)
    services.summary_save(conversation=bob_mus, by=cast.lena, text="Udkast", now=later)
    client = client_for(cast.lena)
    client.get(reverse("conversations:index"))  # the login's own queries
    with django_assert_num_queries(4):
        html = client.get(plan.get_absolute_url()).content.decode()
    assert "2 af 3 samtaler afholdt" in html
    assert html.count("Godkendt af begge") == 1
    assert html.count("Ikke godkendt endnu") == 1
    assert html.count("Efter samtalen") == 1
    for content in ("Hemmeligt punkt", "fortroligt", "Udkast"):
        assert content not in html


@pytest.mark.parametrize(
    ("data", "danish"),
    [
        ({"kind": "mus"}, "Vælg, hvem du spørger."),
        ({"other": "me", "kind": "mus"}, "Vælg, hvem samtalen er med."),
        ({"other": "left", "kind": "mus"}, "er fratrådt og kan ikke længere vælges"),
        ({"other": "lena", "kind": "grus"}, "Marker en gyldig valgmulighed."),
    ],
)
def test_bad_requests_say_why_and_make_nothing(
    cast: Cast, client_for: Any, data: dict[str, str], danish: str
) -> None:
    people = {"me": cast.alice.pk, "left": cast.bob.pk, "lena": cast.lena.pk}
    cast.bob.is_active = False
    cast.bob.save(update_fields=["is_active"])
    if "other" in data:
        data = {**data, "other": str(people[data["other"]])}
    response = client_for(cast.alice).post(reverse("conversations:ask"), data)
    assert response.status_code == 200
    assert danish in response.content.decode()
    _nothing_made()


def test_a_bad_new_time_changes_nothing(cast: Cast, client_for: Any) -> None:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW + timedelta(days=3),
        duration_minutes=60,
        now=NOW,
    )
    OutgoingEmail.objects.all().delete()
    client = client_for(cast.alice)
    url = reverse("conversations:schedule", args=[conversation.pk])
    for data, danish in (
        ({"day": "2026-11-30", "start": "09:00", "duration": "60"}, "der ikke er passeret"),
        (
            {"day": "2027-01-05", "start": "25:00", "duration": "60"},
            "Indtast en gyldig tid.",
        ),
        ({"day": "2027-01-05", "start": "09:00", "duration": "5"}, "Marker en gyldig valgmulighed"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and danish in response.content.decode()
    # Held, it can be neither moved nor cancelled.
    services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW + timedelta(days=3))
    assert client.get(url).status_code == 404
    response = client.post(reverse("conversations:cancel", args=[conversation.pk]), follow=True)
    assert "og er låst: skriv en tilføjelse i stedet." in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.HELD
    assert (conversation.starts_at, conversation.sequence) == (NOW + timedelta(days=3), 0)
    assert not OutgoingEmail.objects.exists()


def test_the_next_one_on_one_comes_with_its_invitation(cast: Cast) -> None:
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=datetime(2026, 12, 2, 9, 30, tzinfo=COPENHAGEN),
        duration_minutes=30,
        now=NOW,
    )
    services.thread_set_rhythm(thread=conversation.thread, by=cast.alice, rhythm="fortnightly")
    OutgoingEmail.objects.all().delete()
    services.conversation_hold(
        conversation=conversation, by=cast.lena, now=datetime(2026, 12, 2, 10, tzinfo=COPENHAGEN)
    )
    following = Conversation.objects.get(status=Conversation.Status.PLANNED)
    mails = OutgoingEmail.objects.filter(kind="conversation_invitation")
    assert sorted(mails.values_list("recipient__username", flat=True)) == ["alice", "lena"]
    _calendar, event = _event(mails[0].attachment_content)
    assert event["UID"].startswith(f"conversation-{following.pk}@")
    assert event.decoded("DTSTART").astimezone(COPENHAGEN) == datetime(
        2026, 12, 16, 9, 30, tzinfo=COPENHAGEN
    )


def test_withdrawing_a_request_tells_the_other(cast: Cast, client_for: Any) -> None:
    conversation = services.conversation_request(
        by=cast.alice, other=cast.lena, kind=Kind.MUS, message="", now=NOW
    )
    client_for(cast.alice).post(reverse("conversations:cancel", args=[conversation.pk]))
    told = Notification.objects.filter(kind="conversation_request", recipient=cast.lena)
    assert list(told.values_list("text", flat=True).order_by("pk")) == [
        "Alice Andersen beder dig om en samtale: MUS",
        "Alice Andersen beder ikke længere om samtalen: MUS",
    ]
    assert not Notification.objects.filter(recipient=cast.alice).exists()


def test_subjects_say_who_what_and_when_in_each_persons_language(cast: Cast) -> None:
    cast.alice.language = "en"
    cast.alice.save(update_fields=["language"])
    asked = services.conversation_request(
        by=cast.alice, other=cast.lena, kind=Kind.MUS, message="Min løn og min sygdom", now=NOW
    )
    services.conversation_schedule(
        conversation=asked,
        by=cast.lena,
        starts_at=datetime(2026, 12, 8, 14, 0, tzinfo=COPENHAGEN),
        duration_minutes=60,
        place="",
        now=NOW,
    )
    services.conversation_schedule(
        conversation=asked,
        by=cast.lena,
        starts_at=datetime(2026, 12, 9, 9, 0, tzinfo=COPENHAGEN),
        duration_minutes=60,
        place="",
        now=NOW,
    )
    services.conversation_cancel(conversation=asked, by=cast.alice, now=NOW)
    subjects = [
        (email.recipient.username, email.subject)
        for email in OutgoingEmail.objects.select_related("recipient").order_by("pk")
    ]
    assert subjects == [
        ("lena", "Alice Andersen beder dig om en samtale: MUS"),
        ("alice", "MUS with Lena Lund: 8 Dec 2026, 14:00"),
        ("lena", "MUS med Alice Andersen: 8. dec. 2026 kl. 14.00"),
        ("alice", "MUS with Lena Lund is moved: 9 Dec 2026, 09:00"),
        ("lena", "MUS med Alice Andersen er flyttet: 9. dec. 2026 kl. 09.00"),
        ("alice", "Cancelled by Alice Andersen: MUS with Lena Lund"),
        ("lena", "Aflyst af Alice Andersen: MUS med Alice Andersen"),
    ]
    for email in OutgoingEmail.objects.all():
        assert "løn" not in email.subject + email.body


def test_proposed_times_fill_weekdays_one_after_the_other() -> None:
    times = proposed_times(
        starts_on=date(2027, 1, 8),  # a Friday
        ends_on=date(2027, 1, 11),
        count=7,
        duration_minutes=60,
        now=NOW,
    )
    local = [(t.date().isoformat(), t.strftime("%H:%M")) for t in times]
    # 9.00, 10.30, 12.00, 13.30 (ends 14.30; 15.00 would end after 15.30) on Friday and Monday.
    assert local == [
        ("2027-01-08", "09:00"),
        ("2027-01-08", "10:30"),
        ("2027-01-08", "12:00"),
        ("2027-01-08", "13:30"),
        ("2027-01-11", "09:00"),
        ("2027-01-11", "10:30"),
        ("2027-01-11", "12:00"),
    ]
    assert all(str(t.tzinfo) == "Europe/Copenhagen" for t in times)
    # Never today or before, whatever the period says.
    (first,) = proposed_times(
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
        count=1,
        duration_minutes=30,
        now=NOW,
    )
    assert first.date() == date(2026, 12, 2)


def test_propose_times_fills_in_the_form_and_plans_nothing(
    cast: Cast, client_for: Any, carl: Any
) -> None:
    rows = {
        **_row(cast.alice, date(2027, 1, 13), "13:00"),
        **_row(cast.bob, "", "", ""),
        **_row(carl, "", "", "45"),
    }
    client = client_for(cast.lena)
    data = _plan_post(rows, starts_on="2027-01-11", ends_on="2027-01-11", propose="1")
    html = client.post(reverse("conversations:plan_new"), data).content.decode()
    assert "Der er foreslået tidspunkter for 2 personer." in html
    assert f'name="person-{cast.alice.pk}-start" value="13:00"' in html
    assert f'name="person-{cast.bob.pk}-start" value="09:00"' in html
    assert f'name="person-{carl.pk}-start" value="10:30"' in html  # slots as long as the longest
    _nothing_made()
    # A period without room proposes what fits and says so.
    data = _plan_post(rows, starts_on="2027-01-09", ends_on="2027-01-10", propose="1")
    html = client.post(reverse("conversations:plan_new"), data).content.decode()
    assert "Perioden har ikke plads til 2 mere." in html
    _nothing_made()
