"""Pages of retrospectives. The board is for its participants (anyone else gets 404, as for a
retrospective that does not exist); a closed retrospective's summary, which holds no note, is
also for those who may open the team's page.

The board asks every two seconds whether anything changed (`live`, 204 while not), so the
participants see each other's notes, groups and progress appear without reloading. Every form
on it works without JavaScript too (a POST, then back to the board).

In an anonymous retrospective the server does not know whose a note is; while the writing is
private, a signed cookie in the writer's browser lists the notes they wrote, so they see (and
may take back) their own notes, and nothing of it is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.signing import BadSignature
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.http import AuthenticatedRequest
from learning import retro_selectors as selectors
from learning import retro_services as services
from learning.forms import RetrospectiveForm
from learning.models import Retrospective
from learning.services import LearningError

MINE_SALT = "learning.retrospective.mine"
MINE_AGE = 7 * 24 * 3600


def _mine_cookie(retro: Retrospective) -> str:
    return f"retro-{retro.pk}"


def _mine(request: AuthenticatedRequest, retro: Retrospective) -> set[int]:
    """The notes the reader's browser says they wrote (signed, so it cannot be made up)."""
    if not retro.anonymous:
        return set()
    try:
        value = request.get_signed_cookie(_mine_cookie(retro), default="", salt=MINE_SALT)
    except BadSignature:
        return set()
    return {int(part) for part in (value or "").split(",") if part.isdigit()}


def _board_response(
    request: AuthenticatedRequest,
    retro: Retrospective,
    *,
    error: str = "",
    mine: set[int] | None = None,
) -> HttpResponse:
    mine = _mine(request, retro) if mine is None else mine
    board = selectors.for_board(request.user, retro, mine)
    template = "learning/retro/_board.html" if _htmx(request) else "learning/retro/board.html"
    response = render(request, template, {"board": board, "error": error})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _act(
    request: AuthenticatedRequest,
    retrospective_id: int,
    change: Callable[[Retrospective], set[int] | None],
) -> HttpResponse:
    """Make one change to a retrospective the reader takes part in, and answer with the board
    as it is now (htmx), or back to the board page. `change` may return the reader's notes
    when they changed, to be remembered in their browser."""
    retro = selectors.retrospective_or_404(request.user, retrospective_id)
    error, mine = "", None
    try:
        mine = change(retro)
    except LearningError as failure:
        error = str(failure)
    retro.refresh_from_db()
    if _htmx(request):
        response = _board_response(request, retro, error=error, mine=mine)
    else:
        if error:
            messages.error(request, error)
        response = redirect(retro)
    if mine is not None:
        response.set_signed_cookie(
            _mine_cookie(retro),
            ",".join(str(pk) for pk in sorted(mine)),
            salt=MINE_SALT,
            max_age=MINE_AGE,
            path=retro.get_absolute_url(),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def _htmx(request: AuthenticatedRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def team(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    page = selectors.for_team_retrospectives(request.user, unit_id)
    return render(request, "learning/retro/team.html", {"page": page})


@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    page = selectors.for_new_retrospective(request.user, unit_id)
    form = RetrospectiveForm(
        request.POST or None,
        person=request.user,
        initial={"participants": [person.pk for person in page.people]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            retro = services.retrospective_create(
                facilitator=request.user, unit=page.unit, setup=form.setup(), now=timezone.now()
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            return redirect(retro)
    return render(
        request,
        "learning/retro/new.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def retrospective(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    """The board for a participant; the summary for a reader of the team's page."""
    try:
        return _board_response(
            request, selectors.retrospective_or_404(request.user, retrospective_id)
        )
    except Http404:
        retro = selectors.summary_or_404(request.user, retrospective_id)
    summary = selectors.summaries_of([retro])[0]
    return render(request, "learning/retro/summary.html", {"summary": summary})


@require_GET
def live(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    """The board when it changed since the reader's revision, else 204 (nothing to swap)."""
    retro = selectors.retrospective_or_404(request.user, retrospective_id)
    if _int(request.GET.get("revision")) == retro.revision:
        return HttpResponse(status=204)
    return _board_response(request, retro)


@require_POST
def next_phase(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        services.phase_next(retro=retro, by=request.user, now=timezone.now())

    return _act(request, retrospective_id, change)


@require_POST
def anonymity(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        services.retrospective_anonymity_set(
            retro=retro, by=request.user, anonymous=request.POST.get("anonymous") == "1"
        )

    return _act(request, retrospective_id, change)


@require_POST
def ready(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        services.ready_set(retro=retro, person=request.user)

    return _act(request, retrospective_id, change)


@require_POST
def health(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        scores = [_int(request.POST.get(f"statement-{number}")) for number in range(1, 6)]
        services.health_answer(retro=retro, person=request.user, scores=scores)

    return _act(request, retrospective_id, change)


@require_POST
def note_add(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> set[int] | None:
        column = _int(request.POST.get("column"))
        note = services.note_add(
            retro=retro,
            person=request.user,
            column=-1 if column is None else column,
            text=request.POST.get("text", ""),
        )
        return _mine(request, retro) | {note.pk} if retro.anonymous else None

    return _act(request, retrospective_id, change)


@require_POST
def note_delete(
    request: AuthenticatedRequest, retrospective_id: int, retro_note_id: int
) -> HttpResponse:
    def change(retro: Retrospective) -> set[int] | None:
        note = selectors.note_or_404(retro, retro_note_id)
        mine = _mine(request, retro)
        services.note_delete(retro=retro, person=request.user, note=note, mine=mine)
        return mine - {retro_note_id} if retro.anonymous else None

    return _act(request, retrospective_id, change)


@require_POST
def note_group(
    request: AuthenticatedRequest, retrospective_id: int, retro_note_id: int
) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        note = selectors.note_or_404(retro, retro_note_id)
        choice = request.POST.get("group", "")
        group_id = _int(choice)
        group = selectors.group_or_404(retro, group_id) if group_id is not None else None
        services.note_group(
            retro=retro, person=request.user, note=note, group=group, new=choice == "new"
        )

    return _act(request, retrospective_id, change)


@require_POST
def group_rename(
    request: AuthenticatedRequest, retrospective_id: int, retro_group_id: int
) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        group = selectors.group_or_404(retro, retro_group_id)
        services.group_rename(
            retro=retro, person=request.user, group=group, title=request.POST.get("title", "")
        )

    return _act(request, retrospective_id, change)


@require_POST
def vote(request: AuthenticatedRequest, retrospective_id: int, retro_group_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        group = selectors.group_or_404(retro, retro_group_id)
        services.vote(retro=retro, person=request.user, group=group)

    return _act(request, retrospective_id, change)


@require_POST
def decision(
    request: AuthenticatedRequest, retrospective_id: int, retro_group_id: int
) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        group = selectors.group_or_404(retro, retro_group_id)
        services.decision_set(
            retro=retro, person=request.user, group=group, text=request.POST.get("decision", "")
        )

    return _act(request, retrospective_id, change)


@require_POST
def action_add(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        owner_id = _int(request.POST.get("owner"))
        owner = User.objects.filter(pk=owner_id).first() if owner_id else None
        if owner is None:
            raise LearningError(_("Choose who owns the action."))
        try:
            due = date.fromisoformat(request.POST.get("due_date", ""))
        except ValueError:
            raise LearningError(_("Give the action a due date.")) from None
        group_id = _int(request.POST.get("group"))
        services.action_add(
            retro=retro,
            person=request.user,
            title=request.POST.get("title", ""),
            owner=owner,
            due_date=due,
            group=selectors.group_or_404(retro, group_id) if group_id is not None else None,
        )

    return _act(request, retrospective_id, change)


@require_POST
def publish(request: AuthenticatedRequest, retrospective_id: int) -> HttpResponse:
    def change(retro: Retrospective) -> None:
        services.publish_set(
            retro=retro, by=request.user, published=request.POST.get("published") == "1"
        )

    return _act(request, retrospective_id, change)
