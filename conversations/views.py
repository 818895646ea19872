"""Pages of conversations. Each view parses, calls one service or selector and renders; what
a person may read comes through the access layer in `selectors`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
from conversations.calendar import conversation_event
from conversations.forms import (
    ActionForm,
    AddendumForm,
    CancelForm,
    ConversationForm,
    PlanForms,
    PointForm,
    PreparationForm,
    PrivateNoteForm,
    RequestForm,
    RhythmForm,
    ScheduleForm,
    SharedNoteForm,
    SummaryForm,
)
from conversations.models import Conversation, Item, Kind, Plan, SharedNote
from conversations.services import ConversationError, PlanError
from core.access import get_visible_or_404, id_list, leader_ids_of
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
    if request.method == "GET" and not found.is_open:
        # Held or cancelled, the note is as it stands: no form to change it.
        return redirect(f"{found.get_absolute_url()}#notes")
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


@require_POST
def development_plan(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """An employee makes their development plan from the held MUS, or opens the one made."""
    found = selectors.conversation_or_404(request.user, conversation_id)
    try:
        plan = services.development_plan_make(
            conversation=found, by=request.user, now=timezone.now()
        )
    except ConversationError as error:
        messages.error(request, str(error))
        return redirect(f"{found.get_absolute_url()}#summary")
    messages.success(
        request,
        _(
            "Your development plan is made from the MUS and shared with your leader. Turn the "
            "summary into goals and activities."
        ),
    )
    return redirect(plan)


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
    leaders = id_list(leader_ids_of(request.user))[:2]
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


@require_GET
def people(request: AuthenticatedRequest) -> HttpResponse:
    """A leader's people: dates and counts of their conversations, never what was said."""
    overview = selectors.for_leaders_overview(request.user, timezone.now())
    if overview is None:
        raise Http404
    return render(request, "conversations/people.html", {"overview": overview})
