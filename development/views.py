"""Pages of a person's own development: their self-assessments over time, the form to assess
themselves, one assessment, and whom it is shared with. Each view parses, calls one service or
selector and renders; what a person may read comes through the access layer in `selectors`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import Visibility, get_owned_or_404
from core.http import AuthenticatedRequest
from development import selectors, services
from development.forms import AssessmentForm, SharingForm
from development.models import Framework, SelfAssessment
from development.services import AssessmentError


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.for_development_page(request.user)
    return render(request, "development/index.html", {"page": page})


@require_http_methods(["GET", "POST"])
def assess(request: AuthenticatedRequest) -> HttpResponse:
    """The form starts from the person's newest self-assessment; saving makes a new one, so
    the history keeps every one."""
    start = selectors.for_assessment_form(request.user)
    framework, areas = start.framework, start.areas
    if request.method != "POST":
        initial = AssessmentForm.initial_from(start.previous_ratings, areas)
        form = AssessmentForm(
            initial={**initial, "visibility": Visibility.PRIVATE}, owner=request.user, areas=areas
        )
        return _assess_page(request, form, framework, start.previous)
    framework = _posted_framework(request) or framework
    if framework.pk != start.framework.pk:
        areas = list(framework.areas.all())
    form = AssessmentForm(request.POST, owner=request.user, areas=areas)
    if form.is_valid():
        try:
            assessment = services.assessment_save(
                owner=request.user,
                framework=framework,
                ratings=form.ratings(),
                note=form.cleaned_data["note"] or "",
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"] or [],
                now=timezone.now(),
            )
        except AssessmentError as error:
            if framework.pk != start.framework.pk:
                # The framework changed meanwhile: the new one's form, with what was posted
                # wherever an area is still there.
                messages.error(request, str(error))
                posted = AssessmentForm.initial_from(form.by_key(), start.areas)
                form = AssessmentForm(
                    initial={
                        **posted,
                        "note": form.cleaned_data["note"],
                        "visibility": form.cleaned_data["visibility"],
                    },
                    owner=request.user,
                    areas=start.areas,
                )
                return _assess_page(request, form, start.framework, start.previous, status=400)
            form.add_error(_field_of(error), str(error))
        else:
            messages.success(request, _("Your self-assessment was saved."))
            return redirect("development:assessment", assessment_id=assessment.pk)
    return _assess_page(request, form, framework, start.previous, status=400)


def _assess_page(
    request: AuthenticatedRequest,
    form: AssessmentForm,
    framework: Framework,
    previous: SelfAssessment | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "development/assess.html",
        {"form": form, "framework": framework, "previous": previous},
        status=status,
    )


def _posted_framework(request: AuthenticatedRequest) -> Framework | None:
    """The version of the framework the form was filled in on."""
    version = request.POST.get("framework", "")
    if not version.isdigit() or len(version) > 9:
        return None
    return Framework.objects.filter(version=int(version)).first()


def _field_of(error: AssessmentError) -> str | None:
    if error.area_id is not None:
        return f"level_{error.area_id}"
    return "shared_with" if error.sharing else None


@require_GET
def assessment(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    page = selectors.for_assessment_page(request.user, assessment_id)
    return render(request, "development/assessment.html", {"page": page})


@require_http_methods(["GET", "POST"])
def assessment_sharing(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    """The owner changes who reads a self-assessment; to anyone else this page does not exist."""
    found: SelfAssessment = get_owned_or_404(SelfAssessment.objects, request.user, pk=assessment_id)
    initial: dict[str, Any] = {
        "visibility": found.visibility,
        "shared_with": list(found.shared_with.values_list("pk", flat=True)),
    }
    form = SharingForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_share(
                assessment=found,
                by=request.user,
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"] or [],
            )
        except AssessmentError as error:
            form.add_error("shared_with" if error.sharing else None, str(error))
        else:
            messages.success(request, _("Your choice of who can see it was saved."))
            return redirect("development:assessment", assessment_id=found.pk)
    return render(
        request,
        "development/sharing.html",
        {"form": form, "assessment": found},
        status=400 if request.method == "POST" else 200,
    )
