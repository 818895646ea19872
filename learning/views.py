"""Pages of the learning log. Each view parses, calls one service or selector and renders; an
entry is read through `visible_to` and changed only by its owner, so anyone else gets the same
404 as for an entry that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedRequest
from development.models import Activity
from development.plan_selectors import areas_current
from learning import selectors, services
from learning.forms import EntryForm
from learning.handbook import handbook_zip, slug_of, team_pages
from learning.models import Entry
from learning.services import EntryText, LearningError


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.for_log_page(request.user, request.GET.get("older"))
    return render(request, "learning/index.html", {"log": page})


@require_GET
def entry(request: AuthenticatedRequest, learning_entry_id: int) -> HttpResponse:
    view = selectors.entry_or_404(request.user, learning_entry_id)
    return render(
        request,
        "learning/entry.html",
        {"view": view, "is_owner": view.entry.is_owned_by(request.user)},
    )


def _entry_page(
    request: AuthenticatedRequest,
    found: Entry | None,
    *,
    initial: EntryText,
    shared_with: list[int] | None = None,
    activity: Activity | None = None,
) -> HttpResponse:
    form = EntryForm(
        request.POST or None,
        owner=request.user,
        areas=areas_current(),
        initial=EntryForm.initial_of(initial, shared_with),
    )
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            if found is None:
                saved = services.entry_create(
                    owner=request.user, text=form.text(), now=now, from_activity=activity
                )
            else:
                saved = services.entry_update(
                    entry=found, by=request.user, text=form.text(), now=now
                )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your learning was saved."))
            return redirect(saved)
    return render(
        request,
        "learning/entry_form.html",
        {"form": form, "entry": found, "activity": activity},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    blank = EntryText(kind="", title="", happened_on=timezone.localdate(), learned="")
    return _entry_page(request, None, initial=blank)


@require_http_methods(["GET", "POST"])
def from_activity(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    """The reflection on an activity of the person's development plan, as a new entry for them
    to look over and save."""
    activity = selectors.activity_to_share_or_404(request.user, activity_id)
    made = selectors.entry_from(request.user, activity)
    if made is not None:
        messages.info(request, _("What you learned from it is already in your learning log."))
        return redirect(made)
    try:
        initial = services.text_from_activity(activity, timezone.now())
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(f"{activity.plan.get_absolute_url()}#activity-{activity.pk}")
    return _entry_page(request, None, initial=initial, activity=activity)


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, learning_entry_id: int) -> HttpResponse:
    found = selectors.owned_entry_or_404(request.user, learning_entry_id)
    initial = EntryText(
        kind=found.kind,
        title=found.title,
        happened_on=found.happened_on,
        learned=found.learned,
        for_others=found.for_others,
        links="\n".join(found.links),
        area_keys=list(found.area_keys),
        visibility=found.visibility,
    )
    shared = list(found.shared_with.values_list("pk", flat=True))
    return _entry_page(request, found, initial=initial, shared_with=shared)


@require_POST
def delete(request: AuthenticatedRequest, learning_entry_id: int) -> HttpResponse:
    found = selectors.owned_entry_or_404(request.user, learning_entry_id)
    services.entry_delete(entry=found, by=request.user)
    messages.success(request, _("The entry was deleted."))
    return redirect(reverse("learning:index"))


@require_GET
def search(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.for_search_page(
        request.user, request.GET.get("q", ""), request.GET.get("older")
    )
    return render(request, "learning/search.html", {"found": page})


@require_http_methods(["GET", "POST"])
def handbook(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    """A team's entries shared with the whole organisation and its retrospective summaries
    approved for the handbook, chosen and downloaded as pages for its handbook (a zip of
    Markdown for Jekyll and just-the-docs)."""
    page = selectors.for_handbook_page(request.user, unit_id)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("entry") if value.isdigit()]
        chosen = selectors.handbook_entries_chosen(request.user, page.unit, ids)
        retro_ids = [int(value) for value in request.POST.getlist("summary") if value.isdigit()]
        summaries = selectors.handbook_summaries_chosen(page.unit, retro_ids)
        if not chosen and not summaries:
            messages.error(request, _("Choose at least one entry for the handbook."))
            return redirect("learning:handbook", unit_id=page.unit.pk)
        folder = slug_of(page.unit.name)
        with translation.override("da"):
            pages = team_pages(page.unit.name, page.unit.pk, chosen, folder, summaries)
        response = HttpResponse(handbook_zip(pages), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="haandbog-{folder}.zip"'
        return response
    return render(request, "learning/handbook.html", {"handbook": page})


@require_GET
def team(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    page = selectors.for_team_page(request.user, unit_id, request.GET.get("older"))
    return render(request, "learning/shared.html", {"shared": page})


@require_GET
def organisation(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.for_organisation_page(request.user, request.GET.get("older"))
    return render(request, "learning/shared.html", {"shared": page})
