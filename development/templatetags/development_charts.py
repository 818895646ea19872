"""A person's level in a focus area over their self-assessments, as SVG written on the server
(as the wellbeing charts in `pulse_charts` are): no script, nothing the page's content security
policy forbids. The chart stands beside a table with the same levels, which is what a screen
reader reads; the chart itself is described in a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from development.models import LEVELS
from development.selectors import AreaHistory

register = template.Library()

WIDTH, HEIGHT = 400, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 16, 12, 30
# More dates than this under the line would run into each other: the first, the last and
# evenly between them are written.
LABELS_SHOWN = 4


def _short(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment).date(), "SHORT_DATE_FORMAT")


def _labelled(count: int) -> list[int]:
    if count <= LABELS_SHOWN:
        return list(range(count))
    step = (count - 1) / (LABELS_SHOWN - 1)
    return sorted({round(i * step) for i in range(LABELS_SHOWN)})


@register.simple_tag
def level_chart(area: AreaHistory, dates: Sequence[datetime]) -> SafeString:
    """The area's level at each self-assessment, oldest first, on the scale from 1 to 4: one
    point per assessment, joined by a line, with a gap where an assessment did not have the
    area."""
    low, high = LEVELS[0], LEVELS[-1]
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(dates)
    step = inner_w / max(count - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if count > 1 else inner_w / 2)

    def y(level: int) -> float:
        return TOP + inner_h * (high - level) / (high - low)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"></line>'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, f"{y(v):.1f}", f"{y(v):.1f}", LEFT - 8, f"{y(v) + 4:.1f}", v)
            for v in LEVELS
        ),
    )

    def anchor(i: int) -> str:
        if count == 1:
            return "middle"
        return "start" if i == 0 else "end" if i == count - 1 else "middle"

    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-label" text-anchor="{}">{}</text>',
        ((f"{x(i):.1f}", HEIGHT - 8, anchor(i), _short(dates[i])) for i in _labelled(count)),
    )
    lines: list[tuple[str]] = []
    run: list[str] = []
    for i, level in enumerate([*area.levels, None]):
        if level is None:
            if run:
                lines.append((" ".join(run),))
            run = []
        else:
            run.append(f"{x(i):.1f},{y(level):.1f}")
    points = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="5" class="chart-point"><title>{}: {}</title></circle>',
        (
            (f"{x(i):.1f}", f"{y(level):.1f}", _short(dates[i]), level)
            for i, level in enumerate(area.levels)
            if level is not None
        ),
    )
    description = _(
        "Line chart of your level in %(area)s at each self-assessment, from 1 to 4. The levels "
        "are in the table below."
    ) % {"area": area.name}
    return format_html(
        '<svg class="trend-chart level-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'focusable="false">{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        description,
        grid,
        ticks,
        format_html_join("", '<polyline points="{}" class="chart-line"></polyline>', lines),
        points,
    )
