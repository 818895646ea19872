"""Pages of conversations. Each view parses, calls one service or selector and renders; what
a person may read comes through the access layer in `selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversations import selectors, services
from conversations.forms import (
    ActionForm,
    AddendumForm,
    PointForm,
    PreparationForm,
    PrivateNoteForm,
    SharedNoteForm,
    SummaryForm,
)
from conversations.models import Conversation, Item, Plan, SharedNote
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
# Every change is a plain form that redirects back to the page (its message above); with htmx,
# the answer is `_changed.html`: the regions that may have changed, swapped out of band, so a
# form somebody is typing in is never replaced by the other participant's change.


def _forms(page: selectors.ConversationPage, bound: dict[str, Form]) -> dict[str, Form]:
    """The page's forms, empty or as they stand; `bound` replaces those just sent."""
    made: dict[str, Form] = {
        "preparation": PreparationForm(answers=page.answers),
        "point": PointForm(prefix="point"),
        "action": ActionForm(participants=page.participants, prefix="action"),
        "note": SharedNoteForm(prefix="note"),
        "private": PrivateNoteForm(
            prefix="private",
            initial={"text": page.private_note.text if page.private_note else ""},
        ),
        "addendum": AddendumForm(prefix="addendum"),
        "summary": SummaryForm(
            prefix="summary", initial={"text": page.summary.text if page.summary else ""}
        ),
    }
    return {**made, **bound}


# The regions of an open conversation only.
_OPEN_ONLY = {"preparation", "point", "action", "agenda", "note"}
# Where the page opens after a plain form: the section of the form sent.
_SECTION_OF = {"point": "agenda", "action": "agenda", "note": "notes", "addendum": "addenda"}


def _first_error(form: Form) -> str:
    return next((str(error) for errors in form.errors.values() for error in errors), "")


def _after(
    request: AuthenticatedRequest,
    found: Conversation,
    *,
    anchor: str,
    error: str = "",
    notice: str = "",
    bound: dict[str, Form] | None = None,
) -> HttpResponse:
    """After a change: back to the page (PRG), or for htmx the regions that may have changed,
    with the form just sent (emptied, or with its error)."""
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect(f"{found.get_absolute_url()}#{_SECTION_OF.get(anchor, anchor)}")
    # Read afresh: the change raised the revision.
    found = selectors.conversation_or_404(request.user, found.pk)
    if error and not found.is_open and anchor in _OPEN_ONLY:
        # Held or cancelled meanwhile: the page is stale, so load it afresh with the message.
        messages.error(request, error)
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    page = selectors.for_conversation_page(request.user, found)
    bound = bound or {}
    response = render(
        request,
        "conversations/_changed.html",
        {
            "page": page,
            "forms": _forms(page, bound),
            "sent": anchor,
            "swap_forms": set(bound) | {anchor},
            "error": error,
            "notice": notice,
            "oob": True,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def conversation(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = selectors.conversation_or_404(request.user, conversation_id)
    page = selectors.for_conversation_page(request.user, found)
    return render(
        request, "conversations/conversation.html", {"page": page, "forms": _forms(page, {})}
    )


@require_GET
def live(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """What an open page polls: nothing (204) while the revision it shows is the current one;
    otherwise the agenda, notes and shared answers as they are now, with the new revision. A
    page whose conversation was held or cancelled meanwhile is loaded afresh."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    if request.GET.get("revision") == str(found.revision):
        return HttpResponse(status=204)
    if request.GET.get("open", "1" if found.is_open else "0") != ("1" if found.is_open else "0"):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    page = selectors.for_conversation_page(request.user, found)
    return render(request, "conversations/_changed.html", {"page": page, "oob": True})


@require_POST
def preparation_save(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """Keep one's answers; "Del" shares one of them (its question's id), "Del alle" all."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    page = selectors.for_conversation_page(request.user, found)
    form = PreparationForm(request.POST, answers=page.answers)
    share = request.POST.get("share", "")
    if not form.is_valid():
        return _after(
            request,
            found,
            anchor="preparation",
            error=_first_error(form),
            bound={"preparation": form},
        )
    now = timezone.now()
    shared: int | None = None
    try:
        services.preparation_save(
            conversation=found, by=request.user, answers=form.texts(), now=now
        )
        if share == "all" or share.isdigit():
            shared = services.preparation_share(
                conversation=found,
                by=request.user,
                now=now,
                question_ids=None if share == "all" else [int(share)],
            )
    except ConversationError as error:
        return _after(request, found, anchor="preparation", error=str(error))
    return _after(request, found, anchor="preparation", notice=_shared_notice(shared))


def _shared_notice(shared: int | None) -> str:
    """What saving one's preparation says: how many answers were shared now, if asked to."""
    if shared is None:
        return _("Your answers were saved. Only you can see them until you share them.")
    if shared == 0:
        return _("Your answers were saved. There was nothing new to share: write an answer first.")
    return ngettext(
        "Your answers were saved, and %(count)d answer was shared in the conversation.",
        "Your answers were saved, and %(count)d answers were shared in the conversation.",
        shared,
    ) % {"count": shared}


@require_POST
def item_add(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """A talking point, or an action with its owner and due date."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    form: PointForm | ActionForm
    if request.POST.get("type") == Item.Type.ACTION:
        key = "action"
        form = ActionForm(
            request.POST, participants=services.participants_of(found), prefix="action"
        )
    else:
        key, form = "point", PointForm(request.POST, prefix="point")
    if form.is_valid():
        try:
            services.item_add(
                conversation=found,
                by=request.user,
                text=form.cleaned_data["text"],
                type=Item.Type.ACTION if isinstance(form, ActionForm) else Item.Type.POINT,
                owner=form.owner_user() if isinstance(form, ActionForm) else None,
                due_on=form.cleaned_data.get("due_on"),
                now=timezone.now(),
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, found, anchor=key)
    return _after(request, found, anchor=key, error=_first_error(form), bound={key: form})


def _item_or_404(request: AuthenticatedRequest, found: Conversation, item_id: int) -> Item:
    item: Item = get_visible_or_404(
        Item.objects, request.user, pk=item_id, thread_id=found.thread_id
    )
    return item


@require_POST
def item_move(request: AuthenticatedRequest, conversation_id: int, item_id: int) -> HttpResponse:
    """One place up or down the agenda."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    item = _item_or_404(request, found, item_id)
    try:
        services.item_move(
            item=item, conversation=found, by=request.user, up=request.POST.get("direction") == "up"
        )
    except ConversationError as error:
        return _after(request, found, anchor="agenda", error=str(error))
    return _after(request, found, anchor="agenda")


@require_POST
def item_status(request: AuthenticatedRequest, conversation_id: int, item_id: int) -> HttpResponse:
    """Discussed or done, dropped, or open again."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    item = _item_or_404(request, found, item_id)
    try:
        services.item_close(
            item=item,
            conversation=found,
            by=request.user,
            status=request.POST.get("status", ""),
            now=timezone.now(),
        )
    except ConversationError as error:
        return _after(request, found, anchor="agenda", error=str(error))
    return _after(request, found, anchor="agenda")


@require_POST
def shared_note_add(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = selectors.conversation_or_404(request.user, conversation_id)
    form = SharedNoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.shared_note_add(
                conversation=found,
                by=request.user,
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, found, anchor="note")
    return _after(request, found, anchor="note", error=_first_error(form), bound={"note": form})


@require_http_methods(["GET", "POST"])
def shared_note_edit(
    request: AuthenticatedRequest, conversation_id: int, shared_note_id: int
) -> HttpResponse:
    """Its author changes a shared note while the conversation is open."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    note: SharedNote = get_visible_or_404(
        SharedNote.objects, request.user, pk=shared_note_id, conversation=found, author=request.user
    )
    form = SharedNoteForm(request.POST or None, prefix="note", initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.shared_note_update(
                note=note, by=request.user, text=form.cleaned_data["text"], now=timezone.now()
            )
        except ConversationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your note was changed."))
        return redirect(f"{found.get_absolute_url()}#notes")
    return render(
        request,
        "conversations/shared_note_form.html",
        {"conversation": found, "note": note, "form": form},
    )


@require_POST
def private_note_save(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = selectors.conversation_or_404(request.user, conversation_id)
    form = PrivateNoteForm(request.POST, prefix="private")
    if form.is_valid():
        try:
            services.private_note_save(
                conversation=found, by=request.user, text=form.cleaned_data["text"]
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            return _after(
                request, found, anchor="private", notice=_("Your private notes were saved.")
            )
    return _after(
        request, found, anchor="private", error=_first_error(form), bound={"private": form}
    )


@require_http_methods(["GET", "POST"])
def hold(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """Mark the conversation held, after a confirmation: it is frozen from then on."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    if request.method == "GET":
        if not found.is_open:
            return redirect(found.get_absolute_url())
        return render(request, "conversations/hold_confirm.html", {"conversation": found})
    try:
        services.conversation_hold(conversation=found, by=request.user, now=timezone.now())
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The conversation is marked held. Its agenda is kept as it was.")
        )
    return redirect(found.get_absolute_url())


@require_POST
def addendum_add(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = selectors.conversation_or_404(request.user, conversation_id)
    form = AddendumForm(request.POST, prefix="addendum")
    if form.is_valid():
        try:
            services.addendum_add(
                conversation=found,
                by=request.user,
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, found, anchor="addendum")
    return _after(
        request, found, anchor="addendum", error=_first_error(form), bound={"addendum": form}
    )


@require_POST
def summary_save(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """Write or change the MUS summary; a change must be approved by all again."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    form = SummaryForm(request.POST, prefix="summary")
    revision = request.POST.get("revision", "")
    if form.is_valid():
        try:
            services.summary_save(
                conversation=found,
                by=request.user,
                text=form.cleaned_data["text"],
                now=timezone.now(),
                revision=int(revision) if revision.isdigit() else None,
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, found, anchor="summary", notice=_("The summary was saved."))
    return _after(
        request, found, anchor="summary", error=_first_error(form), bound={"summary": form}
    )


@require_POST
def summary_approve(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """Approve the revision of the summary one read (sent with the button)."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    revision = request.POST.get("revision", "")
    try:
        services.summary_approve(
            conversation=found,
            by=request.user,
            revision=int(revision) if revision.isdigit() else -1,
            now=timezone.now(),
        )
    except ConversationError as error:
        return _after(request, found, anchor="approval", error=str(error))
    return _after(request, found, anchor="approval", notice=_("You approved the summary."))


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
