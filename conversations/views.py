"""Pages of conversations. Each view parses, calls one service or selector and renders; what
a person may read comes through the access layer in `selectors`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversations import selectors, services
from conversations.calendar import conversation_event
from conversations.forms import (
    CancelForm,
    ConversationForm,
    PlanForms,
    RequestForm,
    RhythmForm,
    ScheduleForm,
)
from conversations.models import Kind, Plan
from conversations.services import ConversationError, PlanError
from core.access import get_visible_or_404, leader_ids_of
from core.http import AuthenticatedRequest
from notifications import calendar

# --- Threads and the list of one's conversations -------------------------------------------


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.for_conversations_page(request.user)
    return render(request, "conversations/index.html", {"page": page})


@require_GET
def thread(request: AuthenticatedRequest, conversation_thread_id: int) -> HttpResponse:
    found = selectors.thread_or_404(request.user, conversation_thread_id)
    page = selectors.for_thread_page(request.user, found)
    rhythm_form = RhythmForm(initial={"rhythm": found.rhythm})
    return render(request, "conversations/thread.html", {"page": page, "rhythm_form": rhythm_form})


# --- One conversation ------------------------------------------------------------------------


@require_GET
def conversation(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = selectors.conversation_or_404(request.user, conversation_id)
    page = selectors.for_conversation_page(request.user, found)
    return render(request, "conversations/conversation.html", {"page": page})


@require_http_methods(["GET", "POST"])
def bring(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """What the participant may bring into the conversation (the agenda loads it with htmx;
    without JavaScript it is a page of its own), and, posted, one of them brought in."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    if request.method == "POST":
        source_id = request.POST.get("source_id", "")
        try:
            item = services.item_bring(
                conversation=found,
                by=request.user,
                source=request.POST.get("source", ""),
                source_id=int(source_id) if source_id.isdigit() else 0,
                now=timezone.now(),
            )
        except ConversationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("“%(text)s” is on the agenda.") % {"text": item.text})
        return redirect(f"{found.get_absolute_url()}#agenda")
    choices = selectors.for_bring(request.user, found)
    fragment = bool(request.headers.get("HX-Request"))
    template = "conversations/_bring_choices.html" if fragment else "conversations/bring.html"
    return render(request, template, {"choices": choices, "level": 4 if fragment else 2})


# --- Planning, requests and calendar invitations ----------------------------------------------


def _form_page(request: AuthenticatedRequest, form: Any, **texts: Any) -> HttpResponse:
    return render(request, "conversations/form_page.html", {"form": form, **texts})


@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    """Plan one conversation: `?with=<person>&kind=<kind>` fills the form in, as the reminder
    of a follow-up conversation does."""
    initial: dict[str, Any] = {"kind": request.GET.get("kind", Kind.ONE_ON_ONE), "duration": 60}
    chosen = [pk for pk in request.GET.getlist("with") if pk.isdigit() and len(pk) < 16]
    if chosen:
        initial["people"] = chosen
    form = ConversationForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_plan(
                by=request.user,
                people=list(form.cleaned_data["people"]),
                kind=form.cleaned_data["kind"],
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration"],
                now=timezone.now(),
                place=form.cleaned_data["place"],
                title=form.cleaned_data["title"],
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The conversation is planned. Everyone has an invitation."))
            return redirect(conversation)
    return _form_page(
        request,
        form,
        heading=_("Plan a conversation"),
        intro=_("Everyone in the conversation gets a calendar invitation by e-mail."),
        submit=_("Plan the conversation"),
    )


@require_http_methods(["GET", "POST"])
def ask(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for a conversation; the form suggests one's leader, when one has one."""
    leaders = list(leader_ids_of(request.user).values_list("user_id", flat=True)[:2])
    initial = {"other": leaders[0]} if len(leaders) == 1 else {}
    form = RequestForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_request(
                by=request.user,
                other=form.cleaned_data["other"],
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                now=timezone.now(),
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request was sent. You hear when a time is planned."))
            return redirect(conversation)
    return _form_page(
        request,
        form,
        heading=_("Ask for a conversation"),
        intro=_(
            "Ask your leader, or anyone else, for a conversation: a 1:1, a MUS or another "
            "kind. They plan a time, and you both get a calendar invitation."
        ),
        submit=_("Send the request"),
    )


@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedRequest) -> HttpResponse:
    """A leader plans a conversation with each of their people in a period."""
    people = list(selectors.people_led_by(request.user))
    starts_on = timezone.localdate() + timedelta(days=14)
    initial = {
        "title": selectors.plan_title(request.user, kind=Kind.MUS, year=starts_on.year),
        "starts_on": starts_on,
        "ends_on": starts_on + timedelta(days=42),
    }
    forms = PlanForms(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and "propose" in request.POST:
        forms = forms.with_proposals(now=timezone.now())
    elif request.method == "POST" and people and forms.is_valid():
        data = forms.plan.cleaned_data
        try:
            made = services.plan_create(
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                rows=forms.plan_rows(),
                now=timezone.now(),
            )
        except PlanError as error:
            forms.report(error)
        else:
            messages.success(
                request, _("The conversations are planned. Everyone has an invitation.")
            )
            return redirect(made)
    return render(request, "conversations/plan_new.html", {"forms": forms, "people": people})


@require_GET
def plan(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    found = get_visible_or_404(Plan.objects, request.user, pk=plan_id)
    return render(
        request, "conversations/plan.html", {"page": selectors.for_plan_page(request.user, found)}
    )


@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """Plan the time of a conversation asked for, or move a planned one; the page also holds
    the form that cancels (or declines) it."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    if not found.is_open:
        raise Http404
    local = timezone.localtime(found.starts_at) if found.starts_at else None
    initial = {
        "day": local.date() if local else None,
        "start": local.time() if local else None,
        "duration": found.duration_minutes or 60,
        "place": found.place,
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_schedule(
                conversation=found,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration"],
                place=form.cleaned_data["place"],
                now=timezone.now(),
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The time is sent. Everyone has an invitation."))
            return redirect(found)
    return render(
        request,
        "conversations/schedule.html",
        {
            "conversation": found,
            "others": selectors.others_in(found, request.user),
            "form": form,
            "cancel_form": CancelForm(prefix="cancel"),
        },
    )


@require_POST
def cancel(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = selectors.conversation_or_404(request.user, conversation_id)
    form = CancelForm(request.POST, prefix="cancel")
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.conversation_cancel(
            conversation=found, by=request.user, now=timezone.now(), message=message
        )
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The conversation is cancelled."))
    return redirect(found)


@require_GET
def invitation(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """The conversation's time as a calendar file to download."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    if found.starts_at is None or found.duration_minutes is None:
        raise Http404
    return calendar.download(conversation_event(found), now=timezone.now())


@require_POST
def rhythm(request: AuthenticatedRequest, conversation_thread_id: int) -> HttpResponse:
    found = selectors.thread_or_404(request.user, conversation_thread_id)
    form = RhythmForm(request.POST)
    try:
        services.thread_set_rhythm(
            thread=found,
            by=request.user,
            rhythm=form.cleaned_data["rhythm"] if form.is_valid() else "-",
        )
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The rhythm of your 1:1s is saved."))
    return redirect(found)


# --- Overviews for leaders and administrators -----------------------------------------------
