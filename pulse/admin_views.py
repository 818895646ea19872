"""Administration of the pulse: the question bank and the surveys. Administrators set surveys
up; they see the organisation's results like anyone else, through the anonymity engine."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import administrator_required
from core.http import AuthenticatedRequest
from pulse import selectors
from pulse.forms import QuestionForm, SurveyForm
from pulse.models import Question, Survey
from pulse.services import question_save, survey_save


@administrator_required
@require_GET
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    surveys = Survey.objects.prefetch_related("units").annotate(last_round=Max("rounds__number"))
    return render(request, "pulse/admin/survey_list.html", {"surveys": surveys})


@administrator_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: AuthenticatedRequest, survey_id: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id) if survey_id else Survey()
    form = SurveyForm(request.POST or None, instance=survey, today=timezone.localdate())
    # "Preview" counts who would be asked without saving, for a browser without script.
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        survey_save(
            actor=request.user,
            survey=form.save(commit=False),
            units=list(form.cleaned_data["units"]),
            questions=list(form.cleaned_data["survey_questions"]),
        )
        messages.success(request, _("The survey %(name)s was saved.") % {"name": survey.name})
        return redirect("pulse_admin:surveys")
    return render(
        request,
        "pulse/admin/survey_form.html",
        {
            "form": form,
            "survey": survey,
            "asked": selectors.survey_audience_size(form.chosen_unit_ids()),
        },
    )


@administrator_required
@require_GET
def survey_audience(request: AuthenticatedRequest) -> HttpResponse:
    """How many people the units ticked in the survey form would ask, for htmx to swap in
    as the choice changes."""
    chosen = {int(pk) for pk in request.GET.getlist("units") if pk.isdigit()}
    return render(
        request,
        "pulse/admin/_audience.html",
        {"asked": selectors.survey_audience_size(chosen), "chosen": bool(chosen)},
    )


@administrator_required
@require_GET
def question_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "pulse/admin/question_list.html", {"questions": Question.objects.all()})


@administrator_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedRequest, question_id: int | None = None) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id) if question_id else Question()
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        question_save(actor=request.user, question=form.save(commit=False))
        messages.success(request, _("The question was saved."))
        return redirect("pulse_admin:questions")
    return render(request, "pulse/admin/question_form.html", {"form": form, "question": question})
