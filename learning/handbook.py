"""Learning as pages of a team's handbook: Markdown for a Jekyll site with the just-the-docs
theme, as OS2's secretariat keeps its handbook ("dokumentation i GitHub, håndbogen og
Nextcloud").

Only what is shared with the whole organisation is exported, and the summaries of
retrospectives their facilitator approved for it: a handbook is read by more than the team.
The pages name no author: they carry what was learned, not who learned it, and a summary
carries groups, votes, decisions and actions, never a note.

The navigation follows just-the-docs' rules: each team has an index page (`has_children:
true`) whose title is the `parent` of its entries' pages; titles are unique among siblings
(a repeated title gets its date); `nav_order` is a number, stable, from the entry's date (the
team's index page: from the unit's id). Everything a person wrote is escaped for Markdown's
HTML and kept out of Liquid's reach (`{% raw %}`), so an entry can neither run a template
tag nor put HTML into the site."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learning.links import link_of
from learning.models import Entry
from learning.retro_selectors import Summary

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


@dataclass(frozen=True)
class Page:
    """One Markdown file: its path in the export, and its text with front matter."""

    path: str
    title: str
    parent: str | None
    nav_order: int
    text: str


def slug_of(text: str) -> str:
    """A file name's part safe on every system and in every URL: "Møde om åbne data" becomes
    "moede-om-aabne-data"."""
    return slugify(text.translate(_DANISH))[:60].strip("-") or "side"


def _quoted(text: str) -> str:
    """A YAML string in double quotes. Control characters (C0 and C1) and U+FFFE, U+FFFF become
    spaces: YAML allows most of them in no document, and with one in its front matter Jekyll
    builds the page without layout, title or place in the navigation."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]", " ", escaped) + '"'


def _title(text: str) -> str:
    """A title for the front matter, as HTML: just-the-docs puts titles into its navigation and
    breadcrumbs as they are, where `<` in a title would open a tag."""
    return _quoted(html.escape(text, quote=False))


def _front_matter(title: str, nav_order: int, parent: str | None, children: bool) -> str:
    lines = ["---", f"title: {_title(title)}"]
    if parent is not None:
        lines.append(f"parent: {_title(parent)}")
    lines += [f"nav_order: {nav_order}", "layout: default"]
    if children:
        lines.append("has_children: true")
    return "\n".join([*lines, "---", ""])


def _text(text: str) -> str:
    """What a person wrote, as Markdown that shows it as written: no HTML, no Liquid."""
    escaped = html.escape(text.strip(), quote=False)
    escaped = re.sub(r"([\\`*_\[\]#|])", r"\\\1", escaped)
    return escaped.replace("endraw", "end&#8203;raw")


def _raw(body: str) -> str:
    return "{% raw %}\n" + body + "\n{% endraw %}\n"


def nav_order_of(day: date) -> int:
    """Stable, from the date: 20261202 for 2 December 2026, so pages follow the calendar."""
    return day.year * 10000 + day.month * 100 + day.day


@dataclass(frozen=True)
class _Item:
    """An entry or a summary on its way to a page: its day, title, and body after the
    heading."""

    day: date
    key: tuple[int, int]
    title: str
    body: list[str]


def _entry_item(entry: Entry) -> _Item:
    day = date_format(entry.happened_on, "DATE_FORMAT")
    body = [f"*{_text(entry.get_kind_display())}, {day}*", ""]
    body += [f"## {_('What did I learn')}", "", _text(entry.learned), ""]
    if entry.for_others:
        body += [f"## {_('What can others use')}", "", _text(entry.for_others), ""]
    if entry.links:
        body += [f"## {_('Links')}", ""]
        for url in entry.links:
            link = link_of(url)
            label = f"{link.label}: " if link.place else ""
            safe = url.replace("<", "%3C").replace(">", "%3E")
            body.append(f"- {_text(label)}<{safe}>")
        body.append("")
    return _Item(entry.happened_on, (0, entry.pk), entry.title, body)


def _cell(text: str) -> str:
    return " ".join(_text(text).split()) or "–"


def _summary_item(summary: Summary) -> _Item:
    """A retrospective's summary: its groups with their votes and decisions, and its actions.
    Never a note and never a name: not of the notes' writers, nor of the actions' owners."""
    retro = summary.retro
    title = _("Retrospective: %(title)s") % {"title": retro.title}
    day = date_format(retro.held_on, "DATE_FORMAT")
    kind = _("Retrospective")
    body = [f"*{_text(kind)}, {day}*", ""]
    if summary.groups:
        body += [f"## {_('What we agreed')}", ""]
        body += [f"| {_('Group')} | {_('Votes')} | {_('What we decided')} |", "|---|--:|---|"]
        for view in summary.groups:
            group = view.group
            body.append(f"| {_cell(group.title)} | {group.votes} | {_cell(group.decision)} |")
        body.append("")
    if summary.actions:
        body += [f"## {_('Actions')}", ""]
        for action in summary.actions:
            line = f"- {_text(action.goal.title)}"
            if action.goal.due_date:
                due = date_format(action.goal.due_date, "DATE_FORMAT")
                line += f" ({_text(_('due %(day)s') % {'day': due})})"
            body.append(line)
        body.append("")
    return _Item(retro.held_on, (1, retro.pk), title, body)


def team_pages(
    team: str,
    team_order: int,
    entries: Iterable[Entry],
    folder: str,
    summaries: Iterable[Summary] = (),
) -> list[Page]:
    """The index page of `team` and a page per entry and per retrospective summary, in
    `folder` (the team's slug)."""
    index_title = _("Learning in %(name)s") % {"name": team}
    items = sorted(
        [*map(_entry_item, entries), *map(_summary_item, summaries)],
        key=lambda item: (item.day, item.key),
    )
    seen: dict[str, int] = {}
    for item in items:
        seen[item.title] = seen.get(item.title, 0) + 1
    names: set[str] = set()
    pages: list[Page] = []
    for item in items:
        day = date_format(item.day, "DATE_FORMAT")
        title = item.title if seen[item.title] == 1 else f"{item.title} ({day})"
        if title in names:  # the same title on the same day
            title = f"{title} #{item.key[1]}"
        names.add(title)
        base = f"{item.day.isoformat()}-{slug_of(item.title)}"
        path, n = f"{folder}/{base}.md", 2
        while any(page.path == path for page in pages):
            path, n = f"{folder}/{base}-{n}.md", n + 1
        body = [f"# {_text(title)}", "", *item.body]
        pages.append(
            Page(
                path,
                title,
                index_title,
                nav_order_of(item.day),
                _front_matter(title, nav_order_of(item.day), index_title, False)
                + _raw("\n".join(body).rstrip()),
            )
        )
    intro = _("What the people of %(name)s have learned and shared, newest last.") % {"name": team}
    index = Page(
        f"{folder}/index.md",
        index_title,
        None,
        team_order,
        _front_matter(index_title, team_order, None, True)
        + _raw(f"# {_text(index_title)}\n\n{_text(intro)}"),
    )
    return [index, *pages]


def handbook_zip(pages: Iterable[Page]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for page in pages:
            archive.writestr(page.path, page.text)
    return buffer.getvalue()
