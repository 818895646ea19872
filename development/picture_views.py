"""The team picture's pages: a leader's for a unit they lead, an administrator's for the whole
organisation. Only anonymous figures, never a name (development.picture)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import administrator_required
from core.http import AuthenticatedRequest
from development import picture


@require_GET
def team_picture(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    """The picture of a unit the reader leads (or of a unit below it); 404 for anyone else."""
    page = picture.for_leaders_picture(request.user, unit_id)
    return render(request, "development/picture.html", {"picture": page, "admin": False})


@administrator_required
@require_GET
def organisation_picture(request: AuthenticatedRequest) -> HttpResponse:
    """The picture of the top of the tree, or of the unit in `?open=<id>`."""
    page = picture.for_administrators_picture(_open_id(request))
    return render(request, "development/admin/picture.html", {"picture": page, "admin": True})


def _open_id(request: AuthenticatedRequest) -> int | None:
    """The id in `?open=`, or None without it; anything but an id is a unit that is not there."""
    if "open" not in request.GET:
        return None
    value = request.GET["open"]
    if not value.isdigit():
        raise Http404
    return int(value)
