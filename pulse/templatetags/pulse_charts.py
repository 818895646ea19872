"""Charts of the pulse's figures as SVG written on the server: no script, nothing the page's
content security policy forbids. Each chart stands beside a table with the same figures, which
is what a screen reader reads; the chart itself is described in a sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.templatetags.sparring import whole_number
from pulse.models import Action, Question, Round
from pulse.selectors import EnergyResult, RoundResult

register = template.Library()

# One colour per point of the scale, from red through grey to blue (after ColorBrewer's RdBu,
# which diverges in a way the common kinds of colour blindness still tell apart, unlike red
# and green), each with at least 3:1 contrast against the white page (WCAG 1.4.11); the
# segments are also set apart by a gap.
SCALE_COLOURS = ("#b2182b", "#d6604d", "#8c8c8c", "#4393c3", "#2166ac")


@register.filter
def for_question(actions: Mapping[int, list[Action]], question: Question) -> list[Action]:
    return actions.get(question.pk, [])


@register.simple_tag
def scale_colour(value: int) -> str:
    return SCALE_COLOURS[value - 1]


@register.simple_tag
def distribution_bar(counts: Sequence[int]) -> SafeString:
    """How one question's answers spread over the scale, as one bar of five coloured parts.
    Decorative: the counts are in the table row beside it. Numbers and colours only."""
    total = sum(counts)
    parts = []
    start = 0.0
    for value, count in enumerate(counts, start=1):
        if not count or not total:
            continue
        width = 100 * count / total
        parts.append(
            f'<rect x="{start:.2f}" width="{max(width - 0.6, 0.4):.2f}" height="10" '
            f'fill="{SCALE_COLOURS[value - 1]}"></rect>'
        )
        start += width
    return mark_safe(  # noqa: S308 (numbers and colours)
        '<svg class="distribution-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{"".join(parts)}</svg>'
    )


WIDTH, HEIGHT = 400, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 16, 12, 30


@register.simple_tag
def trend_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    description: str,
    groups: Sequence[object] | None = None,
) -> SafeString:
    """A line over the scale from 1 to 5, one point per label in the order given; a gap where
    a value may not be shown, and where the figures are of another group (`groups`) than the
    point before, since a line between two groups is no trend. `description` says in a
    sentence what the chart shows and where its figures are."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return TOP + inner_h * (5 - value) / 4

    grid = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
        'class="chart-grid"></line>'
        f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" class="chart-label" text-anchor="end">{v}</text>'
        for v in range(1, 6)
    )
    ticks = "".join(
        f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" class="chart-label" text-anchor="middle">'
        f"{escape(str(label))}</text>"
        for i, label in enumerate(labels)
    )
    lines: list[str] = []
    run: list[str] = []
    same = list(groups) if groups is not None else [None] * len(values)
    for i, value in enumerate([*values, None]):
        if run and (value is None or same[i] != same[i - 1]):
            lines.append(f'<polyline points="{" ".join(run)}" class="chart-line"></polyline>')
            run = []
        if value is not None:
            run.append(f"{x(i):.1f},{y(float(value)):.1f}")
    separator = get_format("DECIMAL_SEPARATOR")
    points = "".join(
        f'<circle cx="{x(i):.1f}" cy="{y(float(value)):.1f}" r="4" class="chart-point">'
        f"<title>{escape(str(labels[i]))}: {_one_decimal(value, separator)}</title></circle>"
        for i, value in enumerate(values)
        if value is not None
    )
    # The labels and description escaped here; the rest are numbers.
    return mark_safe(  # noqa: S308
        f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(description)}" focusable="false">'
        f"{grid}{ticks}{''.join(lines)}{points}</svg>"
    )


def _one_decimal(value: Decimal, separator: str) -> str:
    """A figure of the scale (1 to 5, or a change between two) already rounded to one
    decimal (`pulse.selectors.one_decimal`), as `number_format(value, decimal_pos=1)` writes
    it: no thousands to group, and no digits beyond the first decimal to cut off."""
    return f"{value:.1f}".replace(".", separator)


@register.simple_tag
def rounds_chart(results: Sequence[RoundResult]) -> SafeString:
    """The average of all questions per round, oldest round first."""
    ordered = list(reversed(results))
    return trend_chart(
        [str(result.round.number) for result in ordered],
        [result.average for result in ordered],
        _(
            "Line chart of the average of all questions per round, from 1 to 5. "
            "The figures are in the table below."
        ),
        [result.group for result in ordered],
    )


@register.simple_tag
def energy_chart(weeks: Sequence[EnergyResult]) -> SafeString:
    """The average energy per week, oldest week first."""
    return trend_chart(
        [week.iso_week for week in weeks],
        [week.average for week in weeks],
        _(
            "Line chart of the average energy per week, from 1 to 5. "
            "The figures are in the table below."
        ),
        [week.group for week in weeks],
    )


def round_week(round_: Round) -> int:
    """The week a round opened in, as people name it ("uge 40")."""
    return timezone.localtime(round_.opens_at).isocalendar().week


@register.simple_tag
def change_since(change: Decimal | None, since: Round | None) -> SafeString:
    """A figure's change since an older round as a signed number ("+0,3"), with the sentence
    a screen reader reads ("up 0.3 since week 40"); nothing when there is no change to show."""
    if change is None or since is None:
        return mark_safe("")
    size = _one_decimal(abs(change), get_format("DECIMAL_SEPARATOR"))
    week = round_week(since)
    if change > 0:
        shown, said = f"+{size}", _("up %(size)s since week %(week)d")
    elif change < 0:
        shown, said = f"\u2212{size}", _("down %(size)s since week %(week)d")
    else:
        shown, said = size, _("unchanged since week %(week)d")
    return mark_safe(  # noqa: S308 (the sentence escaped here; the rest a number)
        f'<span class="change" aria-hidden="true">{shown}</span>'
        f'<span class="sr-only">{escape(said % {"size": size, "week": week})}</span>'
    )


@register.filter
def week_of(round_: Round) -> int:
    return round_week(round_)


@register.simple_tag
def heat_legend() -> SafeString:
    """The heatmap's five colours with the averages each stands for (an average is coloured
    by its value rounded to a whole point, halves up)."""
    steps = [
        (step, Decimal(low), Decimal(high))
        for step, low, high in (
            (1, "1.0", "1.4"),
            (2, "1.5", "2.4"),
            (3, "2.5", "3.4"),
            (4, "3.5", "4.4"),
            (5, "4.5", "5.0"),
        )
    ]
    return format_html(
        '<ul class="heat-legend" aria-label="{}">{}</ul>',
        _("Colours of the averages"),
        format_html_join(
            "",
            '<li class="heat-{}">{}\u2013{}</li>',
            (
                (step, number_format(low, decimal_pos=1), number_format(high, decimal_pos=1))
                for step, low, high in steps
            ),
        ),
    )


@register.simple_tag
def count_cells(counts: Sequence[int]) -> SafeString:
    """A question's answers per point of the scale as table cells, each labelled with its
    point for the stacked table on a phone. One tag for the row, as `heat_cells`."""
    return mark_safe(  # noqa: S308 (numbers only)
        "".join(
            f'<td class="text-align-right count-cell" data-label="{point}">'
            f"{whole_number(count)}</td>"
            for point, count in enumerate(counts, start=1)
        )
    )


@register.simple_tag
def heat_cells(averages: Sequence[Decimal | None]) -> SafeString:
    """A report row's averages as table cells, each coloured by its value rounded to a whole
    point, halves up (as the legend says), and a dash where the engine shows none. One tag for
    the row rather than filters for each cell: a report has a dozen cells to a row. Written
    out rather than through `number_format` and `format_html` for each of the report's
    hundreds of cells (a third of its rendering): an average of one decimal between 1 and 5
    needs only the language's decimal separator, and the cells hold nothing but numbers."""
    separator = get_format("DECIMAL_SEPARATOR")
    cells = "".join(_heat_cell(mean, separator) for mean in averages)
    return mark_safe(cells)  # noqa: S308 (numbers and a separator only)


def _heat_cell(mean: Decimal | None, separator: str) -> str:
    if mean is None:
        return '<td class="text-align-right">–</td>'
    step = mean.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f'<td class="text-align-right heat-{step}">{_one_decimal(mean, separator)}</td>'
