"""A development plan is its owner's: goals linked to focus areas of the framework, activities
of a Danish kind with when, who is responsible, a cost and a status, and a reflection once an
activity is done. Only the owner changes it; who reads it follows its sharing; bad input gets
a clear message in Danish and English and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from development import services
from development.models import Activity, ActivityKind, ActivityStatus, DevelopmentPlan, Goal
from development.services import ActivityText, DevelopmentError

# The clock stands still at the cast's frozen moment: the pages read it, the services get it.
pytestmark = pytest.mark.usefixtures("clock")

NOW = FROZEN_AT
TODAY = NOW.date()
# The plan's page: the session with its person and the unread count of the menu's
# notifications, the plan, the framework and its areas, the goals, and the activities with
# their goals and who is responsible. The list: one's own plans and those shared, each with its
# counts.
QUERIES_PLAN_PAGE = 6
QUERIES_PLANS_PAGE = 3


def _plan(cast: Cast, **extra: Any) -> DevelopmentPlan:
    return services.plan_create(
        owner=cast.alice,
        title="Min udvikling 2027",
        follow_up_on=TODAY + timedelta(days=90),
        now=NOW,
        **extra,
    )


def _course(**extra: Any) -> ActivityText:
    values: dict[str, Any] = {
        "kind": ActivityKind.COURSE,
        "title": "Kursus i interviewteknik",
        "expected_effect": "Bedre brugerundersøgelser",
        "starts_on": date(2027, 3, 1),
        "ends_on": date(2027, 3, 2),
        "cost": 12000,
        **extra,
    }
    return ActivityText(**values)


def test_a_person_makes_a_plan_with_a_goal_and_an_activity(cast: Cast) -> None:
    plan = _plan(cast)
    goal = services.goal_add(
        plan=plan,
        by=cast.alice,
        text="Jeg kan lede en brugerundersøgelse",
        area_keys=["kommunikation-og-samarbejde", "projekt-og-proces"],
    )
    activity = services.activity_add(
        plan=plan,
        by=cast.alice,
        activity=_course(goal=goal, responsible=cast.lena),
    )

    assert plan.visibility == Visibility.PRIVATE
    assert goal.area_keys == [
        "projekt-og-proces",
        "kommunikation-og-samarbejde",
    ]  # the framework's order
    assert (activity.kind, activity.cost, activity.responsible, activity.goal) == (
        "kursus",
        12000,
        cast.lena,
        goal,
    )
    assert activity.status == ActivityStatus.PLANNED

    services.activity_status_set(activity=activity, by=cast.alice, status="done", now=NOW)
    assert (activity.status, activity.done_on) == ("done", TODAY)
    services.activity_reflect(
        activity=activity,
        by=cast.alice,
        learned="At stille åbne spørgsmål",
        use="I næste brugerundersøgelse",
        for_others="Slides på Nextcloud",
        now=NOW,
    )
    activity.refresh_from_db()
    assert activity.reflected_at == NOW
    assert activity.learned == "At stille åbne spørgsmål"


def test_done_is_dated_by_the_day_in_copenhagen(cast: Cast) -> None:
    """Half past midnight in Copenhagen is still yesterday in UTC."""
    plan = _plan(cast)
    activity = services.activity_add(plan=plan, by=cast.alice, activity=_course())
    late = NOW.replace(hour=0, minute=30) + timedelta(days=1)
    services.activity_status_set(activity=activity, by=cast.alice, status="done", now=late)
    assert activity.done_on == TODAY + timedelta(days=1)


BAD: dict[str, tuple[Callable[[Cast, DevelopmentPlan], object], str, str]] = {
    "ends before it starts": (
        lambda cast, plan: services.activity_add(
            plan=plan,
            by=cast.alice,
            activity=_course(starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 1)),
        ),
        "En aktivitet kan ikke slutte, før den begynder.",
        "An activity cannot end before it starts.",
    ),
    "unknown kind": (
        lambda cast, plan: services.activity_add(
            plan=plan, by=cast.alice, activity=_course(kind="kaffe")
        ),
        "Vælg en slags aktivitet fra listen.",
        "Choose a kind of activity from the list.",
    ),
    "negative cost": (
        lambda cast, plan: services.activity_add(
            plan=plan, by=cast.alice, activity=_course(cost=-1)
        ),
        "Den anslåede pris kan ikke være negativ.",
        "The estimated cost cannot be negative.",
    ),
    "unknown area": (
        lambda cast, plan: services.goal_add(
            plan=plan, by=cast.alice, text="Mål", area_keys=["projekt-og-proces", "astrology"]
        ),
        "Et fokusområde, du valgte, er ikke i kompetencerammen. Vælg igen.",
        "A focus area you chose is not in the competence framework. Choose again.",
    ),
    "a plan for someone else": (
        lambda cast, plan: services.plan_create(
            owner=cast.alice, by=cast.bob, title="Alices plan", follow_up_on=None, now=NOW
        ),
        "Du kan kun lave en udviklingsplan for dig selv.",
        "You can only make a development plan for yourself.",
    ),
    "a goal in someone else's plan": (
        lambda cast, plan: services.goal_add(plan=plan, by=cast.lena, text="Mål", area_keys=[]),
        "Kun ejeren af en udviklingsplan kan ændre den.",
        "Only the owner of a development plan can change it.",
    ),
    "a follow-up in the past": (
        lambda cast, plan: services.plan_update(
            plan=plan,
            by=cast.alice,
            title="Ny titel",
            follow_up_on=TODAY - timedelta(days=1),
            visibility=Visibility.PRIVATE,
            now=NOW,
        ),
        "Opfølgningsdatoen kan ikke ligge i fortiden.",
        "The follow-up date cannot be in the past.",
    ),
    "a reflection before it is done": (
        lambda cast, plan: services.activity_reflect(
            activity=plan.activities.get(),
            by=cast.alice,
            learned="Noget",
            use="",
            for_others="",
            now=NOW,
        ),
        "Markér aktiviteten som færdig, før du reflekterer over den.",
        "Mark the activity as done before you reflect on it.",
    ),
}


def _state() -> list[Any]:
    return [
        list(DevelopmentPlan.objects.values_list("pk", "title", "follow_up_on", "visibility")),
        list(Goal.objects.values_list("pk", "text", "area_keys")),
        list(Activity.objects.values_list("pk", "kind", "title", "cost", "status", "learned")),
    ]


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_gets_a_clear_message_and_changes_nothing(cast: Cast, case: str) -> None:
    plan = _plan(cast)
    services.activity_add(plan=plan, by=cast.alice, activity=_course())
    act, danish, english = BAD[case]
    before = _state()
    for language, message in (("da", danish), ("en", english)):
        with translation.override(language), pytest.raises(DevelopmentError) as raised:
            act(cast, plan)
        assert str(raised.value) == message
    assert _state() == before


def test_a_bad_activity_on_the_page_says_why_in_danish(cast: Cast, client_for: Any) -> None:
    plan = _plan(cast)
    response = client_for(cast.alice).post(
        reverse("development:activity_add", args=[plan.pk]),
        {
            "kind": "kursus",
            "title": "Kursus",
            "starts_on": "2027-03-02",
            "ends_on": "2027-03-01",
            "responsible": "me",
            "cost": "-100",
        },
    )
    assert response.status_code == 200
    assert "En aktivitet kan ikke slutte, før den begynder." in response.content.decode()
    assert not Activity.objects.exists()


def test_the_owner_makes_the_plan_on_its_pages(cast: Cast, client_for: Any) -> None:
    alice = client_for(cast.alice)
    response = alice.post(
        reverse("development:plan_new"),
        {"title": "Min plan", "follow_up_on": "2027-03-01", "visibility": "leader"},
    )
    plan = DevelopmentPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.owner, plan.visibility, plan.follow_up_on) == (
        cast.alice,
        Visibility.LEADER,
        date(2027, 3, 1),
    )
    alice.post(
        reverse("development:goal_add", args=[plan.pk]),
        {"text": "Lede en brugerundersøgelse", "area_keys": ["kommunikation-og-samarbejde"]},
    )
    goal = Goal.objects.get()
    alice.post(
        reverse("development:activity_add", args=[plan.pk]),
        {
            "kind": "kursus",
            "title": "Kursus i interviewteknik",
            "goal": str(goal.pk),
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-02",
            "responsible": str(cast.lena.pk),
            "cost": "12.500",
        },
    )
    activity = Activity.objects.get()
    assert (activity.goal, activity.responsible, activity.cost) == (goal, cast.lena, 12500)

    response = alice.post(
        reverse("development:activity_status", args=[activity.pk]), {"status": "done"}
    )
    # Done: the reflection is asked for at once.
    assert response["Location"] == reverse("development:activity_reflection", args=[activity.pk])
    page = alice.get(response["Location"]).content.decode()
    assert "Hvad lærte jeg" in page
    alice.post(
        reverse("development:activity_reflection", args=[activity.pk]),
        {"learned": "Åbne spørgsmål", "use": "", "for_others": ""},
    )
    activity.refresh_from_db()
    assert activity.learned == "Åbne spørgsmål"
    assert activity.reflected_at is not None

    page = alice.get(plan.get_absolute_url()).content.decode()
    assert "Kursus i interviewteknik" in page
    assert "Kommunikation og samarbejde" in page
    assert "12.500 kr." in page


def _urls(plan: DevelopmentPlan, goal: Goal, activity: Activity) -> list[str]:
    return [
        reverse("development:plan", args=[plan.pk]),
        reverse("development:plan_edit", args=[plan.pk]),
        reverse("development:goal_add", args=[plan.pk]),
        reverse("development:goal_edit", args=[goal.pk]),
        reverse("development:activity_add", args=[plan.pk]),
        reverse("development:activity_edit", args=[activity.pk]),
        reverse("development:activity_status", args=[activity.pk]),
        reverse("development:activity_reflection", args=[activity.pk]),
    ]


def _world(cast: Cast, visibility: str = Visibility.PRIVATE) -> tuple[Any, Goal, Activity]:
    plan = _plan(cast, visibility=visibility)
    goal = services.goal_add(plan=plan, by=cast.alice, text="Mål", area_keys=[])
    activity = services.activity_add(plan=plan, by=cast.alice, activity=_course())
    return plan, goal, activity


def test_a_stranger_gets_404_on_every_plan_url_and_changes_nothing(
    cast: Cast, client_for: Any
) -> None:
    plan, goal, activity = _world(cast, Visibility.LEADER)
    before = _state()
    eve = client_for(cast.eve)
    for url in _urls(plan, goal, activity):
        # 405 (a method the view never takes) says nothing about the plan; one method is 404.
        statuses = {
            eve.get(url).status_code,
            eve.post(url, {"title": "Eves", "text": "x", "status": "dropped"}).status_code,
        }
        assert 404 in statuses and statuses <= {404, 405}, url
    assert _state() == before


def test_a_leader_reads_a_plan_only_when_it_is_shared_and_never_changes_it(
    cast: Cast, client_for: Any
) -> None:
    plan, goal, activity = _world(cast)
    lena, bob = client_for(cast.lena), client_for(cast.bob)
    url = plan.get_absolute_url()
    assert lena.get(url).status_code == 404
    assert plan not in [line.plan for line in _plans_page(lena)["shared"]]

    services.plan_update(
        plan=plan,
        by=cast.alice,
        title=plan.title,
        follow_up_on=plan.follow_up_on,
        visibility=Visibility.LEADER,
        now=NOW,
    )
    page = lena.get(url)
    assert page.status_code == 200
    assert "Kursus i interviewteknik" in page.content.decode()
    assert reverse("development:activity_status", args=[activity.pk]) not in page.content.decode()
    assert [line.plan for line in _plans_page(lena)["shared"]] == [plan]
    assert bob.get(url).status_code == 404
    # Reading is not changing: every change is the owner's, and nothing changes.
    before = _state()
    for change in _urls(plan, goal, activity)[1:]:
        assert (
            lena.post(change, {"title": "Lenas", "text": "x", "status": "done"}).status_code == 404
        )
    assert _state() == before

    services.plan_update(
        plan=plan,
        by=cast.alice,
        title=plan.title,
        follow_up_on=plan.follow_up_on,
        visibility=Visibility.SHARED,
        shared_with=[cast.bob],
        now=NOW,
    )
    assert bob.get(url).status_code == 200
    assert lena.get(url).status_code == 404


def _plans_page(client: Any) -> dict[str, Any]:
    page = client.get(reverse("development:plans")).context["page"]
    return {"mine": page.mine, "shared": page.shared}


def test_the_pages_read_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    plan, _goal, _activity = _world(cast, Visibility.LEADER)
    for number in range(5):
        goal = services.goal_add(plan=plan, by=cast.alice, text=f"Mål {number}", area_keys=[])
        services.activity_add(
            plan=plan, by=cast.alice, activity=_course(goal=goal, responsible=cast.lena)
        )
    alice = client_for(cast.alice)
    alice.get(plan.get_absolute_url())  # the framework is made at the first read
    with django_assert_num_queries(QUERIES_PLAN_PAGE):
        assert alice.get(plan.get_absolute_url()).status_code == 200
    with django_assert_num_queries(QUERIES_PLANS_PAGE):
        assert alice.get(reverse("development:plans")).status_code == 200
