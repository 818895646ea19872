"""Reminders of development plans, run as the worker runs them: each at its time, and once,
however many ticks there are. Every `now` is fixed; nothing reads the wall clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import FROZEN_AT, Cast
from development import plan_reminders, services
from development.models import Activity, ActivityKind, DevelopmentPlan
from development.services import ActivityText
from notifications.models import Notification, OutgoingEmail
from notifications.scheduler import registered_tasks, run_periodic_tasks

# The clock stands still at the cast's frozen moment: the pages read it, the services get it.
pytestmark = pytest.mark.usefixtures("clock")

NOW = FROZEN_AT
TODAY = NOW.date()


def _told(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "text"))


def _plan(cast: Cast, follow_up_on: date | None = None) -> DevelopmentPlan:
    return services.plan_create(
        owner=cast.alice, title="Min plan", follow_up_on=follow_up_on, now=NOW
    )


def _done(cast: Cast, plan: DevelopmentPlan) -> Activity:
    activity = services.activity_add(
        plan=plan,
        by=cast.alice,
        activity=ActivityText(kind=ActivityKind.COURSE, title="Hemmeligt kursusnavn"),
    )
    return services.activity_status_set(activity=activity, by=cast.alice, status="done", now=NOW)


def test_the_worker_runs_the_reminders() -> None:
    assert {"development_reflection", "development_follow_up"} <= set(registered_tasks())


def test_a_finished_activity_asks_for_a_reflection_a_few_days_after_once(cast: Cast) -> None:
    activity = _done(cast, _plan(cast))
    for days in (0, 1, 2):
        plan_reminders.remind_to_reflect(NOW + timedelta(days=days))
    assert _told("development_reflection") == []

    for hours in (0, 1, 30):
        run_periodic_tasks(NOW + timedelta(days=3, hours=hours))
    assert _told("development_reflection") == [
        (
            "alice",
            "Du gennemførte en aktivitet (Kursus) 1. december 2026. Tag et par minutter til at "
            "skrive, hvad du lærte, hvordan du bruger det, og hvad andre kan bruge.",
        )
    ]
    email = OutgoingEmail.objects.get(kind="development_reflection")
    # The e-mail names what kind of thing, never what the person wrote.
    assert email.subject == "Skriv din refleksion over en gennemført aktivitet"
    assert "Hemmeligt" not in email.subject + email.body
    activity.refresh_from_db()
    assert activity.reflection_reminded_at == NOW + timedelta(days=3)


def test_no_reminder_once_reflected_nor_after_fourteen_days(cast: Cast) -> None:
    plan = _plan(cast)
    reflected = _done(cast, plan)
    services.activity_reflect(
        activity=reflected, by=cast.alice, learned="Meget", use="", for_others="", now=NOW
    )
    forgotten = _done(cast, plan)
    Activity.objects.filter(pk=forgotten.pk).update(done_on=TODAY - timedelta(days=14))
    # Dropped, or only under way: nothing to reflect on.
    for status in ("dropped", "under_way"):
        other = _done(cast, plan)
        services.activity_status_set(activity=other, by=cast.alice, status=status, now=NOW)

    plan_reminders.remind_to_reflect(NOW + timedelta(days=4))
    assert _told("development_reflection") == []


def test_the_follow_up_is_recalled_a_week_ahead_once_and_again_for_a_new_date(
    cast: Cast,
) -> None:
    plan = _plan(cast, follow_up_on=TODAY + timedelta(days=10))
    plan_reminders.remind_of_follow_up(NOW + timedelta(days=2))
    assert _told("development_follow_up") == []

    for days in (3, 4, 10):
        run_periodic_tasks(NOW + timedelta(days=days))
    assert _told("development_follow_up") == [
        (
            "alice",
            "Din udviklingsplan skal følges op 11. december 2026: se på dine mål og "
            "aktiviteter, alene eller med din leder.",
        )
    ]
    assert OutgoingEmail.objects.filter(kind="development_follow_up").count() == 1

    services.plan_update(
        plan=plan,
        by=cast.alice,
        title=plan.title,
        follow_up_on=TODAY + timedelta(days=40),
        visibility=plan.visibility,
        now=NOW + timedelta(days=10),
    )
    plan_reminders.remind_of_follow_up(NOW + timedelta(days=33))
    assert len(_told("development_follow_up")) == 2


def test_a_follow_up_long_past_is_left_alone(cast: Cast) -> None:
    plan = _plan(cast, follow_up_on=TODAY + timedelta(days=1))
    plan_reminders.remind_of_follow_up(NOW + timedelta(days=16))
    assert _told("development_follow_up") == []
    plan.refresh_from_db()
    assert plan.follow_up_reminded_at is None
