"""Pages of conversations. Each view parses, calls one service or selector and renders; what
a person may read comes through the access layer in `selectors`."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from conversations import selectors
from conversations.models import Plan
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
