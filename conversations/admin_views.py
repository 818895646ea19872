"""Administration of conversations: the overview per unit, in counts and shares only, and the
templates' questions. For administrators only; to anyone else these pages do not exist (404).
An administrator never reads a conversation here: nothing of what was said, and no names."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from conversations import selectors
from conversations.selectors import QuestionRow
from conversations.services import ConversationError, template_new_version
from core.access import administrator_required
from core.forms import rows_edited
from core.http import AuthenticatedRequest
from core.spreadsheet import as_text, csv_response
from core.tree import open_ids


@administrator_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """The tree of units with their counts, opened where `?open=` says (the ids of the units
    whose units below are shown; without it, the top two levels). Each unit with units below
    links to the same page with it opened or closed, and htmx swaps only the table."""
    page = selectors.for_administrators_overview(timezone.now(), open_ids=open_ids(request.GET))
    return render(request, "conversations/admin/overview.html", {"overview": page})


@administrator_required
@require_GET
def overview_csv(request: AuthenticatedRequest) -> HttpResponse:
    """The same counts as the overview, for a spreadsheet."""
    units = selectors.for_administrators_csv(timezone.now())
    response, writer = csv_response("conversations-per-unit.csv")
    writer.writerow(
        [
            _("Unit"),
            _("Level"),
            _("People"),
            _("MUS or GRUS in the last 12 months"),
            _("With an approved summary"),
        ]
    )
    for unit in units:
        writer.writerow(
            [as_text(unit.name), unit.depth + 1, unit.people, unit.development_held, unit.approved]
        )
    return response


@administrator_required
@require_GET
def templates(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "conversations/admin/templates.html", {"versions": selectors.for_templates_page()}
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """The kind's questions as rows. Adding, removing and moving a row show the form again
    without saving (it works without JavaScript); saving makes a new version."""
    editor = selectors.for_template_editor(kind)
    if editor is None:
        raise Http404
    rows, action = editor.rows, request.POST.get("action", "")
    incomplete: list[int] = []
    if request.method == "POST":
        posted = _posted_rows(request)
        # A new question starts in the section of the last one.
        section = posted[-1][:2] if posted else ("", "")
        rows = rows_edited(posted, action, new=(*section, "", ""))
        if action == "save":
            try:
                template = template_new_version(kind=kind, questions=rows, by=request.user)
            except ConversationError as error:
                messages.error(request, str(error))
                # Where to look: the questions begun but not filled in.
                incomplete = [
                    n
                    for n, row in enumerate(rows)
                    if any(p.strip() for p in row) and not all(p.strip() for p in row)
                ]
            else:
                messages.success(
                    request,
                    _("Saved as version %(version)d. Conversations planned from now on use it.")
                    % {"version": template.version},
                )
                return redirect("conversations_admin:template_edit", kind=kind)
    return render(
        request,
        "conversations/admin/template_edit.html",
        {
            "current": editor.current,
            "rows": rows,
            "unsaved": request.method == "POST",
            "incomplete": incomplete,
        },
        status=400 if action == "save" else 200,
    )


def _posted_rows(request: AuthenticatedRequest) -> list[QuestionRow]:
    fields = [request.POST.getlist(name) for name in ("section_da", "section_en", "da", "en")]
    count = max(len(values) for values in fields)
    padded = [values + [""] * (count - len(values)) for values in fields]
    return list(zip(*padded, strict=True))
