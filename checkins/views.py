from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checkins.forms import CheckInForm, ReflectionForm
from checkins.models import CheckIn, Reflection, current_week
from checkins.selectors import home_unit_of, shared_with_me
from checkins.services import CheckInError, checkin_write, reflection_delete, reflection_save
from core.access import SharingError, get_owned_or_404, get_visible_or_404
from core.http import AuthenticatedRequest
from teamwork.models import HelpRequest
from teamwork.selectors import team_of


def too_late_message() -> str:
    days = settings.SPARRING_CHECKIN_EDIT_DAYS
    return ngettext(
        "A check-in can be changed for %(days)d day after it is written; this one stays as it is.",
        "A check-in can be changed for %(days)d days after it is written; this one stays as it is.",
        days,
    ) % {"days": days}


@require_GET
def checkin_list(request: AuthenticatedRequest) -> HttpResponse:
    """A person's own check-ins, newest first."""
    checkins = CheckIn.objects.owned_by(request.user).select_related("help_request")
    page = Paginator(checkins, 10).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    latest = page.object_list[0] if page.number == 1 and page.object_list else None
    unit = home_unit_of(request.user)
    return render(
        request,
        "checkins/list.html",
        {
            "page": page,
            "this_weeks_checkin": latest if latest and latest.week == current_week() else None,
            "unit": unit,
            "team": team_of(unit) if unit else None,
        },
    )


@require_GET
def checkin_shared(request: AuthenticatedRequest) -> HttpResponse:
    """Check-ins other people have shared with me, as their leader or teammate."""
    page = Paginator(shared_with_me(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "checkins/shared.html", {"page": page})


@require_GET
def checkin_detail(request: AuthenticatedRequest, checkin_id: int) -> HttpResponse:
    checkin: CheckIn = get_visible_or_404(
        CheckIn.objects.select_related("owner", "help_request"), request.user, pk=checkin_id
    )
    is_owner = checkin.is_owned_by(request.user)
    help_request = checkin.help_request
    # The request is team content with its own readers; link it only for those.
    show_help_request = help_request is not None and (
        is_owner or HelpRequest.objects.visible_to(request.user).filter(pk=help_request.pk).exists()
    )
    return render(
        request,
        "checkins/detail.html",
        {
            "checkin": checkin,
            "is_owner": is_owner,
            "is_editable": is_owner and checkin.is_editable(),
            "too_late": too_late_message(),
            "show_help_request": show_help_request,
        },
    )


@require_http_methods(["GET", "POST"])
def checkin_edit(request: AuthenticatedRequest, checkin_id: int | None = None) -> HttpResponse:
    """Write this week's check-in, or change one while it may still be changed."""
    if checkin_id is None:
        # One check-in a week: writing again that week changes the one already written (a
        # form sent from a second tab included).
        existing = CheckIn.objects.owned_by(request.user).filter(week=current_week()).first()
        if existing is not None and request.method == "GET":
            return redirect("checkins:edit", checkin_id=existing.pk)
        checkin = existing or CheckIn(owner=request.user, week=current_week())
    else:
        checkin = get_owned_or_404(CheckIn.objects, request.user, pk=checkin_id)
    if checkin.pk and not checkin.is_editable():
        messages.info(request, too_late_message())
        return redirect(checkin)
    form = CheckInForm(request.POST or None, instance=checkin, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = checkin_write(
                owner=request.user,
                week=checkin.week,
                energy=form.cleaned_data["energy"],
                went_well=form.cleaned_data["went_well"],
                is_hard=form.cleaned_data["is_hard"],
                priorities=form.cleaned_data["priorities"],
                help_needed=form.cleaned_data["help_needed"],
                visibility=form.cleaned_data["visibility"],
            )
        except CheckInError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your check-in was saved."))
            return redirect(checkin)
    return render(request, "checkins/form.html", {"form": form, "checkin": checkin})


# --- Reflections ----------------------------------------------------------------------------


@require_GET
def reflection_list(request: AuthenticatedRequest) -> HttpResponse:
    reflections = Reflection.objects.owned_by(request.user).select_related("value")
    page = Paginator(reflections, 20).get_page(request.GET.get("page"))
    shared = (
        Reflection.objects.visible_to(request.user)
        .exclude(owner=request.user)
        .select_related("owner", "value")[:20]
    )
    return render(request, "checkins/reflection_list.html", {"page": page, "shared": shared})


@require_GET
def reflection_detail(request: AuthenticatedRequest, reflection_id: int) -> HttpResponse:
    reflection: Reflection = get_visible_or_404(
        Reflection.objects.select_related("owner", "value"), request.user, pk=reflection_id
    )
    return render(
        request,
        "checkins/reflection_detail.html",
        {"reflection": reflection, "is_owner": reflection.is_owned_by(request.user)},
    )


@require_http_methods(["GET", "POST"])
def reflection_edit(
    request: AuthenticatedRequest, reflection_id: int | None = None
) -> HttpResponse:
    reflection = (
        get_owned_or_404(Reflection.objects, request.user, pk=reflection_id)
        if reflection_id
        else Reflection(owner=request.user)
    )
    form = ReflectionForm(request.POST or None, instance=reflection, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            reflection_save(
                reflection=reflection,
                text=form.cleaned_data["text"],
                value=form.cleaned_data["value"],
                theme=form.cleaned_data["theme"],
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except SharingError as error:
            form.add_error("shared_with", str(error))
        else:
            messages.success(request, _("Your reflection was saved."))
            return redirect(reflection)
    return render(
        request, "checkins/reflection_form.html", {"form": form, "reflection": reflection}
    )


@require_POST
def reflection_remove(request: AuthenticatedRequest, reflection_id: int) -> HttpResponse:
    reflection: Reflection = get_owned_or_404(Reflection.objects, request.user, pk=reflection_id)
    reflection_delete(reflection=reflection)
    messages.success(request, _("Your reflection was deleted."))
    return redirect("reflections:list")
