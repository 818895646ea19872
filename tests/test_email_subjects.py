"""E-mail subjects name what happened and who did it, in the recipient's language, and never
what anyone wrote (PRODUCT.md, privacy rule 8); one switch turns all notification e-mail off
while the app still tells; reminders stay one per occasion across worker ticks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.services import password_forgot_request
from checkins import reminders as checkin_reminders
from checkins.models import week_of
from checkins.services import checkin_write, reply_create
from conftest import COPENHAGEN, FROZEN_AT
from core.access import Visibility
from feedback.models import FeedbackAsk
from feedback.services import (
    feedback_ask_decline,
    feedback_give,
    feedback_request_create,
    feedback_share,
    feedback_thank,
    sparring_cancel,
    sparring_decline,
    sparring_request_create,
    sparring_schedule,
)
from notifications.account_emails import account_email_queue
from notifications.kinds import all_kinds
from notifications.models import Notification, OutgoingEmail
from notifications.services import notification_settings_save, notify
from organisation.models import Value
from pulse.models import Question, Survey
from pulse.tasks import run_pulse_rounds
from recognition.services import recognition_create
from teamwork import reminders as teamwork_reminders
from teamwork.models import Team
from teamwork.services import help_offer_accept, help_offer_create, help_request_create

pytestmark = pytest.mark.usefixtures("clock")

# What people wrote in these tests: none of it may reach a subject.
WRITTEN = (
    "budgettet",
    "oplægget",
    "arkitekturen",
    "mødet",
    "hjælpen",
    "Trivsel i teamet",
    "sygemeldingen",
    "hvordan går det",
)

SUBJECTS = {
    "da": [
        ("alice", "help_request", "Bob Bertelsen beder om hjælp"),
        ("lena", "help_request", "Bob Bertelsen beder om hjælp"),
        ("bob", "help_offer", "Alice Andersen tilbyder at hjælpe dig"),
        ("alice", "help_offer", "Bob Bertelsen har taget imod din hjælp"),
        ("alice", "feedback_request", "Bob Bertelsen beder om din feedback"),
        ("bob", "feedback_request", "Alice Andersen kan ikke give feedback"),
        ("bob", "feedback_received", "Alice Andersen har givet dig feedback"),
        ("alice", "feedback_thanks", "Bob Bertelsen har takket dig for din feedback"),
        ("lena", "feedback_shared", "Bob Bertelsen har delt feedback med dig"),
        ("bob", "sparring", "Alice Andersen beder dig om sparring"),
        ("bob", "sparring", "Alice Andersen beder dig om sparring"),  # asked twice
        ("alice", "sparring", "Sparring med Bob Bertelsen: 8. dec. 2026 kl. 14.00"),
        ("bob", "sparring", "Sparring med Alice Andersen: 8. dec. 2026 kl. 14.00"),
        ("alice", "sparring", "Alice Andersen har aflyst sparringen"),
        ("bob", "sparring", "Alice Andersen har aflyst sparringen"),
        ("alice", "sparring", "Bob Bertelsen kan ikke sparre med dig"),
        ("alice", "recognition", "Bob Bertelsen har takket dig"),
        ("lena", "checkin_shared", "Alice Andersen har delt et check-in med dig"),
        ("alice", "checkin_reply", "Lena Lund har svaret på et check-in"),
    ],
    "en": [
        ("alice", "help_request", "Bob Bertelsen asks for help"),
        ("lena", "help_request", "Bob Bertelsen asks for help"),
        ("bob", "help_offer", "Alice Andersen offers to help you"),
        ("alice", "help_offer", "Bob Bertelsen accepted your offer of help"),
        ("alice", "feedback_request", "Bob Bertelsen asks for your feedback"),
        ("bob", "feedback_request", "Alice Andersen cannot give feedback"),
        ("bob", "feedback_received", "Alice Andersen gave you feedback"),
        ("alice", "feedback_thanks", "Bob Bertelsen thanked you for your feedback"),
        ("lena", "feedback_shared", "Bob Bertelsen shared feedback with you"),
        ("bob", "sparring", "Alice Andersen asks you for sparring"),
        ("bob", "sparring", "Alice Andersen asks you for sparring"),  # asked twice
        ("alice", "sparring", "Sparring with Bob Bertelsen: 8 Dec 2026, 14:00"),
        ("bob", "sparring", "Sparring with Alice Andersen: 8 Dec 2026, 14:00"),
        ("alice", "sparring", "Alice Andersen cancelled the sparring"),
        ("bob", "sparring", "Alice Andersen cancelled the sparring"),
        ("alice", "sparring", "Bob Bertelsen cannot spar with you"),
        ("alice", "recognition", "Bob Bertelsen thanked you"),
        ("lena", "checkin_shared", "Alice Andersen shared a check-in with you"),
        ("alice", "checkin_reply", "Lena Lund replied about a check-in"),
    ],
}

REMINDERS = {
    "da": {
        "checkin_reminder": "Tid til ugens check-in",
        "agreement_revisit": "Tid til at se på teamets spilleregler igen",
        "pulse_round": "Ny trivselsmåling: svar inden 6. dec. 2026 kl. 08.00",
    },
    "en": {
        "checkin_reminder": "Time for this week's check-in",
        "agreement_revisit": "Time to revisit your team's working agreements",
        "pulse_round": "New wellbeing survey: answer by 6 Dec 2026, 08:00",
    },
}


def speak(cast, language):
    User.objects.filter(pk__in=[cast.alice.pk, cast.bob.pk, cast.lena.pk]).update(language=language)
    for person in (cast.alice, cast.bob, cast.lena):
        person.refresh_from_db()


def subjects():
    return [
        (email.recipient.username, email.kind, email.subject)
        for email in OutgoingEmail.objects.select_related("recipient").order_by("pk")
    ]


@pytest.mark.parametrize("language", ["da", "en"])
def test_each_event_has_its_own_subject_in_the_recipients_language(cast, language):
    speak(cast, language)
    # Off by default for e-mail; turned on, so that its subject is seen too.
    notification_settings_save(
        user=cast.alice, choices={"feedback_thanks": (True, True), "checkin_reply": (True, True)}
    )
    notification_settings_save(user=cast.lena, choices={"checkin_shared": (True, True)})
    value = Value.objects.filter(is_active=True).first()
    assert value is not None

    help_request = help_request_create(asker=cast.bob, unit=cast.team, text="Hvem kan budgettet?")
    offer = help_offer_create(help_request=help_request, helper=cast.alice, message="Jeg kan")
    help_offer_accept(offer=offer, by=cast.bob)

    feedback_request_create(asker=cast.bob, people=[cast.alice], about="oplægget")
    feedback_ask_decline(ask=FeedbackAsk.objects.get(person=cast.alice), by=cast.alice)
    feedback = feedback_give(
        giver=cast.alice, receiver=cast.bob, works_well="Klart", even_better="", about="mødet"
    )
    feedback_thank(feedback=feedback, by=cast.bob)
    feedback_share(
        feedback=feedback, by=cast.bob, visibility=Visibility.SHARED, shared_with=[cast.lena]
    )

    sparring = sparring_request_create(asker=cast.alice, partner=cast.bob, topic="arkitekturen")
    sparring_schedule(
        sparring=sparring,
        by=cast.bob,
        starts_at=datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
        duration_minutes=30,
        now=FROZEN_AT,
    )
    sparring_cancel(sparring=sparring, by=cast.alice, now=FROZEN_AT)
    sparring_decline(
        sparring=sparring_request_create(asker=cast.alice, partner=cast.bob, topic="arkitekturen"),
        by=cast.bob,
    )

    recognition_create(
        author=cast.bob, recipients=[cast.alice], text="Tak for hjælpen", values=[value], unit=None
    )

    checkin = checkin_write(
        owner=cast.alice,
        week=week_of(timezone.localdate()),
        energy=None,
        went_well="",
        is_hard="sygemeldingen",
        priorities="",
        help_needed="",
        visibility=Visibility.LEADER,
    )
    reply_create(checkin=checkin, author=cast.lena, text="hvordan går det")

    told = subjects()
    assert sorted(told) == sorted(SUBJECTS[language])
    for _name, _kind, subject in told:
        assert not any(word.lower() in subject.lower() for word in WRITTEN), subject
    # The e-mail's text and the in-app notification are in the recipient's language too.
    thanks = {"da": "Bob Bertelsen siger tak: Tak for hjælpen", "en": "Bob Bertelsen thanks you"}
    assert Notification.objects.get(recipient=cast.alice, kind="recognition").text.startswith(
        thanks[language]
    )
    email = OutgoingEmail.objects.get(recipient=cast.alice, kind="recognition")
    assert email.body.startswith(thanks[language])


@pytest.mark.parametrize("language", ["da", "en"])
def test_reminders_have_their_own_subjects_in_the_recipients_language(cast, language):
    speak(cast, language)
    notification_settings_save(user=cast.alice, choices={"agreement_revisit": (True, True)})
    now = FROZEN_AT  # a Tuesday at 10:00, the default check-in day
    checkin_reminders.remind_to_check_in(now)
    Team.objects.create(unit=cast.team, agreements_revisit_on=now.date())
    teamwork_reminders.remind_to_revisit_agreements(now)
    survey = Survey.objects.create(
        name="Trivsel i teamet", starts_on=now.date(), every_weeks=2, round_days=5
    )
    survey.units.set([cast.team])
    survey.items.create(question=Question.objects.all()[0], position=0)
    run_pulse_rounds(now)

    mine = {
        kind: subject
        for name, kind, subject in subjects()
        if name == "alice" and kind in REMINDERS[language]
    }
    assert mine == REMINDERS[language]
    assert not any("Trivsel i teamet" in subject for subject in mine.values())


def test_eve_who_never_chose_a_language_gets_danish(cast):
    recognition_create(
        author=cast.bob,
        recipients=[cast.eve],
        text="Tak",
        values=list(Value.objects.filter(is_active=True)[:1]),
        unit=None,
    )
    email = OutgoingEmail.objects.get(recipient=cast.eve, kind="recognition")
    assert email.subject == "Bob Bertelsen har takket dig"


def every_kind(*, email_on):
    """The settings form with every kind in the app and by e-mail, and the switch as given."""
    data = {
        f"{kind.name}-{channel}": "on" for kind in all_kinds() for channel in ("in_app", "email")
    }
    if email_on:
        data["all_email"] = "on"
    return data


def test_all_email_off_stops_every_notification_email_but_not_the_app(cast, client_for):
    client = client_for(cast.alice)
    page = client.get("/notifications/settings/").content.decode()
    assert "adgangskode" in page  # account e-mails still go, and the page says so
    response = client.post("/notifications/settings/", every_kind(email_on=False))
    assert response.status_code == 302

    help_request_create(asker=cast.bob, unit=cast.team, text="Hvem kan budgettet?")
    checkin_reminders.remind_to_check_in(FROZEN_AT)
    assert OutgoingEmail.objects.filter(recipient=cast.alice).count() == 0
    assert set(
        Notification.objects.filter(recipient=cast.alice).values_list("kind", flat=True)
    ) == {"help_request", "checkin_reminder"}
    # Only alice turned it off: lena still gets both by e-mail.
    assert OutgoingEmail.objects.filter(recipient=cast.lena).count() == 2

    # Turned on again, the choices per kind count as before.
    client.post("/notifications/settings/", every_kind(email_on=True))
    notify(recipient=cast.alice, kind="help_request", text="Igen", subject="Igen")
    assert OutgoingEmail.objects.filter(recipient=cast.alice).count() == 1


def test_account_emails_still_reach_a_person_with_all_email_off(cast):
    notification_settings_save(user=cast.alice, choices={}, email_on=False)
    account_email_queue(
        recipient=cast.alice, kind="account_locked", subject="Sparring", body="Låst"
    )
    assert OutgoingEmail.objects.filter(recipient=cast.alice, kind="account_locked").exists()


def test_the_settings_page_shows_the_switch_as_saved(cast, client_for):
    client = client_for(cast.alice)
    html = client.get("/notifications/settings/").content.decode()
    assert 'name="all_email" class="form-checkbox" id="id_all_email" checked' in html
    client.post("/notifications/settings/", {})
    html = client.get("/notifications/settings/").content.decode()
    assert 'name="all_email" class="form-checkbox" id="id_all_email">' in html


def test_a_reminder_is_sent_once_per_week_and_round_across_two_worker_ticks(
    cast, clock, monkeypatch
):
    """Through the worker itself, twice at the same occasion: one notification and one
    e-mail per person for the week's check-in and for the round's opening."""
    survey = Survey.objects.create(
        name="Trivsel", starts_on=clock.today(), every_weeks=2, round_days=5
    )
    survey.units.set([cast.team])
    survey.items.create(question=Question.objects.all()[0], position=0)
    for _tick in range(2):
        call_command("worker", "--once")
        clock.advance(timedelta(hours=1))
    for kind in ("checkin_reminder", "pulse_round"):
        for person in (cast.alice, cast.bob, cast.lena):
            assert Notification.objects.filter(recipient=person, kind=kind).count() == 1, kind
            assert OutgoingEmail.objects.filter(recipient=person, kind=kind).count() == 1, kind
    # The next week's check-in day is a new occasion.
    clock.move_to(
        datetime.combine(date(2026, 12, 8), FROZEN_AT.timetz()).replace(tzinfo=COPENHAGEN)
    )
    call_command("worker", "--once")
    assert Notification.objects.filter(recipient=cast.alice, kind="checkin_reminder").count() == 2


@pytest.mark.parametrize(
    ("language", "subject"),
    [("", "Sparring: vælg en ny adgangskode"), ("en", "Sparring: choose a new password")],
)
def test_account_emails_are_in_the_persons_language_too(cast, language, subject):
    User.objects.filter(pk=cast.alice.pk).update(language=language)
    password_forgot_request(email="alice@example.org", address="127.0.0.1", now=FROZEN_AT)
    assert OutgoingEmail.objects.get(recipient=cast.alice).subject == subject
