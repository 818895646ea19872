from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import SharingError, get_owned_or_404, get_visible_or_404
from core.http import AuthenticatedRequest
from profiles.forms import NoteForm
from profiles.models import ProfileNote
from profiles.services import note_delete, note_save


@require_GET
def note_list(request: AuthenticatedRequest) -> HttpResponse:
    notes = ProfileNote.objects.owned_by(request.user).prefetch_related("shared_with")
    shared = (
        ProfileNote.objects.visible_to(request.user)
        .exclude(owner=request.user)
        .select_related("owner")[:50]
    )
    return render(request, "profiles/list.html", {"notes": notes, "shared": shared})


@require_GET
def note_detail(request: AuthenticatedRequest, note_id: int) -> HttpResponse:
    note: ProfileNote = get_visible_or_404(
        ProfileNote.objects.select_related("owner"), request.user, pk=note_id
    )
    return render(
        request,
        "profiles/detail.html",
        {"note": note, "is_owner": note.is_owned_by(request.user)},
    )


@require_http_methods(["GET", "POST"])
def note_edit(request: AuthenticatedRequest, note_id: int | None = None) -> HttpResponse:
    note = (
        get_owned_or_404(ProfileNote.objects, request.user, pk=note_id)
        if note_id
        else ProfileNote(owner=request.user)
    )
    form = NoteForm(request.POST or None, instance=note, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            note_save(
                note=note,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except SharingError as error:
            form.add_error("shared_with", str(error))
        else:
            messages.success(request, _("Your note was saved."))
            return redirect(note)
    return render(request, "profiles/form.html", {"form": form, "note": note})


@require_POST
def note_remove(request: AuthenticatedRequest, note_id: int) -> HttpResponse:
    note: ProfileNote = get_owned_or_404(ProfileNote.objects, request.user, pk=note_id)
    note_delete(note=note)
    messages.success(request, _("Your note was deleted."))
    return redirect("profiles:list")
