from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool
    icon: str = ""


# (label, url name, the namespaces or view names whose pages count as "here", the design
# system's icon)
_MENU = [
    (_("My page"), "home:index", {"home:index"}, "home"),
    (_("Write"), "checkins:list", {"checkins", "reflections", "profiles"}, "edit"),
    (_("Feedback"), "feedback:index", {"feedback"}, "forum"),
    (_("Conversations"), "conversations:index", {"conversations"}, "chat"),
    (_("Development"), "development:index", {"development"}, "student"),
    (_("Learning"), "learning:index", {"learning"}, "bookmarks"),
    (_("Recognition"), "recognition:feed", {"recognition"}, "star"),
    (_("Wellbeing"), "pulse:index", {"pulse"}, "analytics"),
    (_("My teams"), "home:teams", {"home:teams", "home:team", "teamwork"}, "groups"),
]
_ADMIN_MENU = (
    _("Administration"),
    "administration:index",
    {
        "administration",
        "chat_admin",
        "pulse_admin",
        "development_admin",
        "privacy_admin",
        "api_admin",
    },
    "settings",
)
# A person's own writing, private until they share it, in one place under "Write": so a
# newcomer finds where to write, and the main menu keeps few tabs.
_WRITING = [
    (_("Check-ins"), "checkins:list", {"checkins"}),
    (_("Reflections"), "reflections:list", {"reflections"}),
    (_("Notes"), "profiles:list", {"profiles"}),
]


def _address(name: str) -> str:
    return _address_under(name, get_script_prefix())


@lru_cache(maxsize=64)
def _address_under(name: str, prefix: str, args: tuple[str, ...] = ()) -> str:
    # A menu's addresses are the same on every page (under the prefix the server is mounted
    # at): worked out once a process, not ten times a page.
    return reverse(name, args=args)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def _languages(request: HttpRequest) -> list[LanguageLink]:
    """The footer's language switch, the current language first (as the design system shows
    it), each link coming back to this page."""
    here = get_language()
    back = "?next=" + quote(request.get_full_path(), safe="/")
    links = [
        LanguageLink(code, _language_name(code), _language_address(code) + back, code == here)
        for code, _name in settings.LANGUAGES
    ]
    return sorted(links, key=lambda link: not link.current)


@lru_cache(maxsize=8)
def _language_name(code: str) -> str:
    return str(capfirst(get_language_info(code)["name_local"]))


def _language_address(code: str) -> str:
    return _address_under("accounts:language", get_script_prefix(), (code,))


def sparring(request: HttpRequest) -> dict[str, Any]:
    # The prefix the server is mounted at: what base.html's parts rendered once a process vary
    # on when they hold addresses.
    context: dict[str, Any] = {
        "page_prefix": get_script_prefix(),
        "languages": _languages(request),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    match = request.resolver_match
    here = {match.namespace, match.view_name} if match else set()
    entries = [*_MENU, _ADMIN_MENU] if user.is_administrator else _MENU
    context["main_menu"] = [
        MenuItem(label, _address(name), bool(here & spaces), icon)
        for label, name, spaces, icon in entries
    ]
    # What the menu's HTML depends on besides the language (base.html renders it once a process
    # for each): its entries' addresses, under the prefix the server is mounted at, and which
    # is here.
    context["main_menu_key"] = " ".join(
        f"{item.url}{'*' if item.current else ''}" for item in context["main_menu"]
    )
    if any(here & spaces for _label, _name, spaces in _WRITING):
        context["writing_menu"] = [
            MenuItem(label, _address(name), bool(here & spaces)) for label, name, spaces in _WRITING
        ]
    return context
