"""Pages of development plans. Each view parses, calls one service or selector and renders;
a plan is read through `visible_to` and changed only by its owner (`get_owned_or_404`), so
anyone else gets the same 404 as for a plan that does not exist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import get_owned_or_404, get_visible_or_404
from core.http import AuthenticatedRequest
from development import plan_selectors as selectors
from development import services
from development.models import Activity, ActivityStatus, DevelopmentPlan, Goal
from development.plan_forms import ActivityForm, GoalForm, PlanForm, ReflectionForm, StatusForm
from development.services import ActivityText, DevelopmentError


def _form_page(request: AuthenticatedRequest, form: Form, **texts: Any) -> HttpResponse:
    return render(request, "development/plan_form.html", {"form": form, **texts})


def _owned_plan(request: AuthenticatedRequest, plan_id: int) -> DevelopmentPlan:
    plan: DevelopmentPlan = get_owned_or_404(DevelopmentPlan.objects, request.user, pk=plan_id)
    return plan


def _owned_goal(request: AuthenticatedRequest, goal_id: int) -> Goal:
    goal: Goal = get_visible_or_404(
        Goal.objects.select_related("plan"), request.user, pk=goal_id, plan__owner=request.user
    )
    return goal


def _owned_activity(request: AuthenticatedRequest, activity_id: int) -> Activity:
    activity: Activity = get_visible_or_404(
        Activity.objects.select_related("plan"),
        request.user,
        pk=activity_id,
        plan__owner=request.user,
    )
    return activity


# --- Plans --------------------------------------------------------------------------------------


@require_GET
def plans(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.for_plans_page(request.user)
    return render(request, "development/plan_list.html", {"page": page})


@require_GET
def plan(request: AuthenticatedRequest, development_plan_id: int) -> HttpResponse:
    found = selectors.plan_or_404(request.user, development_plan_id)
    page = selectors.for_plan_page(request.user, found)
    return render(
        request,
        "development/plan.html",
        {"page": page, "statuses": ActivityStatus.choices},
    )


def _plan_page(request: AuthenticatedRequest, found: DevelopmentPlan | None) -> HttpResponse:
    form = PlanForm(
        request.POST or None,
        owner=request.user,
        leaders=selectors.responsible_choices(request.user).leaders,
        initial=(
            {
                "title": found.title,
                "follow_up_on": found.follow_up_on,
                "visibility": found.visibility,
                "shared_with": list(found.shared_with.values_list("pk", flat=True)),
            }
            if found
            else {"visibility": "private"}
        ),
    )
    if request.method == "POST" and form.is_valid():
        chosen = {
            key: form.cleaned_data[key]
            for key in ("title", "follow_up_on", "visibility", "shared_with")
        }
        try:
            if found is None:
                saved = services.plan_create(
                    owner=request.user, by=request.user, now=timezone.now(), **chosen
                )
            else:
                saved = services.plan_update(
                    plan=found, by=request.user, now=timezone.now(), **chosen
                )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your plan was saved.")
                if found
                else _("Your plan is made. Add a goal and an activity."),
            )
            return redirect(saved)
    if found:
        return _form_page(
            request,
            form,
            heading=_("Change the plan"),
            submit=_("Save"),
            cancel=found.get_absolute_url(),
        )
    return _form_page(
        request,
        form,
        heading=_("New development plan"),
        intro=_(
            "Your development plan is yours: concrete goals, activities to reach them, and a "
            "day to follow up. Only you can see it until you share it."
        ),
        submit=_("Make the plan"),
        cancel=reverse("development:plans"),
    )


@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedRequest) -> HttpResponse:
    return _plan_page(request, None)


@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedRequest, development_plan_id: int) -> HttpResponse:
    return _plan_page(request, _owned_plan(request, development_plan_id))


# --- Goals --------------------------------------------------------------------------------------


def _goal_page(
    request: AuthenticatedRequest, found: DevelopmentPlan, goal: Goal | None
) -> HttpResponse:
    initial = {"text": goal.text, "area_keys": goal.area_keys} if goal else {}
    form = GoalForm(request.POST or None, areas=selectors.areas_current(), initial=initial)
    if request.method == "POST" and form.is_valid():
        text, keys = form.cleaned_data["text"], form.cleaned_data["area_keys"]
        try:
            if goal is None:
                services.goal_add(plan=found, by=request.user, text=text, area_keys=keys)
            else:
                services.goal_update(goal=goal, by=request.user, text=text, area_keys=keys)
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(f"{found.get_absolute_url()}#goals")
    return _form_page(
        request,
        form,
        heading=_("Change the goal") if goal else _("New goal"),
        plan=found,
        submit=_("Save the goal"),
        cancel=f"{found.get_absolute_url()}#goals",
    )


@require_http_methods(["GET", "POST"])
def goal_add(request: AuthenticatedRequest, development_plan_id: int) -> HttpResponse:
    return _goal_page(request, _owned_plan(request, development_plan_id), None)


@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedRequest, development_goal_id: int) -> HttpResponse:
    goal = _owned_goal(request, development_goal_id)
    return _goal_page(request, goal.plan, goal)


# --- Activities ---------------------------------------------------------------------------------


def _activity_page(
    request: AuthenticatedRequest, found: DevelopmentPlan, activity: Activity | None
) -> HttpResponse:
    responsible = selectors.responsible_choices(request.user)
    form = ActivityForm(
        request.POST or None,
        person=request.user,
        goals=list(found.goals.all()),
        responsible=responsible,
        initial=(
            ActivityForm.initial_of(activity, responsible) if activity else {"responsible": "me"}
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = ActivityText(
            kind=data["kind"],
            title=data["title"],
            expected_effect=data["expected_effect"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            responsible=form.responsible_user(),
            cost=data["cost"],
            goal=form.goal_chosen(),
        )
        try:
            if activity is None:
                services.activity_add(plan=found, by=request.user, activity=text)
            else:
                services.activity_update(activity=activity, by=request.user, text=text)
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The activity was saved."))
            return redirect(f"{found.get_absolute_url()}#activities")
    return _form_page(
        request,
        form,
        heading=_("Change the activity") if activity else _("New activity"),
        plan=found,
        submit=_("Save the activity"),
        cancel=f"{found.get_absolute_url()}#activities",
    )


@require_http_methods(["GET", "POST"])
def activity_add(request: AuthenticatedRequest, development_plan_id: int) -> HttpResponse:
    return _activity_page(request, _owned_plan(request, development_plan_id), None)


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    activity = _owned_activity(request, activity_id)
    return _activity_page(request, activity.plan, activity)


@require_POST
def activity_status(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    """Planned, under way, done or dropped. Done, the reflection is asked for at once."""
    activity = _owned_activity(request, activity_id)
    form = StatusForm(request.POST)
    try:
        services.activity_status_set(
            activity=activity,
            by=request.user,
            status=form.cleaned_data["status"] if form.is_valid() else "",
            now=timezone.now(),
        )
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        if activity.status == ActivityStatus.DONE and activity.reflected_at is None:
            messages.success(
                request,
                _("Well done! Take a few minutes now, while you remember: what did you learn?"),
            )
            return redirect("development:activity_reflection", activity_id=activity.pk)
        messages.success(request, _("The status was saved."))
    return redirect(f"{activity.plan.get_absolute_url()}#activity-{activity.pk}")


@require_http_methods(["GET", "POST"])
def activity_reflection(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    activity = _owned_activity(request, activity_id)
    form = ReflectionForm(
        request.POST or None,
        initial={
            "learned": activity.learned,
            "use": activity.use,
            "for_others": activity.for_others,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_reflect(
                activity=activity,
                by=request.user,
                learned=form.cleaned_data["learned"],
                use=form.cleaned_data["use"],
                for_others=form.cleaned_data["for_others"],
                now=timezone.now(),
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your reflection was saved."))
            return redirect(f"{activity.plan.get_absolute_url()}#activity-{activity.pk}")
    return render(
        request,
        "development/plan_reflection.html",
        {"form": form, "activity": activity, "plan": activity.plan},
    )
