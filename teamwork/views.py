from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedRequest
from organisation.models import Unit
from organisation.selectors import is_member
from teamwork import services
from teamwork.access import (
    agreement_or_404,
    goal_or_404,
    help_request_or_404,
    own_unit_or_404,
    readable_unit_or_404,
)
from teamwork.forms import (
    AgreementForm,
    GoalForm,
    GoalNoteForm,
    HelpOfferForm,
    HelpRequestForm,
    RevisitForm,
    TeamForm,
)
from teamwork.models import (
    STARTING_AGREEMENTS,
    AgreementChange,
    Goal,
    HelpOffer,
    HelpRequest,
    Team,
    WorkingAgreement,
)
from teamwork.services import TeamworkError

# --- Purpose and check-in day ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def purpose_edit(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    form = TeamForm(request.POST or None, instance=Team.objects.for_unit_or_default(unit))
    if request.method == "POST" and form.is_valid():
        services.team_update(
            unit=unit,
            purpose=form.cleaned_data["purpose"],
            checkin_weekday=form.cleaned_data["checkin_weekday"],
        )
        messages.success(request, _("The team's purpose and check-in day were saved."))
        return redirect(unit)
    return render(request, "teamwork/purpose_form.html", {"unit": unit, "form": form})


# --- Working agreements ---------------------------------------------------------------------


def _agreements_page(
    request: AuthenticatedRequest, unit: Unit, revisit_form: RevisitForm | None = None
) -> HttpResponse:
    team = Team.objects.for_unit_or_default(unit)
    can_edit = is_member(request.user, unit)
    agreements = list(WorkingAgreement.objects.filter(team__unit=unit))
    changes = list(AgreementChange.objects.filter(team__unit=unit).select_related("changed_by")[:5])
    return render(
        request,
        "teamwork/agreement_list.html",
        {
            "unit": unit,
            "team": team,
            "agreements": agreements,
            "changes": changes,
            "can_edit": can_edit,
            "starting_agreements": STARTING_AGREEMENTS if can_edit and not agreements else [],
            "revisit_form": (revisit_form or RevisitForm(instance=team)) if can_edit else None,
        },
    )


@require_GET
def agreement_list(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    return _agreements_page(request, readable_unit_or_404(request.user, unit_id))


@require_http_methods(["GET", "POST"])
def agreement_new(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.agreement_add(unit=unit, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("The agreement was added."))
        return redirect("teamwork:agreements", unit_id=unit.pk)
    return render(request, "teamwork/agreement_form.html", {"unit": unit, "form": form})


@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedRequest, unit_id: int, agreement_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    agreement = agreement_or_404(unit, agreement_id)
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        # The form has written the new text onto the instance; the service compares it with
        # the stored one, so it gets a fresh copy.
        agreement = agreement_or_404(unit, agreement_id)
        services.agreement_edit(
            agreement=agreement, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("The agreement was changed."))
        return redirect("teamwork:agreements", unit_id=unit.pk)
    return render(
        request,
        "teamwork/agreement_form.html",
        {"unit": unit, "form": form, "agreement": agreement},
    )


@require_POST
def agreement_remove(
    request: AuthenticatedRequest, unit_id: int, agreement_id: int
) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    services.agreement_remove(agreement=agreement_or_404(unit, agreement_id), by=request.user)
    messages.success(request, _("The agreement was removed. The history keeps its text."))
    return redirect("teamwork:agreements", unit_id=unit.pk)


@require_POST
def agreement_templates(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    try:
        services.agreements_start_from_templates(unit=unit, by=request.user)
    except TeamworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The five agreements were added. Make them your own."))
    return redirect("teamwork:agreements", unit_id=unit.pk)


@require_POST
def agreement_revisit(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    form = RevisitForm(request.POST, instance=Team.objects.for_unit_or_default(unit))
    if not form.is_valid():
        return _agreements_page(request, unit, revisit_form=form)
    services.agreements_revisit_set(unit=unit, on=form.cleaned_data["agreements_revisit_on"])
    messages.success(request, _("The date to revisit the agreements was saved."))
    return redirect("teamwork:agreements", unit_id=unit.pk)


@require_GET
def agreement_history(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = readable_unit_or_404(request.user, unit_id)
    changes = AgreementChange.objects.filter(team__unit=unit).select_related("changed_by")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(request, "teamwork/agreement_history.html", {"unit": unit, "page": page})


# --- Goals ----------------------------------------------------------------------------------


@require_GET
def goal_list(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = readable_unit_or_404(request.user, unit_id)
    goals = (
        Goal.objects.visible_to(request.user)
        .filter(team__unit=unit)
        .select_related("owner", "team")
    )
    return render(
        request,
        "teamwork/goal_list.html",
        {
            "unit": unit,
            "team": Team.objects.for_unit_or_default(unit),
            "goals": list(goals),
            "can_edit": is_member(request.user, unit),
        },
    )


@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    form = GoalForm(request.POST or None, unit=unit, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(unit=unit, **_goal_fields(form))
        messages.success(request, _("The goal was added."))
        return redirect(goal)
    return render(request, "teamwork/goal_form.html", {"unit": unit, "form": form})


def _goal_fields(form: GoalForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ("title", "owner", "due_date", "status")}


def _goal_page(
    request: AuthenticatedRequest, unit: Unit, goal: Goal, note_form: GoalNoteForm | None = None
) -> HttpResponse:
    can_edit = is_member(request.user, unit)
    return render(
        request,
        "teamwork/goal_detail.html",
        {
            "unit": unit,
            "goal": goal,
            "notes": goal.notes.select_related("author"),
            "can_edit": can_edit,
            "note_form": (note_form or GoalNoteForm()) if can_edit else None,
        },
    )


@require_GET
def goal_detail(request: AuthenticatedRequest, unit_id: int, goal_id: int) -> HttpResponse:
    unit = readable_unit_or_404(request.user, unit_id)
    return _goal_page(request, unit, goal_or_404(request.user, unit, goal_id))


@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedRequest, unit_id: int, goal_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    goal = goal_or_404(request.user, unit, goal_id)
    form = GoalForm(request.POST or None, instance=goal, unit=unit)
    if request.method == "POST" and form.is_valid():
        goal = services.goal_update(
            goal=goal_or_404(request.user, unit, goal_id), **_goal_fields(form)
        )
        messages.success(request, _("The goal was saved."))
        return redirect(goal)
    return render(request, "teamwork/goal_form.html", {"unit": unit, "form": form, "goal": goal})


@require_POST
def goal_note_add(request: AuthenticatedRequest, unit_id: int, goal_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    goal = goal_or_404(request.user, unit, goal_id)
    form = GoalNoteForm(request.POST)
    if not form.is_valid():
        return _goal_page(request, unit, goal, note_form=form)
    services.goal_note_add(goal=goal, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Your progress note was added."))
    return redirect(goal)


# --- Help requests --------------------------------------------------------------------------


@require_GET
def help_list(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = readable_unit_or_404(request.user, unit_id)
    requests = HelpRequest.objects.visible_to(request.user).filter(unit=unit)
    return render(
        request,
        "teamwork/help_list.html",
        {
            "unit": unit,
            "open_requests": list(requests.open().select_related("asker")[:50]),
            "resolved_requests": list(
                requests.filter(status=HelpRequest.Status.RESOLVED).select_related("asker")[:20]
            ),
            "can_ask": is_member(request.user, unit),
        },
    )


@require_http_methods(["GET", "POST"])
def help_new(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = own_unit_or_404(request.user, unit_id)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        help_request = services.help_request_create(
            asker=request.user,
            unit=unit,
            text=form.cleaned_data["text"],
            scope=form.cleaned_data["scope"],
        )
        messages.success(request, _("Your request was posted. Your colleagues have been told."))
        return redirect(help_request)
    return render(request, "teamwork/help_form.html", {"unit": unit, "form": form})


def _help_page(
    request: AuthenticatedRequest,
    help_request: HelpRequest,
    offer_form: HelpOfferForm | None = None,
) -> HttpResponse:
    user = request.user
    offers = list(help_request.offers.select_related("helper"))
    is_asker = help_request.asker_id == user.pk
    may_offer = (
        not is_asker and help_request.is_open and all(o.helper_id != user.pk for o in offers)
    )
    # A request written in a check-in links back to it for the asker alone: the check-in is
    # personal content, and may well be private.
    source_checkin = None
    if is_asker:
        with suppress(ObjectDoesNotExist):
            source_checkin = help_request.source_checkin
    return render(
        request,
        "teamwork/help_detail.html",
        {
            "unit": help_request.unit,
            "unit_hidden": not Unit.objects.visible_to(user)
            .filter(pk=help_request.unit_id)
            .exists(),
            "help_request": help_request,
            "offers": offers,
            "is_asker": is_asker,
            "source_checkin": source_checkin,
            "offer_form": (offer_form or HelpOfferForm()) if may_offer else None,
        },
    )


@require_GET
def help_detail(request: AuthenticatedRequest, help_request_id: int) -> HttpResponse:
    return _help_page(request, help_request_or_404(request.user, help_request_id))


@require_POST
def help_offer(request: AuthenticatedRequest, help_request_id: int) -> HttpResponse:
    help_request = help_request_or_404(request.user, help_request_id)
    form = HelpOfferForm(request.POST)
    if not form.is_valid():
        return _help_page(request, help_request, offer_form=form)
    try:
        services.help_offer_create(
            help_request=help_request, helper=request.user, message=form.cleaned_data["message"]
        )
    except TeamworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Your offer was sent."))
    return redirect(help_request)


def _asked_by_me_or_404(request: AuthenticatedRequest, help_request_id: int) -> HelpRequest:
    help_request = help_request_or_404(request.user, help_request_id)
    if help_request.asker_id != request.user.pk:
        raise Http404
    return help_request


@require_POST
def help_accept(request: AuthenticatedRequest, help_request_id: int) -> HttpResponse:
    help_request = _asked_by_me_or_404(request, help_request_id)
    try:
        offer = help_request.offers.select_related("helper").get(
            pk=int(request.POST.get("offer", ""))
        )
    except (ValueError, HelpOffer.DoesNotExist):
        raise Http404 from None
    services.help_offer_accept(offer=offer, by=request.user)
    messages.success(
        request, _("You accepted the offer from %(name)s.") % {"name": offer.helper.display_name}
    )
    return redirect(help_request)


@require_POST
def help_resolve(request: AuthenticatedRequest, help_request_id: int) -> HttpResponse:
    help_request = _asked_by_me_or_404(request, help_request_id)
    services.help_request_resolve(help_request=help_request, by=request.user)
    messages.success(request, _("The request is marked resolved."))
    return redirect(help_request)
