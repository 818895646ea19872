from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedRequest
from organisation.models import Unit
from organisation.selectors import team_page, teams_for


@require_GET
def teams(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "organisation/teams.html", {"memberships": teams_for(request.user)})


@require_GET
def team(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    try:
        unit = Unit.objects.visible_to(request.user).select_related("team").get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None
    return render(request, "organisation/team.html", team_page(unit=unit, user=request.user))
