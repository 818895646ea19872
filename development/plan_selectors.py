"""Reads of development plans, for the pages and for the conversations app. Everything starts
from what `visible_to` lets the reader see; a view never filters by hand."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from core.access import Visibility, get_visible_or_404, leader_ids_of
from core.compiled import compiled_query
from development.models import Activity, ActivityStatus, Area, DevelopmentPlan, Goal
from development.services import framework_current

# A person has a plan or a few; a leader reads those of their people. Beyond this many, the
# list is cut (a leader of hundreds reads the team picture, not every plan).
PLANS_SHOWN = 200


def plan_or_404(user: User, plan_id: int) -> DevelopmentPlan:
    plan: DevelopmentPlan = get_visible_or_404(
        DevelopmentPlan.objects.select_related("owner"), user, pk=plan_id
    )
    return plan


def plans_agreed_in(conversation_id: int, user: User) -> list[DevelopmentPlan]:
    """The plans agreed in a conversation that `user` may read, with their owners: what the
    conversations app links to from a MUS summary."""
    return list(
        DevelopmentPlan.objects.visible_to(user)
        .filter(agreed_in_id=conversation_id)
        .select_related("owner")
        .order_by("owner__first_name", "owner__last_name", "pk")
    )


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    areas: list[Area]


@dataclass(frozen=True)
class PlanPage:
    plan: DevelopmentPlan
    is_owner: bool
    goals: list[GoalLine]
    activities: list[Activity]
    # Done, without a reflection yet: what the page asks for first.
    to_reflect: list[Activity]
    # The sum of the estimated costs of the activities not dropped.
    cost_total: int
    # The people named, when the plan is shared with named people.
    shared_with: list[User]


def _areas_by_key() -> dict[str, Area]:
    return {area.key: area for area in framework_current().areas.all()}


def for_plan_page(user: User, plan: DevelopmentPlan) -> PlanPage:
    """A plan `user` may read (found through `plan_or_404`): its goals with their focus areas,
    its activities with who is responsible, and what waits for a reflection."""
    areas = _areas_by_key()
    goals = list(plan.goals.all())
    activities = list(
        plan.activities.select_related("responsible", "goal").order_by(
            "starts_on", "created_at", "pk"
        )
    )
    return PlanPage(
        plan=plan,
        is_owner=plan.is_owned_by(user),
        goals=[
            GoalLine(goal=goal, areas=[areas[key] for key in goal.area_keys if key in areas])
            for goal in goals
        ],
        activities=activities,
        to_reflect=[
            activity
            for activity in activities
            if activity.status == ActivityStatus.DONE and activity.reflected_at is None
        ],
        cost_total=sum(
            activity.cost or 0
            for activity in activities
            if activity.status != ActivityStatus.DROPPED
        ),
        shared_with=(
            list(plan.shared_with.order_by("first_name", "last_name"))
            if plan.visibility == Visibility.SHARED
            else []
        ),
    )


@dataclass(frozen=True)
class PlanLine:
    plan: DevelopmentPlan
    goals: int
    activities: int
    done: int


@dataclass(frozen=True)
class PlansPage:
    mine: list[PlanLine]
    # Plans others shared with the reader (as their leader or by name).
    shared: list[PlanLine]


def _lines(plans: QuerySet[DevelopmentPlan], limit: int) -> list[PlanLine]:
    rows = plans.select_related("owner").annotate(
        goal_count=Count("goals", distinct=True),
        activity_count=Count("activities", distinct=True),
        done_count=Count(
            "activities", filter=Q(activities__status=ActivityStatus.DONE), distinct=True
        ),
    )
    return [
        PlanLine(
            plan=plan,
            goals=plan.goal_count,
            activities=plan.activity_count,
            done=plan.done_count,
        )
        for plan in rows[:limit]
    ]


def for_plans_page(user: User) -> PlansPage:
    """The reader's own plans, newest first, and those shared with them."""
    visible = DevelopmentPlan.objects.visible_to(user)
    return PlansPage(
        mine=_lines(visible.filter(owner=user).order_by("-created_at", "-pk"), PLANS_SHOWN),
        shared=_lines(
            visible.exclude(owner=user).order_by(
                "owner__first_name", "owner__last_name", "-created_at", "-pk"
            ),
            PLANS_SHOWN,
        ),
    )


def latest_plan_of(user: User) -> DevelopmentPlan | None:
    """The person's own newest plan, for the links that open it (the feedback overview)."""
    return DevelopmentPlan.objects.owned_by(user).order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class Responsible:
    """Who may be responsible for an activity, as the form offers them: the owner, their
    leaders, or someone else they choose."""

    owner: User
    leaders: list[User]


def responsible_choices(owner: User) -> Responsible:
    return Responsible(
        owner=owner,
        leaders=list(
            User.objects.filter(pk__in=leader_ids_of(owner), is_active=True).order_by(
                "first_name", "last_name"
            )
        ),
    )


def areas_current() -> list[Area]:
    return list(framework_current().areas.all())


@compiled_query
def _current_area_names() -> QuerySet[Area]:
    return Area.objects.filter(framework__is_current=True).only("key", "name_da", "name_en")


def area_names_current() -> dict[str, str]:
    """The current framework's focus areas named by key, in the reader's language, for a page
    that names an entry's areas (one no longer in the framework is not named). Empty before the
    framework is made, which the first form choosing areas does; this read makes nothing."""
    return {area.key: area.name for area in _current_area_names()}
