from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.dates import week_label

register = template.Library()


@cache
def _sprite() -> str:
    """The address of the icons' sprite: looked up in the static files' manifest once, not for
    each of the dozens of icons a page has."""
    return static("vendor/dkfds/img/all-svg-icons.svg")


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """A DKFDS icon from the sprite the app serves; decorative unless it has a label."""
    if label:
        return format_html(
            '<svg class="icon-svg" focusable="false" role="img" aria-label="{}">'
            '<use href="{}"></use></svg>',
            label,
            f"{_sprite()}#{name}",
        )
    return _decorative_icon(name)


@lru_cache(maxsize=256)
def _decorative_icon(name: str) -> SafeString:
    """A decorative icon is the same markup wherever it is: written once per name."""
    return format_html(
        '<svg class="icon-svg" focusable="false" aria-hidden="true"><use href="{}"></use></svg>',
        f"{_sprite()}#{name}",
    )


_ALERT = {"error": "error", "warning": "warning", "success": "success"}


@register.simple_tag
def alert_icon(level: str) -> SafeString:
    kind = _ALERT.get(level, "info")
    labels = {
        "error": _("Error"),
        "warning": _("Warning"),
        "success": _("Success"),
        "info": _("Information"),
    }
    href = f"{static('vendor/dkfds/img/all-svg-icons.svg')}#{kind}"
    return format_html(
        '<svg class="icon-svg alert-icon" focusable="false" role="img" aria-label="{}">'
        '<use href="{}"></use></svg>',
        labels[kind],
        href,
    )


@register.simple_tag
def bar(value: int, largest: int, width: int = 120) -> SafeString:
    """A bar for a count, as an SVG (the page's CSP allows no inline styles). Decorative: the
    count itself is in the table beside it."""
    length = round(width * value / largest) if largest > 0 else 0
    return format_html(
        '<svg class="count-bar" width="{}" height="12" aria-hidden="true" focusable="false">'
        '<rect width="{}" height="12"></rect></svg>',
        width,
        length,
    )


def whole_number(count: int) -> str:
    """A count as `number_format` writes it ("25.000" in Danish), for tags that write many:
    below a thousand, it is written the same in every language, with no separator."""
    return str(count) if 0 <= count < 1000 else str(number_format(count))


@register.filter(name="week")
def week(day: date | None) -> str:
    """{{ checkin.week|week }}: "uge 49, 2026", the one way a week is written."""
    return week_label(day) if day else ""


# Avatar backgrounds, each with white text at a contrast of at least 5:1 (WCAG AA asks 4.5:1).
# The class names, not the colours, are chosen here: the page's CSP allows no inline style.
AVATAR_COLOURS = 8


def initials(name: str) -> str:
    """The first letters of a name's first and last word: "Anne Marie Holm" gives "AH"."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


@register.simple_tag
def avatar(person: Any) -> SafeString:
    """A circle with a person's initials in a colour that follows their id, not their name, so it
    stays when they change it. Decorative: the name is always written beside it. Someone
    whose account is gone (None) gets a neutral circle."""
    if person is None:
        return mark_safe('<span class="avatar avatar-gone" aria-hidden="true">?</span>')
    return format_html(
        '<span class="avatar avatar-{}" aria-hidden="true">{}</span>',
        (person.pk or 0) % AVATAR_COLOURS,
        initials(person.display_name),
    )
