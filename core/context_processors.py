from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool


# (label, url name, the namespaces whose pages count as "here")
_MENU = [
    (_("My page"), "core:home", {"core"}),
    (_("Check-ins"), "checkins:list", {"checkins"}),
    (_("Reflections"), "reflections:list", {"reflections"}),
    (_("My notes"), "profiles:list", {"profiles"}),
    (_("Feedback"), "feedback:index", {"feedback"}),
    (_("Recognition"), "recognition:feed", {"recognition"}),
    (_("Wellbeing"), "pulse:index", {"pulse"}),
    (_("My teams"), "organisation:teams", {"organisation", "teamwork"}),
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
    namespace = match.namespace if match else ""
    entries = [*_MENU, _ADMIN_MENU] if user.is_administrator else _MENU
    context["main_menu"] = [
        MenuItem(label, reverse(name), namespace in spaces) for label, name, spaces in entries
    ]
    # Shown in the header of every page: one count on the (recipient, read_at) index.
    context["notifications_unread"] = Notification.objects.for_recipient(user).unread().count()
    return context
