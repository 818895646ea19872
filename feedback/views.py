from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import SharingError
from core.http import AuthenticatedRequest
from core.spreadsheet import csv_response
from feedback import selectors, services
from feedback.calendar import sparring_event
from feedback.forms import (
    DeclineForm,
    FeedbackForm,
    FeedbackRequestForm,
    ScheduleForm,
    ShareForm,
    SparringDeclineForm,
    SparringRequestForm,
    UnaskedFeedbackForm,
)
from feedback.models import Feedback, FeedbackRequest, SparringRequest
from feedback.services import FeedbackError
from notifications import calendar


def _form_page(request: AuthenticatedRequest, form: Any, **texts: str) -> HttpResponse:
    return render(request, "feedback/form_page.html", {"form": form, **texts})


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "feedback/index.html", selectors.for_feedback_page(request.user, timezone.now())
    )


def _paged(
    request: AuthenticatedRequest, queryset: Any, perspective: str, **texts: str
) -> HttpResponse:
    page = Paginator(selectors.feedback_list(queryset), 20).get_page(request.GET.get("page"))
    return render(
        request, "feedback/list.html", {"page": page, "perspective": perspective, **texts}
    )


@require_GET
def received(request: AuthenticatedRequest) -> HttpResponse:
    return _paged(
        request,
        Feedback.objects.received_by(request.user),
        "received",
        title=_("Feedback you received"),
        intro=_("Only you and the giver see it, unless you share it onward."),
        empty=_("No feedback yet."),
    )


@require_GET
def given(request: AuthenticatedRequest) -> HttpResponse:
    return _paged(
        request,
        Feedback.objects.given_by(request.user),
        "given",
        title=_("Feedback you gave"),
        intro=_("It belongs to the person who received it; you can always read it again."),
        empty=_("You have not given feedback yet."),
    )


@require_GET
def shared(request: AuthenticatedRequest) -> HttpResponse:
    """Feedback other people received and chose to share with me, as leader or named."""
    return _paged(
        request,
        Feedback.objects.shared_with_me(request.user),
        "shared",
        title=_("Feedback shared with you"),
        intro=_("Colleagues chose to share this feedback with you."),
        empty=_("Nobody has shared feedback with you."),
    )


# --- Asking ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    form = FeedbackRequestForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_request = services.feedback_request_create(
                asker=request.user,
                people=form.cleaned_data["people"],
                about=form.cleaned_data["about"],
                questions=form.cleaned_data["questions"],
                theme=form.cleaned_data["theme"],
                wished_by=form.cleaned_data["wished_by"],
            )
        except FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request was sent."))
            return redirect(feedback_request)
    return _form_page(
        request,
        form,
        heading=_("Ask for feedback"),
        intro=_("Ask about something specific; people can answer or decline with a word."),
        submit=_("Send the request"),
        back=reverse("feedback:index"),
    )


def _request_page(
    request: AuthenticatedRequest,
    feedback_request: FeedbackRequest,
    answer_form: FeedbackForm | None = None,
    decline_form: DeclineForm | None = None,
) -> HttpResponse:
    user = request.user
    is_asker = feedback_request.asker_id == user.pk
    context: dict[str, Any] = {"feedback_request": feedback_request, "is_asker": is_asker}
    if is_asker:
        context["asks"] = list(
            feedback_request.asks.select_related("person", "answer").order_by(
                "person__first_name", "person__last_name"
            )
        )
    else:
        ask = selectors.my_ask_or_404(user, feedback_request)
        context["ask"] = ask
        if ask.is_pending:
            context["answer_form"] = answer_form or FeedbackForm()
            context["decline_form"] = decline_form or DeclineForm()
        else:
            context["my_answer"] = Feedback.objects.given_by(user).filter(ask=ask).first()
    return render(request, "feedback/request_detail.html", context)


@require_GET
def request_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    return _request_page(request, selectors.request_or_404(request.user, request_id))


@require_POST
def request_answer(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    feedback_request = selectors.request_or_404(request.user, request_id)
    ask = selectors.my_ask_or_404(request.user, feedback_request)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback = services.feedback_give(
                giver=request.user,
                receiver=feedback_request.asker,
                works_well=form.cleaned_data["works_well"],
                even_better=form.cleaned_data["even_better"],
                values=form.cleaned_data["values"],
                ask=ask,
            )
        except FeedbackError as error:
            messages.error(request, str(error))
            return redirect(feedback_request)
        messages.success(request, _("Thank you. Your feedback was sent."))
        return redirect(feedback)
    return _request_page(request, feedback_request, answer_form=form)


@require_POST
def request_decline(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    feedback_request = selectors.request_or_404(request.user, request_id)
    ask = selectors.my_ask_or_404(request.user, feedback_request)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _request_page(request, feedback_request, decline_form=form)
    try:
        services.feedback_ask_decline(ask=ask, by=request.user, note=form.cleaned_data["note"])
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You declined. The asker has been told."))
    return redirect("feedback:index")


# --- Giving ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def give(request: AuthenticatedRequest) -> HttpResponse:
    initial = {"receiver": request.GET.get("to")} if request.GET.get("to", "").isdigit() else {}
    form = UnaskedFeedbackForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.feedback_give(
                giver=request.user,
                receiver=form.cleaned_data["receiver"],
                works_well=form.cleaned_data["works_well"],
                even_better=form.cleaned_data["even_better"],
                values=form.cleaned_data["values"],
                theme=form.cleaned_data["theme"],
                about=form.cleaned_data["about"],
            )
        except FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your feedback was sent."))
            return redirect(feedback)
    return _form_page(
        request,
        form,
        heading=_("Give feedback"),
        intro=_(
            "Feedback is about making each other better, not about judging. Only you and the "
            "receiver see it, unless they choose to share it."
        ),
        submit=_("Send feedback"),
        back=reverse("feedback:index"),
    )


# --- One piece of feedback ------------------------------------------------------------------


@require_GET
def detail(request: AuthenticatedRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.feedback_or_404(request.user, feedback_id)
    return render(
        request,
        "feedback/detail.html",
        {
            "feedback": feedback,
            "is_receiver": feedback.owner_id == request.user.pk,
            "is_giver": feedback.giver_id == request.user.pk,
        },
    )


@require_POST
def thank(request: AuthenticatedRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.received_feedback_or_404(request.user, feedback_id)
    services.feedback_thank(feedback=feedback, by=request.user)
    messages.success(request, _("%(name)s has been thanked.") % {"name": feedback.giver_name})
    return redirect(feedback)


@require_POST
def keep(request: AuthenticatedRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.received_feedback_or_404(request.user, feedback_id)
    kept = request.POST.get("kept") == "1"
    services.feedback_keep(feedback=feedback, by=request.user, kept=kept)
    messages.success(
        request,
        _("Kept for your development: it is on your overview.")
        if kept
        else _("No longer kept for your development."),
    )
    return redirect(feedback)


@require_http_methods(["GET", "POST"])
def share(request: AuthenticatedRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.received_feedback_or_404(request.user, feedback_id)
    form = ShareForm(request.POST or None, instance=feedback, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_share(
                feedback=selectors.received_feedback_or_404(request.user, feedback_id),
                by=request.user,
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except SharingError as error:
            form.add_error("shared_with", str(error))
        else:
            messages.success(request, _("Who can see the feedback was saved."))
            return redirect(feedback)
    return _form_page(
        request,
        form,
        heading=_("Share feedback onward"),
        submit=_("Save"),
        back=feedback.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.received_feedback_or_404(request.user, feedback_id)
    if request.method == "POST":
        services.feedback_delete(feedback=feedback, by=request.user)
        messages.success(request, _("The feedback was deleted."))
        return redirect("feedback:received")
    return render(request, "feedback/delete_confirm.html", {"feedback": feedback})


# --- The receiver's overview ----------------------------------------------------------------


@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "feedback/overview.html", selectors.overview_for(request.user, now=timezone.now())
    )


@require_GET
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Everything the person received, as CSV for a spreadsheet (semicolons and a byte-order
    mark, which is what Danish Excel opens without asking)."""
    response, writer = csv_response(f"feedback-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerow(
        [
            _("Date"),
            _("Kind"),
            _("From"),
            _("About"),
            _("Theme"),
            _("Values"),
            _("What works / thanks for"),
            _("What could be even better"),
            _("Kept"),
        ]
    )
    writer.writerows(selectors.export_rows(request.user))
    return response


# --- Sparring -------------------------------------------------------------------------------


@require_GET
def sparring_list(request: AuthenticatedRequest) -> HttpResponse:
    sparring = SparringRequest.objects.visible_to(request.user).select_related("asker", "partner")
    page = Paginator(sparring, 20).get_page(request.GET.get("page"))
    return render(request, "feedback/sparring_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def sparring_new(request: AuthenticatedRequest) -> HttpResponse:
    initial = {"partner": request.GET.get("with")} if request.GET.get("with", "").isdigit() else {}
    form = SparringRequestForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sparring = services.sparring_request_create(
                asker=request.user,
                partner=form.cleaned_data["partner"],
                topic=form.cleaned_data["topic"],
                message=form.cleaned_data["message"],
            )
        except FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request for sparring was sent."))
            return redirect(sparring)
    return _form_page(
        request,
        form,
        heading=_("Ask for sparring"),
        intro=_(
            "Ask a colleague to think something through with you. They propose a time, and "
            "you both get a calendar invitation."
        ),
        submit=_("Send the request"),
        back=reverse("feedback:index"),
    )


def _sparring_page(
    request: AuthenticatedRequest,
    sparring: SparringRequest,
    schedule_form: ScheduleForm | None = None,
    decline_form: SparringDeclineForm | None = None,
) -> HttpResponse:
    is_partner = sparring.partner_id == request.user.pk
    is_open = sparring.is_open
    initial: dict[str, Any] = {}
    if sparring.starts_at:
        local = timezone.localtime(sparring.starts_at)
        initial = {
            "day": local.date(),
            "start": local.time(),
            "duration": sparring.duration_minutes,
            "place": sparring.place,
        }
    return render(
        request,
        "feedback/sparring_detail.html",
        {
            "sparring": sparring,
            "is_partner": is_partner,
            "other": sparring.other_person(request.user),
            "is_open": is_open,
            "schedule_form": (schedule_form or ScheduleForm(initial=initial))
            if is_partner and is_open
            else None,
            "decline_form": (decline_form or SparringDeclineForm(prefix="decline"))
            if is_partner and sparring.status == SparringRequest.Status.REQUESTED
            else None,
        },
    )


@require_GET
def sparring_detail(request: AuthenticatedRequest, sparring_id: int) -> HttpResponse:
    return _sparring_page(request, selectors.sparring_or_404(request.user, sparring_id))


@require_POST
def sparring_schedule(request: AuthenticatedRequest, sparring_id: int) -> HttpResponse:
    sparring = selectors.sparring_or_404(request.user, sparring_id)
    if sparring.partner_id != request.user.pk:
        raise Http404
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _sparring_page(request, sparring, schedule_form=form)
    try:
        services.sparring_schedule(
            sparring=sparring,
            by=request.user,
            starts_at=form.cleaned_data["starts_at"],
            duration_minutes=form.cleaned_data["duration"],
            now=timezone.now(),
            place=form.cleaned_data["place"],
            reply=form.cleaned_data["reply"],
        )
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The time was sent to %(name)s. You both have a calendar invitation.")
            % {"name": sparring.asker.display_name},
        )
    return redirect(sparring)


@require_POST
def sparring_decline(request: AuthenticatedRequest, sparring_id: int) -> HttpResponse:
    sparring = selectors.sparring_or_404(request.user, sparring_id)
    if sparring.partner_id != request.user.pk:
        raise Http404
    form = SparringDeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _sparring_page(request, sparring, decline_form=form)
    try:
        services.sparring_decline(
            sparring=sparring, by=request.user, reply=form.cleaned_data["reply"]
        )
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You declined. The asker has been told."))
    return redirect(sparring)


@require_POST
def sparring_cancel(request: AuthenticatedRequest, sparring_id: int) -> HttpResponse:
    sparring = selectors.sparring_or_404(request.user, sparring_id)
    try:
        services.sparring_cancel(sparring=sparring, by=request.user, now=timezone.now())
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The sparring was cancelled."))
    return redirect(sparring)


@require_GET
def sparring_invitation(request: AuthenticatedRequest, sparring_id: int) -> HttpResponse:
    sparring = selectors.sparring_or_404(request.user, sparring_id)
    if not sparring.has_invitation:
        raise Http404
    return calendar.download(sparring_event(sparring), now=timezone.now())
