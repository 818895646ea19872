"""The database side of tests/test_scale_out.py, run in a child process on the test's own
PostgreSQL database (DATABASE_URL), as the servers and workers see it:

    python -m tests.scale_out_data prepare HOOK_PORT   # people, outboxes, surveys, sessions
    python -m tests.scale_out_data emails N            # N more e-mails waiting
    python -m tests.scale_out_data state               # what the test checks

Each prints one JSON object. Times come from the clock of the machine the workers run on;
nothing the test asserts depends on the day or the hour."""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from typing import Any

PEOPLE = 8
QUESTIONS = 3
PASSWORD = "correct-horse-battery-staple"


def prepare(hook_port: int) -> dict[str, Any]:
    from django.utils import timezone

    from accounts.models import User
    from accounts.session_store import logged_in_session
    from notifications.chat import chat_post
    from notifications.models import ChatWebhook
    from organisation.models import Membership, Value
    from organisation.services import unit_create
    from pulse.models import Question, Survey
    from pulse.services import pulse_answer, round_open

    now = timezone.now()
    unit = unit_create(actor=None, name="Kontoret", parent=None)
    people = []
    for number in range(PEOPLE):
        person = User.objects.create(
            username=f"person{number}",
            first_name=f"Person{number}",
            last_name="Hansen",
            email=f"person{number}@kommune.example",
        )
        person.set_password(PASSWORD)
        person.save()
        role = Membership.Role.LEADER if number == 0 else Membership.Role.MEMBER
        Membership.objects.create(user=person, unit=unit, role=role)
        people.append(person)
    value = Value.objects.create(name="Tillid")
    sessions = []
    for person in people:
        session = logged_in_session(person, now=now, lifetime=timedelta(hours=1))
        session.save()
        sessions.append(session.session_key)

    ChatWebhook.objects.create(
        name="Hele organisationen",
        format=ChatWebhook.Format.SLACK,
        url=f"http://127.0.0.1:{hook_port}/hook",
    )
    for number in range(60):
        chat_post(unit=None, text=f"Nyhed {number}", link="/recognition/", link_label="Se")
    emails(120, start=0)

    questions = [
        Question.objects.create(theme="trust", text_da=f"Spørgsmål {n}", text_en=f"Question {n}")
        for n in range(QUESTIONS)
    ]

    def survey(name: str, *, starts_on: Any, active: bool) -> Survey:
        made = Survey.objects.create(
            name=name, starts_on=starts_on, every_weeks=1, round_days=5, k=3, is_active=active
        )
        made.units.set([unit])
        for position, question in enumerate(questions):
            made.items.create(question=question, position=position)
        return made

    # Its first round opened yesterday at 08:00 and runs five days: due now, at any hour.
    to_open = survey("Åbnes nu", starts_on=timezone.localdate(now) - timedelta(days=1), active=True)
    # A round that closed two days ago with four answers, waiting to be sealed.
    to_seal = survey(
        "Forsegles", starts_on=timezone.localdate(now) - timedelta(days=7), active=False
    )
    closed = round_open(survey=to_seal, opens_at=now - timedelta(days=7))
    for person in people[:4]:
        pulse_answer(
            round_=closed,
            user=person,
            answers={q.pk: 4 for q in questions},
            now=closed.opens_at + timedelta(hours=1),
        )
    return {
        "sessions": sessions,
        "people": [person.pk for person in people],
        "value": value.pk,
        "to_open": to_open.pk,
        "to_seal": closed.pk,
    }


def emails(count: int, *, start: int | None = None) -> dict[str, Any]:
    from django.utils import timezone

    from accounts.models import User
    from notifications.models import OutgoingEmail

    people = list(User.objects.filter(username__startswith="person").order_by("pk"))
    first = OutgoingEmail.objects.filter(kind="scale").count() if start is None else start
    now = timezone.now()
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            recipient=people[n % len(people)],
            kind="scale",
            to_address=people[n % len(people)].email,
            subject=f"Besked {n}",
            body=f"Besked nummer {n}.",
            next_attempt_at=now,
        )
        for n in range(first, first + count)
    )
    return {"queued": count}


def state(to_open: int, to_seal: int) -> dict[str, Any]:
    from notifications.models import OutgoingEmail, WebhookDelivery
    from pulse.models import OpenTally, Participation, Round, Tally
    from recognition.models import Recognition

    sealed = Round.objects.get(pk=to_seal)
    return {
        "emails_sent": sorted(
            [e.to_address, e.subject] for e in OutgoingEmail.objects.filter(sent_at__isnull=False)
        ),
        "emails_waiting": OutgoingEmail.objects.filter(sent_at__isnull=True).count(),
        "chat_sent": sorted(d.text for d in WebhookDelivery.objects.filter(sent_at__isnull=False)),
        "chat_waiting": WebhookDelivery.objects.filter(sent_at__isnull=True).count(),
        "rounds_of_survey_to_open": list(
            Round.objects.filter(survey_id=to_open).values_list("number", flat=True)
        ),
        "sealed": sealed.sealed_at is not None,
        "tallies": Tally.objects.filter(round=sealed).count(),
        "tally_answers": sum(sum(t.counts) for t in Tally.objects.filter(round=sealed)),
        "participations": Participation.objects.filter(round=sealed).count(),
        "open_tallies": OpenTally.objects.filter(round=sealed).count(),
        "recognitions": sorted(Recognition.objects.values_list("text", flat=True)),
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sparring.settings")
    django.setup()
    step, *args = sys.argv[1:]
    if step == "prepare":
        found = prepare(int(args[0]))
    elif step == "emails":
        found = emails(int(args[0]))
    else:
        found = state(int(args[0]), int(args[1]))
    print(json.dumps(found))


if __name__ == "__main__":
    main()
