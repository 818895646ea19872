from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from checkins.forms import CheckInForm, ReflectionForm, ReplyForm
from checkins.models import CheckIn, Reflection, Reply, Thread, current_week
from checkins.selectors import (
    ThreadView,
    home_unit_of,
    shared_with_me_page,
    threads_on_checkin,
    week_checkin,
)
from checkins.services import (
    CheckInError,
    ReplyError,
    checkin_write,
    reflection_delete,
    reflection_save,
    reply_create,
    reply_delete,
    reply_mark_talking_point,
    reply_update,
)
from core.access import SharingError, get_owned_or_404, get_visible_or_404
from core.http import AuthenticatedRequest
from teamwork.models import HelpRequest
from teamwork.selectors import team_of


def too_late_message() -> str:
    days = settings.SPARRING_CHECKIN_EDIT_DAYS
    return ngettext(
        "A check-in can be changed for %(days)d day after it is written; this one stays as it is.",
        "A check-in can be changed for %(days)d days after it is written; this one stays as it is.",
        days,
    ) % {"days": days}


@require_GET
def checkin_list(request: AuthenticatedRequest) -> HttpResponse:
    """A person's own check-ins, newest first."""
    checkins = CheckIn.objects.owned_by(request.user).select_related("help_request")
    page = Paginator(checkins, 10).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    latest = page.object_list[0] if page.number == 1 and page.object_list else None
    unit = home_unit_of(request.user)
    return render(
        request,
        "checkins/list.html",
        {
            "page": page,
            "this_weeks_checkin": latest if latest and latest.week == current_week() else None,
            "unit": unit,
            "team": team_of(unit) if unit else None,
        },
    )


@require_GET
def checkin_shared(request: AuthenticatedRequest) -> HttpResponse:
    """Check-ins other people have shared with me, as their leader or teammate."""
    page = shared_with_me_page(request.user, page=request.GET.get("page"))
    return render(request, "checkins/shared.html", {"page": page})


@require_GET
def checkin_detail(request: AuthenticatedRequest, checkin_id: int) -> HttpResponse:
    checkin: CheckIn = get_visible_or_404(
        CheckIn.objects.select_related("owner", "help_request"), request.user, pk=checkin_id
    )
    return _detail_page(request, checkin)


@require_http_methods(["GET", "POST"])
def checkin_edit(request: AuthenticatedRequest, checkin_id: int | None = None) -> HttpResponse:
    """Write this week's check-in, or change one while it may still be changed."""
    if checkin_id is None:
        # One check-in a week: writing again that week changes the one already written (a
        # form sent from a second tab included).
        existing = week_checkin(request.user, current_week())
        if existing is not None and request.method == "GET":
            return redirect("checkins:edit", checkin_id=existing.pk)
        checkin = existing or CheckIn(owner=request.user, week=current_week())
    else:
        checkin = get_owned_or_404(CheckIn.objects, request.user, pk=checkin_id)
    if checkin.pk and not checkin.is_editable():
        messages.info(request, too_late_message())
        return redirect(checkin)
    form = CheckInForm(request.POST or None, instance=checkin, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = checkin_write(
                owner=request.user,
                week=checkin.week,
                energy=form.cleaned_data["energy"],
                went_well=form.cleaned_data["went_well"],
                is_hard=form.cleaned_data["is_hard"],
                priorities=form.cleaned_data["priorities"],
                help_needed=form.cleaned_data["help_needed"],
                visibility=form.cleaned_data["visibility"],
            )
        except CheckInError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your check-in was saved."))
            return redirect(checkin)
    return render(request, "checkins/form.html", {"form": form, "checkin": checkin})


# --- Reflections ----------------------------------------------------------------------------


@require_GET
def reflection_list(request: AuthenticatedRequest) -> HttpResponse:
    reflections = Reflection.objects.owned_by(request.user).select_related("value")
    page = Paginator(reflections, 20).get_page(request.GET.get("page"))
    shared = (
        Reflection.objects.visible_to(request.user)
        .exclude(owner=request.user)
        .select_related("owner", "value")[:20]
    )
    return render(request, "checkins/reflection_list.html", {"page": page, "shared": shared})


@require_GET
def reflection_detail(request: AuthenticatedRequest, reflection_id: int) -> HttpResponse:
    reflection: Reflection = get_visible_or_404(
        Reflection.objects.select_related("owner", "value"), request.user, pk=reflection_id
    )
    return render(
        request,
        "checkins/reflection_detail.html",
        {"reflection": reflection, "is_owner": reflection.is_owned_by(request.user)},
    )


@require_http_methods(["GET", "POST"])
def reflection_edit(
    request: AuthenticatedRequest, reflection_id: int | None = None
) -> HttpResponse:
    reflection = (
        get_owned_or_404(Reflection.objects, request.user, pk=reflection_id)
        if reflection_id
        else Reflection(owner=request.user)
    )
    form = ReflectionForm(request.POST or None, instance=reflection, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            reflection_save(
                reflection=reflection,
                text=form.cleaned_data["text"],
                value=form.cleaned_data["value"],
                theme=form.cleaned_data["theme"],
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except SharingError as error:
            form.add_error("shared_with", str(error))
        else:
            messages.success(request, _("Your reflection was saved."))
            return redirect(reflection)
    return render(
        request, "checkins/reflection_form.html", {"form": form, "reflection": reflection}
    )


@require_POST
def reflection_remove(request: AuthenticatedRequest, reflection_id: int) -> HttpResponse:
    reflection: Reflection = get_owned_or_404(Reflection.objects, request.user, pk=reflection_id)
    reflection_delete(reflection=reflection)
    messages.success(request, _("Your reflection was deleted."))
    return redirect("reflections:list")


# --- Replies to a shared check-in ------------------------------------------------------------


@dataclass(frozen=True)
class ThreadBlock:
    """A thread on the check-in's page with the form to write in it; a reader who has not
    replied yet has the form and no thread."""

    key: str
    thread: ThreadView | None
    form: ReplyForm
    action: str
    sent: bool = False

    @property
    def anchor(self) -> str:
        return f"thread-{self.key}" if self.thread else "reply"


def _thread_blocks(
    user: User,
    checkin: CheckIn,
    *,
    bound: ReplyForm | None = None,
    key: str = "",
    sent: bool = False,
) -> list[ThreadBlock]:
    def form_for(this: str) -> ReplyForm:
        return bound if bound is not None and this == key else ReplyForm(key=this)

    blocks = [
        ThreadBlock(
            key=str(thread.thread_id),
            thread=thread,
            form=form_for(str(thread.thread_id)),
            action=reverse("checkins:thread_reply", kwargs={"thread_id": thread.thread_id}),
            sent=sent and (key == str(thread.thread_id) or not checkin.is_owned_by(user)),
        )
        for thread in threads_on_checkin(user, checkin)
    ]
    if not blocks and not checkin.is_owned_by(user):
        blocks.append(
            ThreadBlock(
                key="new",
                thread=None,
                form=form_for("new"),
                action=reverse("checkins:reply", kwargs={"checkin_id": checkin.pk}),
            )
        )
    return blocks


def _detail_page(
    request: AuthenticatedRequest,
    checkin: CheckIn,
    *,
    bound: ReplyForm | None = None,
    key: str = "",
) -> HttpResponse:
    is_owner = checkin.is_owned_by(request.user)
    help_request = checkin.help_request
    # The request is team content with its own readers; link it only for those.
    show_help_request = help_request is not None and (
        is_owner or HelpRequest.objects.visible_to(request.user).filter(pk=help_request.pk).exists()
    )
    return render(
        request,
        "checkins/detail.html",
        {
            "checkin": checkin,
            "is_owner": is_owner,
            "is_editable": is_owner and checkin.is_editable(),
            "too_late": too_late_message(),
            "show_help_request": show_help_request,
            "blocks": _thread_blocks(request.user, checkin, bound=bound, key=key),
            "form": bound,
        },
    )


def _after_reply(
    request: AuthenticatedRequest, checkin: CheckIn, *, key: str, form: ReplyForm | None = None
) -> HttpResponse:
    """What a change in a thread answers: the thread alone for htmx; without JavaScript the
    check-in's page with the form's message, or a redirect to the thread."""
    failed = form is not None and bool(form.errors)
    if request.headers.get("HX-Request"):
        blocks = _thread_blocks(
            request.user, checkin, bound=form if failed else None, key=key, sent=not failed
        )
        # A reader has one thread (or the form for their first reply); the owner one per reader.
        block = blocks[0] if not checkin.is_owned_by(request.user) else None
        block = block or next((b for b in blocks if b.key == key), None)
        if block is None:
            raise Http404
        response = render(request, "checkins/_thread.html", {"block": block, "checkin": checkin})
        patch_vary_headers(response, ["HX-Request"])
        return response
    if failed:
        return _detail_page(request, checkin, bound=form, key=key)
    thread = Thread.objects.visible_to(request.user).filter(checkin=checkin)
    thread = thread.filter(pk=key) if key.isdigit() else thread
    found = thread.first()
    return redirect(found.get_absolute_url() if found else checkin.get_absolute_url())


def _send(
    request: AuthenticatedRequest, checkin: CheckIn, thread: Thread | None, key: str
) -> HttpResponse:
    form = ReplyForm(request.POST, key=key)
    if form.is_valid():
        try:
            reply = reply_create(
                checkin=checkin, author=request.user, text=form.cleaned_data["text"], thread=thread
            )
        except ReplyError as error:
            form.add_error("text", str(error))
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, _("Your reply was sent."))
            return _after_reply(request, checkin, key=str(reply.thread_id))
    return _after_reply(request, checkin, key=key, form=form)


@require_http_methods(["GET", "POST"])
def reply_to_checkin(request: AuthenticatedRequest, checkin_id: int) -> HttpResponse:
    """Someone a check-in is shared with replies, in their own thread (made at the first).
    Opened as a page, it is the form under the check-in."""
    checkin: CheckIn = get_visible_or_404(
        CheckIn.objects.select_related("owner", "help_request"), request.user, pk=checkin_id
    )
    if checkin.is_owned_by(request.user):
        raise Http404
    if request.method == "GET":
        return redirect(f"{checkin.get_absolute_url()}#replies")
    thread = Thread.objects.filter(checkin=checkin, reader=request.user).first()
    return _send(request, checkin, thread, str(thread.pk) if thread else "new")


@require_POST
def thread_reply(request: AuthenticatedRequest, thread_id: int) -> HttpResponse:
    """The owner answers a reader, or the reader writes again, in their thread."""
    thread: Thread = get_visible_or_404(
        Thread.objects.select_related("checkin__owner", "checkin__help_request", "reader"),
        request.user,
        pk=thread_id,
    )
    return _send(request, thread.checkin, thread, str(thread.pk))


@require_http_methods(["GET", "POST"])
def reply_edit(request: AuthenticatedRequest, reply_id: int) -> HttpResponse:
    """Its author changes a reply."""
    reply: Reply = get_owned_or_404(
        Reply.objects.select_related("thread__checkin__owner"), request.user, pk=reply_id
    )
    form = ReplyForm(request.POST or None, initial={"text": reply.text})
    if request.method == "POST" and form.is_valid():
        try:
            reply_update(
                reply=reply, by=request.user, text=form.cleaned_data["text"], now=timezone.now()
            )
        except ReplyError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Your reply was changed."))
            return redirect(reply.thread.get_absolute_url())
    return render(request, "checkins/reply_form.html", {"form": form, "reply": reply})


@require_POST
def reply_remove(request: AuthenticatedRequest, reply_id: int) -> HttpResponse:
    """Its author deletes a reply; the thread stays."""
    reply: Reply = get_owned_or_404(
        Reply.objects.select_related("thread__checkin__owner"), request.user, pk=reply_id
    )
    thread = reply.thread
    reply_delete(reply=reply, by=request.user)
    messages.success(request, _("Your reply was deleted."))
    return redirect(thread.get_absolute_url())


@require_POST
def reply_talking_point(request: AuthenticatedRequest, reply_id: int) -> HttpResponse:
    """Either person in the thread marks a reply to take up at their next 1:1, or unmarks it."""
    reply: Reply = get_visible_or_404(
        Reply.objects.select_related("thread__checkin__owner", "thread__checkin__help_request"),
        request.user,
        pk=reply_id,
    )
    reply_mark_talking_point(reply=reply, by=request.user, marked=request.POST.get("marked") == "1")
    return _after_reply(request, reply.thread.checkin, key=str(reply.thread_id))
