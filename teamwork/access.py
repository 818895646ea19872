"""Who may read and change a team's content. Reading follows the team page (a unit's people,
the leaders above it, administrators); changing is for the unit's own members and leaders.
Help requests have their own `visible_to`. Forbidden and missing give the same 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from organisation.models import Unit
from teamwork.models import Goal, HelpRequest, WorkingAgreement


def readable_unit_or_404(user: Any, unit_id: int) -> Unit:
    """A unit whose team page `user` may open."""
    try:
        return Unit.objects.visible_to(user).get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None


def own_unit_or_404(user: Any, unit_id: int) -> Unit:
    """A unit `user` is a member or leader of: only they change its team content."""
    try:
        return Unit.objects.visible_to(user).filter(memberships__user=user).get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None


def help_request_or_404(user: Any, help_request_id: int) -> HelpRequest:
    try:
        return (
            HelpRequest.objects.visible_to(user)
            .select_related("asker", "unit")
            .get(pk=help_request_id)
        )
    except HelpRequest.DoesNotExist:
        raise Http404 from None


def goal_or_404(user: Any, unit: Unit, goal_id: int) -> Goal:
    try:
        return (
            Goal.objects.visible_to(user)
            .select_related("team__unit", "owner")
            .get(pk=goal_id, team__unit=unit)
        )
    except Goal.DoesNotExist:
        raise Http404 from None


def agreement_or_404(unit: Unit, agreement_id: int) -> WorkingAgreement:
    """An agreement of `unit`; the caller has already checked who may change the unit's."""
    try:
        return WorkingAgreement.objects.select_related("team").get(pk=agreement_id, team__unit=unit)
    except WorkingAgreement.DoesNotExist:
        raise Http404 from None
