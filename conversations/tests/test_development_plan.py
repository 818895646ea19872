"""The development plan agreed in a MUS: once the MUS is held and everyone approved its
summary, the employee makes their plan from it with one button; the plan names the MUS, is
shared with the leader and starts from the summary; the summary then links to the plan for the
employee and the leader. Nobody else reads either."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Conversation, Kind
from core.access import Visibility
from development.models import DevelopmentPlan
from development.plan_selectors import plans_agreed_in
from development.services import plan_create

NOW = FROZEN_AT
SUMMARY = "Alice tager et kursus i interviewteknik i foråret."
BUTTON = "Lav din udviklingsplan ud fra MUS'en"


@pytest.fixture
def mus(cast: Cast, clock: Any) -> Conversation:
    """lena's MUS with alice, held today; the summary written, not yet approved."""
    conversation = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW - timedelta(hours=1),
        duration_minutes=60,
        now=NOW - timedelta(days=1),
    )
    conversation = services.conversation_hold(conversation=conversation, by=cast.lena, now=NOW)
    services.summary_save(conversation=conversation, by=cast.lena, text=SUMMARY, now=NOW)
    return conversation


def _approve(mus: Conversation, cast: Cast) -> None:
    for person in (cast.lena, cast.alice):
        services.summary_approve(conversation=mus, by=person, revision=1, now=NOW)


def _page(client: Any, mus: Conversation) -> str:
    response = client.get(mus.get_absolute_url())
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_employee_makes_her_plan_from_the_approved_summary(
    cast: Cast, mus: Conversation, client_for: Any
) -> None:
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    make = reverse("conversations:development_plan", args=[mus.pk])
    # Before everyone approved, there is no button, and a plan cannot be made.
    assert BUTTON not in _page(alice, mus)
    alice.post(make)
    assert not DevelopmentPlan.objects.exists()

    _approve(mus, cast)
    assert BUTTON in _page(alice, mus)
    # The leader has no button: the plan is the employee's.
    assert BUTTON not in _page(lena, mus)
    response = lena.post(make, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "En udviklingsplan laves af medarbejderen ud fra en afholdt MUS, hvis referat alle har "
        "godkendt."
    ]
    assert not DevelopmentPlan.objects.exists()

    response = alice.post(make)
    plan = DevelopmentPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.owner, plan.agreed_in, plan.visibility, plan.title, plan.draft) == (
        cast.alice,
        mus,
        Visibility.LEADER,
        "Udviklingsplan fra MUS 1. december 2026",
        SUMMARY,
    )
    page = alice.get(plan.get_absolute_url()).content.decode()
    assert SUMMARY in page
    assert "delt med dine ledere" in page
    assert mus.get_absolute_url() in page

    # Made once: the button is gone, and pressing it again opens the same plan.
    assert alice.post(make)["Location"] == plan.get_absolute_url()
    assert DevelopmentPlan.objects.count() == 1
    for client in (alice, lena):
        summary = _page(client, mus)
        assert BUTTON not in summary
        assert plan.get_absolute_url() in summary
    # The leader reads the plan, shared with leaders; the draft from the summary stays the
    # owner's to work from.
    lenas = lena.get(plan.get_absolute_url())
    assert lenas.status_code == 200
    assert "Alice Andersen aftalte denne plan i en MUS" in lenas.content.decode()


def test_a_third_person_reads_neither_the_mus_nor_the_plan(
    cast: Cast, mus: Conversation, client_for: Any
) -> None:
    _approve(mus, cast)
    client_for(cast.alice).post(reverse("conversations:development_plan", args=[mus.pk]))
    plan = DevelopmentPlan.objects.get()
    for person in (cast.bob, cast.eve, cast.ada):
        client = client_for(person)
        assert client.get(mus.get_absolute_url()).status_code == 404
        assert (
            client.post(reverse("conversations:development_plan", args=[mus.pk])).status_code == 404
        )
        assert client.get(plan.get_absolute_url()).status_code == 404
    assert DevelopmentPlan.objects.count() == 1


def test_plans_agreed_in_a_conversation_are_read_through_the_access_layer(
    cast: Cast, mus: Conversation
) -> None:
    plan = plan_create(
        owner=cast.alice,
        title="Min plan",
        follow_up_on=None,
        agreed_in=mus,
        visibility=Visibility.PRIVATE,
        now=NOW,
    )
    # Agreed in a MUS: shared with the leaders, whatever else was asked.
    assert plan.visibility == Visibility.LEADER
    assert plans_agreed_in(mus.pk, cast.alice) == [plan]
    assert plans_agreed_in(mus.pk, cast.lena) == [plan]
    assert plans_agreed_in(mus.pk, cast.bob) == []
    assert plans_agreed_in(mus.pk, cast.eve) == []
    # Taken back to private, the leader no longer reads it, nor sees a link to it.
    DevelopmentPlan.objects.filter(pk=plan.pk).update(visibility=Visibility.PRIVATE)
    assert plans_agreed_in(mus.pk, cast.lena) == []
