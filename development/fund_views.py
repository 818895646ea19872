"""The page of a course's application draft to Den Kommunale Kompetencefond: read by the plan's
owner and whoever the plan is shared with, changed by its owner, and printed to be signed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import AuthenticatedRequest
from development import fund_selectors
from development.fund_forms import FundApplicationForm
from development.fund_services import FundError, fund_application_save


@require_http_methods(["GET", "POST"])
def fund_application(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    """The draft, with its form for the owner; `?print=1` is the draft alone, to print."""
    course = fund_selectors.course_or_404(request.user, activity_id)
    page = fund_selectors.for_fund_page(request.user, course, today=timezone.localdate())
    form = FundApplicationForm.from_draft(page.draft) if page.can_edit else None
    if request.method == "POST":
        if not page.can_edit:
            raise Http404
        form = FundApplicationForm(request.POST)
        if form.is_valid():
            try:
                fund_application_save(
                    activity=course, by=request.user, draft=form.draft(), now=timezone.now()
                )
            except FundError as error:
                form.report(error)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect(reverse("development:fund_application", args=[course.pk]))
    printing = request.method == "GET" and request.GET.get("print") == "1"
    return render(
        request,
        "development/fund_application.html",
        {"page": page, "form": None if printing else form, "printing": printing},
    )
