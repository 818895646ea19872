"""The kinds of things Sparring tells people about. A kind names a reason to tell someone and
says which channels it uses until the person chooses otherwise on their settings page.

Apps register their own kinds at import time, next to the code that sends them:

    from notifications.kinds import register_kind

    register_kind(
        "goal_due",
        label=_("Goal due"),
        description=_("A goal you own is due soon."),
        email=False,
    )

A module that registers kinds must be imported when Django starts (from the app's
`AppConfig.ready()`, or a `tasks.py`, which the notifications app imports), so that the
settings page lists every kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    description: str | Promise
    in_app: bool = True
    email: bool = True


_KINDS: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    label: str | Promise,
    description: str | Promise,
    in_app: bool = True,
    email: bool = True,
) -> Kind:
    """Make a kind known, with the channels it uses by default. Registering the same kind again
    with the same defaults is harmless; a different kind under a taken name is a mistake."""
    if not name or len(name) > 50:
        raise ValueError(f"A notification kind needs a name of 1 to 50 characters: {name!r}")
    kind = Kind(name, label, description, in_app, email)
    existing = _KINDS.get(name)
    if existing is not None and existing != kind:
        raise ValueError(f"The notification kind {name!r} is already registered differently")
    _KINDS[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    """The registered kind; an unknown name is a programming error, so it raises LookupError."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Unknown notification kind {name!r}; register it first") from None


def all_kinds() -> list[Kind]:
    """Every registered kind, in the order they were registered."""
    return list(_KINDS.values())


register_kind(
    "checkin_reminder",
    label=_("Check-in reminder"),
    description=_("A reminder on your team's check-in day."),
)
register_kind(
    "help_request",
    label=_("Help requests"),
    description=_("A colleague in one of your teams asks for help."),
)
register_kind(
    "help_offer",
    label=_("Offers of help"),
    description=_("Someone offers to help with something you asked for help with."),
)
register_kind(
    "agreement_revisit",
    label=_("Revisiting working agreements"),
    description=_("It is time for your team to look at its working agreements again."),
    email=False,
)
