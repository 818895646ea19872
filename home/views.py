from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.http import AuthenticatedRequest
from home.selectors import (
    MinSide,
    TeamPage,
    for_administrators_start,
    for_min_side,
    for_team_page,
)
from organisation.selectors import for_teams_page


@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """ "Min side": where a person starts; their week, the leader's week for someone who leads,
    their teams and their own notes."""
    # The view reads the clock once; everything on the page is as of this moment.
    now = timezone.now()
    context = _context(for_min_side(request.user, now))
    context["administrators_start"] = for_administrators_start(user=request.user, now=now)
    return render(request, "home/index.html", context)


@require_GET
def teams(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "home/teams.html", {"memberships": for_teams_page(request.user)})


@require_GET
def team(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    page = for_team_page(unit_id=unit_id, user=request.user)
    return render(request, "home/team.html", _context(page))


def _context(page: MinSide | TeamPage) -> dict[str, Any]:
    # A page's fields are the names its template reads; not asdict(), which copies every row.
    return {field.name: getattr(page, field.name) for field in fields(page)}
