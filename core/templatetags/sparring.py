from __future__ import annotations

from datetime import date

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.dates import week_label

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """A DKFDS icon from the sprite the app serves; decorative unless it has a label."""
    href = f"{static('vendor/dkfds/img/all-svg-icons.svg')}#{name}"
    if label:
        return format_html(
            '<svg class="icon-svg" focusable="false" role="img" aria-label="{}">'
            '<use href="{}"></use></svg>',
            label,
            href,
        )
    return format_html(
        '<svg class="icon-svg" focusable="false" aria-hidden="true"><use href="{}"></use></svg>',
        href,
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


@register.filter(name="week")
def week(day: date | None) -> str:
    """{{ checkin.week|week }}: "uge 49, 2026", the one way a week is written."""
    return week_label(day) if day else ""
