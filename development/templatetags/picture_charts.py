"""The team picture's bars, as SVG written on the server (the page's content security policy
allows no inline style). Decorative: every figure is in the table beside its bar."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# Levels 1 to 4 from light to dark blue, each at least 3:1 against the white page (WCAG
# 1.4.11), and set apart by a gap as well as by colour.
LEVEL_COLOURS = ("#5b8fc7", "#3a74b5", "#1f5a9e", "#0b3d73")


@register.simple_tag
def level_colour(level: int) -> str:
    return LEVEL_COLOURS[level - 1]


@register.simple_tag
def level_bar(levels: Sequence[int]) -> SafeString:
    """How an area's levels spread, as one bar of up to four parts."""
    total = sum(levels)
    parts = []
    start = 0.0
    for level, count in enumerate(levels, start=1):
        if not count or not total:
            continue
        width = 100 * count / total
        parts.append((f"{start:.2f}", f"{max(width - 0.6, 0.4):.2f}", LEVEL_COLOURS[level - 1]))
        start += width
    return format_html(
        '<svg class="distribution-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{}</svg>',
        format_html_join("", '<rect x="{}" width="{}" height="10" fill="{}"></rect>', parts),
    )
