from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import AuthenticatedRequest
from core.spreadsheet import csv_response
from core.tree import open_ids
from organisation.selectors import for_teams_page, is_member
from pulse import figures, selectors
from pulse.forms import SCALE_LABELS, AnswerForm
from pulse.services import PulseError, action_create, pulse_answer
from teamwork.access import own_unit_or_404, readable_unit_or_404
from teamwork.forms import GoalForm


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """Rounds waiting for the person's answer, and the results of their units."""
    # The person's units in use, by name: what their team list reads, compiled once.
    units = [membership.unit for membership in for_teams_page(request.user)]
    return render(
        request,
        "pulse/index.html",
        {
            "rounds": selectors.open_rounds_for(request.user, timezone.now()),
            "units": units,
            "reports": selectors.reports_for(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def answer(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = selectors.answerable_round_or_404(request.user, round_id)
    answered = selectors.has_answered(round_, request.user)
    now = timezone.now()
    form = None
    if round_.is_open(now) and not answered:
        form = AnswerForm(
            request.POST or None,
            questions=selectors.round_questions(round_),
            comments=round_.survey.comments,
        )
        if request.method == "POST" and form.is_valid():
            try:
                pulse_answer(
                    round_=round_,
                    user=request.user,
                    answers=form.answers,
                    comment=form.cleaned_data.get("comment", ""),
                    now=now,
                )
            except PulseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Thank you. Your answer was counted, without your name.")
                )
                # The page now says what happens next: when results come, and for whom.
                return redirect(round_)
    return render(
        request,
        "pulse/answer.html",
        {"round": round_, "survey": round_.survey, "form": form, "answered": answered},
    )


@require_GET
def results(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    """A unit's results: for the unit's people, the leaders above it and administrators, like
    its team page; every figure through the anonymity engine."""
    unit = readable_unit_or_404(request.user, unit_id)
    found = selectors.unit_results(request.user, unit.pk, timezone.now())
    return render(
        request,
        "pulse/results.html",
        {
            "unit": unit,
            "results": found,
            "actions_by_question": found.actions_by_question(),
            "can_act": is_member(request.user, unit),
            "scale": SCALE_LABELS,
        },
    )


@require_GET
def results_json(request: AuthenticatedRequest, unit_id: int) -> JsonResponse:
    """The results page's figures, for other programs: the same reads, the same rounding."""
    unit = readable_unit_or_404(request.user, unit_id)
    return JsonResponse(
        figures.results_json(unit, selectors.unit_results(request.user, unit.pk, timezone.now()))
    )


@require_GET
def results_csv(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    """The results page's figures for a spreadsheet."""
    unit = readable_unit_or_404(request.user, unit_id)
    response, writer = csv_response(f"trivsel-{unit.pk}-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerows(
        figures.results_rows(selectors.unit_results(request.user, unit.pk, timezone.now()))
    )
    return response


@require_http_methods(["GET", "POST"])
def action_new(
    request: AuthenticatedRequest, unit_id: int, round_id: int, question_id: int
) -> HttpResponse:
    """A team member makes a team goal of something from a closed round's results."""
    unit = own_unit_or_404(request.user, unit_id)
    round_, result, item = selectors.action_source_or_404(unit.pk, round_id, question_id)
    form = GoalForm(request.POST or None, unit=unit, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        action_create(
            unit=unit,
            round_=round_,
            question=item.question,
            **{name: form.cleaned_data[name] for name in ("title", "owner", "due_date", "status")},
        )
        messages.success(
            request, _("The team action was added. It is shown beside the question's figures.")
        )
        return redirect("pulse:results", unit_id=unit.pk)
    return render(
        request,
        "pulse/action_form.html",
        {"unit": unit, "form": form, "result": result, "item": item},
    )


@require_GET
def report(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """A closed round's heatmap for the units the person leads, or for the whole audience for
    an administrator; anyone else, and any round still open, gets 404. It opens on those units
    and two levels below; `?open=` opens more (core.tree), and htmx swaps only the table."""
    round_, questions, rows = selectors.report_or_404(
        request.user, round_id, open_ids=open_ids(request.GET)
    )
    return render(
        request,
        "pulse/report.html",
        {"round": round_, "survey": round_.survey, "questions": questions, "rows": rows},
    )


@require_GET
def report_csv(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """The heatmap's figures for every unit, for those who may read the report."""
    round_, questions, rows = selectors.report_or_404(request.user, round_id, every_unit=True)
    response, writer = csv_response(f"trivsel-runde-{round_.number}.csv")
    writer.writerows(figures.report_rows(questions, rows))
    return response
