"""The database a load run works on: the municipal demo with the history its main pages read,
a wellbeing round open to the whole organisation, and a logged-in session for every person.

Runs in a child process with DATABASE_URL set (bench.load starts it), since Django reads its
database from the environment once."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

HISTORY_WEEKS = 12
FEEDBACK_MONTHS = 24
PULSE_ROUNDS = 26


def prepare(*, sessions_path: Path) -> dict[str, Any]:
    """Build the demo and its history, then write the sessions file."""
    from bench.history import feedback_history_create, history_create
    from bench.pulse import pulse_history_create
    from home.demo import demo_create

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    demo_create(size="municipality")
    history_create(weeks=HISTORY_WEEKS)
    feedback_history_create(months=FEEDBACK_MONTHS)
    pulse_history_create(rounds=PULSE_ROUNDS)
    built = time.monotonic() - started
    sessions = sessions_write(sessions_path)
    return {"seconds": round(built, 1), "sessions": sessions}


def round_next() -> int:
    """Open the next round of the organisation's survey, for a run of answers: each person
    answers a round once, so every run of answers has a round of its own."""
    from bench.pulse import SURVEY_NAME
    from pulse.models import Survey
    from pulse.services import round_open

    survey = Survey.objects.get(name=SURVEY_NAME)
    return round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1)).pk


def rounds_seal() -> int:
    """Close and seal the open rounds of the organisation's survey, as the worker does when
    their days are over: a run of answers leaves none open for the runs after it."""
    from bench.pulse import SURVEY_NAME
    from pulse.models import Round
    from pulse.services import round_seal, storage_settle

    now = timezone.now()
    rounds = list(Round.objects.filter(survey__name=SURVEY_NAME, sealed_at__isnull=True))
    for round_ in rounds:
        Round.objects.filter(pk=round_.pk).update(closes_at=now)
        round_.closes_at = now
        round_seal(round_=round_, now=now)
    storage_settle()
    return len(rounds)


@transaction.atomic
def sessions_write(path: Path) -> int:
    """A session for every active person with a unit, as logging in makes it, and a file that
    lists them with each person's unit and a colleague to thank."""
    from accounts.models import Session, User
    from accounts.session_store import logged_in_session
    from organisation.models import HOME_UNIT_ORDER, Membership, Value

    now = timezone.now()
    home: dict[int, int] = {}
    for user_id, unit_id in Membership.objects.order_by(*HOME_UNIT_ORDER).values_list(
        "user_id", "unit_id"
    ):
        home.setdefault(user_id, unit_id)
    people_of: dict[int, list[int]] = {}
    for user_id, unit_id in home.items():
        people_of.setdefault(unit_id, []).append(user_id)
    rows: list[Session] = []
    listed: list[dict[str, Any]] = []
    users = User.objects.filter(is_active=True, pk__in=list(home)).only("pk", "password")
    for user in users.iterator(chunk_size=2000):
        rows.append(logged_in_session(user, now=now, lifetime=timedelta(hours=12)))
        team = people_of[home[user.pk]]
        colleague = next((pk for pk in team if pk != user.pk), None)
        listed.append(
            {
                "key": rows[-1].session_key,
                "user": user.pk,
                "unit": home[user.pk],
                "thank": colleague,
            }
        )
    Session.objects.filter(user_id__in=list(home)).delete()
    Session.objects.bulk_create(rows, batch_size=2000)
    value = Value.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[0]
    path.write_text(json.dumps({"value": value, "people": listed}))
    return len(rows)
