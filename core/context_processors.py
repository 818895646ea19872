from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool


# (label, url name, the namespaces or view names whose pages count as "here")
_MENU = [
    (_("My page"), "home:index", {"home:index"}),
    (_("Check-ins"), "checkins:list", {"checkins"}),
    (_("Reflections"), "reflections:list", {"reflections"}),
    (_("My notes"), "profiles:list", {"profiles"}),
    (_("Feedback"), "feedback:index", {"feedback"}),
    (_("Recognition"), "recognition:feed", {"recognition"}),
    (_("Wellbeing"), "pulse:index", {"pulse"}),
    (_("My teams"), "home:teams", {"home:teams", "home:team", "teamwork"}),
]
_ADMIN_MENU = (
    _("Administration"),
    "administration:index",
    {"administration", "chat_admin", "pulse_admin"},
)


def sparring(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"organisation_name": settings.SPARRING_ORGANISATION_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    match = request.resolver_match
    here = {match.namespace, match.view_name} if match else set()
    entries = [*_MENU, _ADMIN_MENU] if user.is_administrator else _MENU
    context["main_menu"] = [
        MenuItem(label, reverse(name), bool(here & spaces)) for label, name, spaces in entries
    ]
    return context
