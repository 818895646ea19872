"""Pages of conversations. Each view parses, calls one service or selector and renders; what
a person may read comes through the access layer in `selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from conversations import selectors, services
from conversations.models import Plan
from conversations.services import ConversationError
from core.access import get_visible_or_404
from core.http import AuthenticatedRequest

# --- Threads and the list of one's conversations -------------------------------------------


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "conversations/index.html",
        {"threads": selectors.threads_of(request.user)},
    )


@require_GET
def thread(request: AuthenticatedRequest, conversation_thread_id: int) -> HttpResponse:
    found = selectors.thread_or_404(request.user, conversation_thread_id)
    page = selectors.for_thread_page(request.user, found)
    return render(request, "conversations/thread.html", {"page": page})


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


@require_GET
def plan(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    found = get_visible_or_404(Plan.objects, request.user, pk=plan_id)
    return render(request, "conversations/plan.html", {"plan": found})


# --- Overviews for leaders and administrators -----------------------------------------------


@require_GET
def people(request: AuthenticatedRequest) -> HttpResponse:
    """A leader's people: dates and counts of their conversations, never what was said."""
    overview = selectors.for_leaders_overview(request.user, timezone.now())
    if overview is None:
        raise Http404
    return render(request, "conversations/people.html", {"overview": overview})
