"""Learning as pages of a team's handbook: Markdown for a Jekyll site with the just-the-docs
theme, as OS2's secretariat keeps its handbook ("dokumentation i GitHub, håndbogen og
Nextcloud").

Only what is shared with the whole organisation is exported: a handbook is read by more than
the team. The pages name no author: they carry what was learned, not who learned it.

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
    """A YAML string in double quotes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f]", " ", escaped) + '"'


def _front_matter(title: str, nav_order: int, parent: str | None, children: bool) -> str:
    lines = ["---", f"title: {_quoted(title)}"]
    if parent is not None:
        lines.append(f"parent: {_quoted(parent)}")
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


def team_pages(team: str, team_order: int, entries: Iterable[Entry], folder: str) -> list[Page]:
    """The index page of `team` and a page per entry, in `folder` (the team's slug)."""
    index_title = _("Learning in %(name)s") % {"name": team}
    chosen = sorted(entries, key=lambda entry: (entry.happened_on, entry.pk))
    seen: dict[str, int] = {}
    for entry in chosen:
        seen[entry.title] = seen.get(entry.title, 0) + 1
    names: set[str] = set()
    pages: list[Page] = []
    for entry in chosen:
        day = date_format(entry.happened_on, "DATE_FORMAT")
        title = entry.title if seen[entry.title] == 1 else f"{entry.title} ({day})"
        if title in names:  # the same title on the same day
            title = f"{title} #{entry.pk}"
        names.add(title)
        base = f"{entry.happened_on.isoformat()}-{slug_of(entry.title)}"
        path, n = f"{folder}/{base}.md", 2
        while any(page.path == path for page in pages):
            path, n = f"{folder}/{base}-{n}.md", n + 1
        body = [f"# {_text(title)}", "", f"*{_text(entry.get_kind_display())}, {day}*", ""]
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
        pages.append(
            Page(
                path,
                title,
                index_title,
                nav_order_of(entry.happened_on),
                _front_matter(title, nav_order_of(entry.happened_on), index_title, False)
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
