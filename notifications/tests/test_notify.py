"""What reaches a person: the kind's defaults, the person's own choices, once per reminder,
nothing for the deactivated, and nothing sent before the caller's transaction commits."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from notifications import kinds
from notifications.kinds import all_kinds, get_kind, register_kind
from notifications.models import Notification, OutgoingEmail
from notifications.services import notification_settings_save, notify, notify_once


def told(person):
    """(in-app notifications, e-mails) that person has had."""
    return (
        Notification.objects.filter(recipient=person).count(),
        OutgoingEmail.objects.filter(recipient=person).count(),
    )


def test_the_kinds_of_the_daily_rhythm_and_their_defaults():
    defaults = {k.name: (k.in_app, k.email) for k in all_kinds()}
    assert defaults["checkin_reminder"] == (True, True)
    assert defaults["help_request"] == (True, True)
    assert defaults["help_offer"] == (True, True)
    assert defaults["agreement_revisit"] == (True, False)


def test_by_default_a_person_is_told_in_the_app_and_by_email(cast):
    notification = notify(recipient=cast.alice, kind="help_request", text="Bob beder om hjælp")
    assert notification is not None
    assert notification.text == "Bob beder om hjælp"
    assert told(cast.alice) == (1, 1)
    email = OutgoingEmail.objects.get()
    assert email.to_address == "alice@example.org"
    assert email.kind == "help_request"
    assert email.sent_at is None and email.attempts == 0


def test_a_kind_without_email_by_default_sends_none(cast):
    notify(recipient=cast.alice, kind="agreement_revisit", text="Tid til at se på spillereglerne")
    assert told(cast.alice) == (1, 0)


def test_email_turned_off_means_no_email(cast):
    notification_settings_save(user=cast.alice, choices={"help_request": (True, False)})
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    assert told(cast.alice) == (1, 0)
    # Only alice chose; bob still gets the defaults.
    notify(recipient=cast.bob, kind="help_request", text="Hjælp")
    assert told(cast.bob) == (1, 1)


def test_in_app_turned_off_means_no_notification(cast):
    notification_settings_save(user=cast.alice, choices={"help_request": (False, True)})
    assert notify(recipient=cast.alice, kind="help_request", text="Hjælp") is None
    assert told(cast.alice) == (0, 1)


def test_a_kind_turned_on_that_is_off_by_default(cast):
    notification_settings_save(user=cast.alice, choices={"agreement_revisit": (True, True)})
    notify(recipient=cast.alice, kind="agreement_revisit", text="Spilleregler")
    assert told(cast.alice) == (1, 1)


def test_both_turned_off_means_nothing(cast):
    notification_settings_save(user=cast.alice, choices={"help_offer": (False, False)})
    assert notify(recipient=cast.alice, kind="help_offer", text="Bob vil hjælpe") is None
    assert told(cast.alice) == (0, 0)


def test_choices_saved_again_replace_the_old_ones(cast):
    notification_settings_save(user=cast.alice, choices={"help_request": (False, False)})
    notification_settings_save(user=cast.alice, choices={"help_request": (True, False)})
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    assert told(cast.alice) == (1, 0)


def test_deactivated_people_get_nothing(cast):
    cast.bob.is_active = False
    cast.bob.save()
    assert notify(recipient=cast.bob, kind="help_request", text="Hjælp") is None
    notify_once(recipient=cast.bob, kind="checkin_reminder", key="w1", text="Tjek ind")
    assert told(cast.bob) == (0, 0)


def test_notify_once_tells_a_person_once_per_key(cast):
    for _ in range(3):
        notify_once(recipient=cast.alice, kind="checkin_reminder", key="2026-W48", text="Tjek ind")
    assert told(cast.alice) == (1, 1)
    assert Notification.objects.get().key == "2026-W48"
    # Another occasion, another reminder; and the key is per person.
    notify_once(recipient=cast.alice, kind="checkin_reminder", key="2026-W49", text="Tjek ind")
    notify_once(recipient=cast.bob, kind="checkin_reminder", key="2026-W48", text="Tjek ind")
    assert told(cast.alice) == (2, 2)
    assert told(cast.bob) == (1, 1)


def test_notify_once_by_email_alone_is_still_once(cast):
    notification_settings_save(user=cast.alice, choices={"checkin_reminder": (False, True)})
    for _ in range(3):
        notify_once(recipient=cast.alice, kind="checkin_reminder", key="2026-W48", text="Tjek ind")
    assert told(cast.alice) == (0, 1)


def test_notify_once_when_another_worker_got_there_first(cast, monkeypatch):
    notify_once(recipient=cast.alice, kind="checkin_reminder", key="w", text="Tjek ind")
    # Between the check and the insert another worker told her: the database says no, and
    # the caller's transaction goes on unharmed.
    for model in (Notification, OutgoingEmail):
        monkeypatch.setattr(model.objects, "filter", lambda *a, m=model, **kw: m.objects.none())
    with transaction.atomic():
        notify_once(recipient=cast.alice, kind="checkin_reminder", key="w", text="x")
        notify(recipient=cast.bob, kind="help_request", text="Hjælp")
    monkeypatch.undo()
    assert told(cast.alice) == (1, 1)
    assert told(cast.bob) == (1, 1)


def test_notify_once_needs_a_key(cast):
    with pytest.raises(ValueError):
        notify_once(recipient=cast.alice, kind="checkin_reminder", key="", text="Tjek ind")


def test_nothing_is_told_when_the_callers_transaction_rolls_back(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=cast.alice, kind="help_request", text="Hjælp")
        raise RuntimeError("the help request was not saved after all")
    assert told(cast.alice) == (0, 0)


def test_unknown_kinds_and_links_elsewhere_are_refused(cast):
    with pytest.raises(LookupError):
        notify(recipient=cast.alice, kind="no_such_kind", text="x")
    for url in ("https://example.org/", "//example.org/x", "/\\example.org", "notes/"):
        with pytest.raises(ValueError):
            notify(recipient=cast.alice, kind="help_request", text="x", url=url)
    assert told(cast.alice) == (0, 0)


def test_texts_are_written_in_the_installations_language(cast):
    # Someone using Sparring in English tells alice; she reads Danish, the default.
    with translation.override("en"):
        notification = notify(
            recipient=cast.alice, kind="help_request", text=gettext_lazy("My page")
        )
    assert notification is not None and notification.text == "Min side"
    assert OutgoingEmail.objects.get().body.startswith("Min side")


def test_apps_register_their_own_kinds(cast, monkeypatch):
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))
    kind = register_kind(
        "goal_due", label="Goal due", description="A goal you own is due soon.", email=False
    )
    assert get_kind("goal_due") is kind
    assert kind in all_kinds()
    # Registering it again (a module imported twice) is harmless; a clash is not.
    register_kind(
        "goal_due", label="Goal due", description="A goal you own is due soon.", email=False
    )
    with pytest.raises(ValueError):
        register_kind("goal_due", label="Something else", description="")
    notify(recipient=cast.alice, kind="goal_due", text="Målet forfalder fredag")
    assert told(cast.alice) == (1, 0)
