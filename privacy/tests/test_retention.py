"""Deletion deadlines: administrators set them, everyone reads them, and the worker's nightly
run deletes exactly what is past them, kind by kind, leaving the wellbeing figures as they
were and writing only counts to the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import LoginAttempt
from accounts.services import login_try_begin, login_try_failed
from checkins.models import CheckIn, Reflection, Reply, Thread
from conftest import COPENHAGEN, Cast
from conversations import services as conversations
from conversations.models import Kind
from core.models import AuditEntry
from core.personal_data import rules_by_key
from feedback.models import Feedback
from learning.models import Entry
from notifications.models import OutgoingEmail
from privacy.models import RetentionRun, RetentionSetting
from privacy.retention import next_run, past_deadline, retention_run, retention_set
from profiles.models import ProfileNote
from pulse.models import EnergyTally
from pulse.selectors import energy_trend
from pulse.services import energy_count

DEADLINE = 365
# The night's run, in the organisation's time.
NIGHT = datetime(2026, 12, 2, 2, 30, tzinfo=COPENHAGEN)
OLD = NIGHT - timedelta(days=DEADLINE + 1)
NEW = NIGHT - timedelta(days=DEADLINE - 1)
# Login records always have a deadline (90 days unless set longer): every run counts them.
ALWAYS = {"login_records": 0}


def _conversation(cast: Cast) -> Any:
    return conversations.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NIGHT + timedelta(days=1),
        duration_minutes=60,
        now=NIGHT,
    )


def _checkins(cast: Cast) -> list[Any]:
    old = CheckIn.objects.create(owner=cast.alice, week="2025-11-24", energy=3)
    thread = Thread.objects.create(checkin=old, reader=cast.lena)
    Reply.objects.create(thread=thread, owner=cast.lena, text="Tak for det")
    new = CheckIn.objects.create(owner=cast.alice, week="2025-12-08", energy=4)
    return [old, new]


def _shared_notes(cast: Cast) -> list[Any]:
    conversation = _conversation(cast)
    return [
        conversations.shared_note_add(conversation=conversation, by=by, text="Note", now=NIGHT)
        for by in (cast.lena, cast.alice)
    ]


def _private_notes(cast: Cast) -> list[Any]:
    conversation = _conversation(cast)
    return [
        conversations.private_note_save(conversation=conversation, by=by, text="Kun mig")
        for by in (cast.lena, cast.alice)
    ]


def _entries(cast: Cast) -> list[Any]:
    return [
        Entry.objects.create(
            owner=cast.alice, kind="course", title="Kursus", happened_on="2025-06-01", learned="x"
        )
        for _ in range(2)
    ]


def _emails(cast: Cast) -> list[Any]:
    return [
        OutgoingEmail.objects.create(
            recipient=cast.alice, kind="test", to_address="a@example.org", subject="S", body="B"
        )
        for _ in range(2)
    ]


# For each rule: two rows of its kind, the first to be made old, the second new.
MAKE: dict[str, Callable[[Cast], list[Any]]] = {
    "checkins": _checkins,
    "reflections": lambda cast: [
        Reflection.objects.create(owner=cast.alice, text=t) for t in ("gammel", "ny")
    ],
    "profile_notes": lambda cast: [
        ProfileNote.objects.create(owner=cast.alice, title=t, body="b") for t in ("gammel", "ny")
    ],
    "conversation_shared_notes": _shared_notes,
    "conversation_private_notes": _private_notes,
    "feedback": lambda cast: [
        Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well=t)
        for t in ("gammel", "ny")
    ],
    "learning_entries": _entries,
    "emails": _emails,
    "audit_log": lambda cast: [AuditEntry.objects.create(action="test") for _ in range(2)],
    "login_records": lambda cast: [
        LoginAttempt.objects.create(
            user=cast.alice, ip_address="192.0.2.1", succeeded=True, at=NIGHT
        )
        for _ in range(2)
    ],
}


def test_every_rule_has_a_test():
    """Each kind an app declares a rule for; leavers' content has its own tests below."""
    assert set(MAKE) == set(rules_by_key())


@pytest.mark.parametrize("key", sorted(MAKE))
def test_a_run_deletes_exactly_what_is_past_the_deadline(key, cast, clock):
    # A kind kept in several tables is tested in its first; login records' lines in the
    # audit log have their own test (accounts' lock-out tests).
    rule = rules_by_key()[key][0]
    old, new = MAKE[key](cast)
    rule.model._default_manager.filter(pk=old.pk).update(**{rule.date_field: OLD})
    rule.model._default_manager.filter(pk=new.pk).update(**{rule.date_field: NEW})
    untouched = rule.model._default_manager.exclude(pk__in=[old.pk, new.pk]).count()
    retention_set(actor=cast.ada, days={key: DEADLINE})

    assert past_deadline(now=NIGHT) == {**ALWAYS, key: 1}
    assert retention_run(now=NIGHT) == {**ALWAYS, key: 1}

    rows = rule.model._default_manager
    assert not rows.filter(pk=old.pk).exists()
    assert rows.filter(pk=new.pk).exists()
    # Nothing else of the kind went: the rows made on the way (a conversation's audit entries,
    # the run's own entry) are newer than the deadline.
    assert rows.exclude(pk=new.pk).count() >= untouched


def test_a_check_in_goes_with_the_replies_on_it(cast, clock):
    old, new = _checkins(cast)
    CheckIn.objects.filter(pk=old.pk).update(created_at=OLD)
    CheckIn.objects.filter(pk=new.pk).update(created_at=NEW)
    retention_set(actor=cast.ada, days={"checkins": DEADLINE})

    retention_run(now=NIGHT)

    assert not Thread.objects.filter(checkin_id=old.pk).exists()
    assert not Reply.objects.exists()


def test_a_kind_without_a_deadline_is_kept(cast, clock):
    note = ProfileNote.objects.create(owner=cast.alice, title="t", body="b")
    ProfileNote.objects.filter(pk=note.pk).update(updated_at=OLD - timedelta(days=3000))
    retention_set(actor=cast.ada, days={"reflections": DEADLINE})

    assert retention_run(now=NIGHT) == {**ALWAYS, "reflections": 0}
    assert ProfileNote.objects.filter(pk=note.pk).exists()


def test_the_run_leaves_the_wellbeing_figures_as_they_were(cast, clock):
    """The energy of old check-ins was counted when their week ended; deleting them later
    changes nothing that was counted."""
    week = OLD.date() - timedelta(days=OLD.weekday())
    for person in (cast.alice, cast.bob, cast.lena, cast.eve, cast.ada):
        CheckIn.objects.create(owner=person, week=week, energy=4)
    energy_count(week=week, now=OLD + timedelta(days=14))
    before = energy_trend(cast.organisation.pk, weeks=1)
    tallies = list(EnergyTally.objects.values_list("unit_id", "t1", "t2", "t3", "t4", "t5"))
    CheckIn.objects.update(created_at=OLD)
    retention_set(actor=cast.ada, days={"checkins": DEADLINE})

    assert retention_run(now=NIGHT) == {**ALWAYS, "checkins": 5}

    assert energy_trend(cast.organisation.pk, weeks=1) == before
    assert list(EnergyTally.objects.values_list("unit_id", "t1", "t2", "t3", "t4", "t5")) == tallies


def test_the_run_logs_counts_only(cast, clock):
    Reflection.objects.create(owner=cast.alice, text="Min hemmelige tanke")
    Reflection.objects.update(created_at=OLD)
    retention_set(actor=cast.ada, days={"reflections": DEADLINE})

    retention_run(now=NIGHT)

    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.actor is None
    assert entry.data == {"deleted": {**ALWAYS, "reflections": 1}}
    assert "hemmelige" not in f"{entry.summary} {entry.target_label} {entry.data}"


def test_the_run_comes_once_a_night_between_two_and_five(cast, clock):
    retention_set(actor=cast.ada, days={"reflections": DEADLINE})
    early = datetime(2026, 12, 2, 1, 59, tzinfo=COPENHAGEN)

    assert next_run(early) == datetime(2026, 12, 2, 2, 0, tzinfo=COPENHAGEN)
    assert retention_run(now=early) is None
    # From two, the run is due at the next tick.
    assert next_run(NIGHT) == NIGHT
    assert retention_run(now=NIGHT) == {**ALWAYS, "reflections": 0}
    # A second worker, or the next tick: nothing more that night.
    assert retention_run(now=NIGHT + timedelta(minutes=1)) is None
    assert next_run(NIGHT) == datetime(2026, 12, 3, 2, 0, tzinfo=COPENHAGEN)
    assert RetentionRun.objects.count() == 1
    # By day it never runs, even when the night's run was missed: a deadline changed by day
    # can be changed back.
    noon = datetime(2026, 12, 3, 12, 0, tzinfo=COPENHAGEN)
    assert retention_run(now=noon) is None
    assert next_run(noon) == datetime(2026, 12, 4, 2, 0, tzinfo=COPENHAGEN)


def test_a_change_of_deadline_is_in_the_audit_log(cast):
    retention_set(actor=cast.ada, days={"feedback": 730})
    retention_set(actor=cast.ada, days={"feedback": None, "emails": 90})

    entries = list(AuditEntry.objects.filter(action="retention.update").order_by("pk"))
    assert [(e.actor, e.data) for e in entries] == [
        (cast.ada, {"feedback": {"before": None, "after": 730}}),
        (
            cast.ada,
            {"feedback": {"before": 730, "after": None}, "emails": {"before": None, "after": 90}},
        ),
    ]
    assert list(RetentionSetting.objects.values_list("key", "days")) == [("emails", 90)]


def test_administrators_set_deadlines_on_their_page(cast, client_for):
    client = client_for(cast.ada)
    page = reverse("privacy_admin:retention")
    assert client.get(page).status_code == 200

    response = client.post(page, {"checkins": "730", "feedback": "", "login_records": "90"})

    assert response.status_code == 302
    assert dict(RetentionSetting.objects.values_list("key", "days")) == {"checkins": 730}


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("30", "En frist er mindst 90 dage."),
        ("4000", "En frist er højst ti år (3.650 dage)."),
        ("to år", "Skriv et helt antal dage, eller lad feltet være tomt."),
    ],
)
def test_a_bad_deadline_gets_a_danish_message_and_changes_nothing(days, message, cast, client_for):
    retention_set(actor=cast.ada, days={"feedback": 730})
    response = client_for(cast.ada).post(
        reverse("privacy_admin:retention"),
        {"feedback": days, "checkins": "365", "login_records": "90"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert dict(RetentionSetting.objects.values_list("key", "days")) == {"feedback": 730}


def test_only_administrators_reach_the_page(cast, client_for):
    for person in (cast.alice, cast.lena):
        assert client_for(person).get(reverse("privacy_admin:retention")).status_code == 404


def test_everyone_reads_the_deadlines_on_the_page_about_their_data(cast, client_for):
    retention_set(actor=cast.ada, days={"checkins": 730})

    page = client_for(cast.alice).get(reverse("privacy:my_data")).content.decode()

    assert "Check-ins med svarene på dem: slettes efter 730 dage" in " ".join(page.split())
    assert "Feedback: gemmes, indtil det bliver slettet" in " ".join(page.split())


def test_a_leavers_own_content_goes_when_they_have_been_gone_past_the_deadline(cast, clock):
    from accounts.services import person_deactivate, person_reactivate

    def content(person):
        CheckIn.objects.create(owner=person, week="2026-11-30", energy=3)
        Reflection.objects.create(owner=person, text="Tanke")
        ProfileNote.objects.create(owner=person, title="Note", body="b")
        Feedback.objects.create(owner=person, giver=cast.alice, works_well="Godt")

    for person in (cast.bob, cast.lena, cast.eve):
        content(person)
    # bob gave alice feedback: it is hers, and stays when he goes.
    Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well="Fra Bob")
    person_deactivate(actor=None, person=cast.bob, now=OLD)
    person_deactivate(actor=None, person=cast.lena, now=NEW)
    # eve left and came back: her content is an active person's again.
    person_deactivate(actor=None, person=cast.eve, now=OLD)
    person_reactivate(actor=None, person=cast.eve)
    retention_set(actor=cast.ada, days={"leavers": DEADLINE})

    assert past_deadline(now=NIGHT) == {**ALWAYS, "leavers": 3}
    assert retention_run(now=NIGHT) == {**ALWAYS, "leavers": 3}

    for model in (Reflection, ProfileNote):
        assert set(model.objects.values_list("owner__username", flat=True)) == {"lena", "eve"}
    # Check-ins stay: the replies on them are their readers'; the check-ins' own deadline
    # deletes them with their replies.
    assert CheckIn.objects.filter(owner=cast.bob).exists()
    assert set(Feedback.objects.values_list("owner__username", "giver__username")) == {
        ("lena", "alice"),
        ("eve", "alice"),
        ("alice", "bob"),
    }
    # The leaver's account stays, with their name on what others keep.
    cast.bob.refresh_from_db()
    assert not cast.bob.is_active and cast.bob.deactivated_at == OLD


def test_people_who_left_before_their_day_was_kept_are_never_reached(cast, clock):
    Reflection.objects.create(owner=cast.bob, text="Gammel")
    type(cast.bob).objects.filter(pk=cast.bob.pk).update(is_active=False, deactivated_at=None)
    retention_set(actor=cast.ada, days={"leavers": DEADLINE})

    assert retention_run(now=NIGHT) == {**ALWAYS, "leavers": 0}
    assert Reflection.objects.filter(owner=cast.bob).exists()


def test_login_records_cannot_be_kept_for_ever(cast, client_for):
    response = client_for(cast.ada).post(
        reverse("privacy_admin:retention"), {"checkins": "365", "login_records": ""}
    )

    assert response.status_code == 200
    assert "Skriv et helt antal dage: denne slags har altid en frist." in response.content.decode()
    assert not RetentionSetting.objects.exists()


def test_login_records_read_90_days_until_set_otherwise(cast, client_for):
    page = client_for(cast.alice).get(reverse("privacy:my_data")).content.decode()

    assert (
        "Logins og loginforsøg med deres linjer i revisionsloggen: slettes efter 90 dage"
        in " ".join(page.split())
    )


def test_login_records_go_after_90_days_unless_the_organisation_sets_longer(cast, clock):
    night = NIGHT
    for days in (91, 89):
        attempt = login_try_begin(
            username="alice", address="192.0.2.5", now=night - timedelta(days=days)
        )
        assert attempt is not None
        login_try_failed(attempt=attempt, now=night - timedelta(days=days))
    # The audit log writes its own time; put the rows where the attempts were.
    failed = AuditEntry.objects.filter(action="login.failed").order_by("pk")
    for entry, days in zip(failed, (91, 89), strict=True):
        AuditEntry.objects.filter(pk=entry.pk).update(at=night - timedelta(days=days))
    # Another line of the audit log, as old, is the audit log's deadline's to keep or delete.
    other = AuditEntry.objects.create(action="person.update")
    AuditEntry.objects.filter(pk=other.pk).update(at=night - timedelta(days=91))

    retention_set(actor=cast.ada, days={"login_records": 120})
    assert past_deadline(now=night)["login_records"] == 0
    retention_set(actor=cast.ada, days={"login_records": 90})
    assert past_deadline(now=night)["login_records"] == 2
    with pytest.raises(ValueError, match="always has a deadline"):
        retention_set(actor=cast.ada, days={"login_records": None})

    deleted = retention_run(now=night)
    assert deleted is not None and deleted["login_records"] == 2
    assert list(LoginAttempt.objects.values_list("at", flat=True)) == [night - timedelta(days=89)]
    assert AuditEntry.objects.filter(action="login.failed").count() == 1
    assert AuditEntry.objects.filter(pk=other.pk).exists()
