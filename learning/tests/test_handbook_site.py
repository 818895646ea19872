"""The handbook's pages build into a site with Debian's Jekyll (`make jekyll` installs it), as a
handbook repository's site is built: a page per entry and an index per team, each in the
navigation under its team, and nothing that is not shared with the whole organisation.

just-the-docs is not packaged in Debian, and its gem cannot be fetched in CI, so a layout of
the test's own stands in for the theme's: it shows the page's title and parent as the theme
does (unescaped, so a title must be HTML already) and lists a page's children with the theme's
Liquid (the site's HTML pages whose `parent` is the page's title, sorted by `nav_order`). No
Gemfile: Jekyll runs with what Debian installs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from learning import services
from learning.models import Entry, EntryKind
from learning.services import EntryText
from learning.tests.test_handbook import closed_retrospective

pytestmark = [pytest.mark.site, pytest.mark.usefixtures("clock")]

CONFIG = """\
title: Håndbogen
"""

# just-the-docs' navigation, cut down: a page's children are the site's HTML pages whose parent
# is its title, sorted by nav_order (the theme's _includes/components/nav/*.html).
LAYOUT = """\
<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body>
<p class="parent">{{ page.parent }}</p>
<nav><ul>
{%- assign children = site.html_pages | where: "parent", page.title | sort: "nav_order" %}
{%- for child in children %}
<li><a href="{{ child.url | relative_url }}">{{ child.title }}</a></li>
{%- endfor %}
</ul></nav>
<main>
{{ content }}
</main>
</body>
</html>
"""


def _entry(
    cast: Cast, title: str, days_ago: int, visibility: str = Visibility.ORGANISATION, **extra: Any
) -> Entry:
    return services.entry_create(
        owner=extra.pop("owner", cast.alice),
        text=EntryText(
            kind=EntryKind.REVIEW,
            title=title,
            happened_on=FROZEN_AT.date() - timedelta(days=days_ago),
            learned="Brugerne læste aldrig vejledningen.",
            visibility=visibility,
            **extra,
        ),
        now=FROZEN_AT,
    )


def _front_matter(path: Path) -> dict[str, Any]:
    matter: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return matter


def _jekyll_build(site: Path) -> None:
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        pytest.fail("The handbook's site is built with Debian's Jekyll: `make jekyll` installs it.")
    command = [
        jekyll,
        "build",
        "--quiet",
        "--source",
        str(site),
        "--destination",
        str(site / "_site"),
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"jekyll build failed ({error.returncode}):\n{error.stdout}\n{error.stderr}")


def _nav(page: str) -> list[tuple[str, str]]:
    """The navigation's links: (href, text), text with its whitespace as one space."""
    block = page.split("<nav>", 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', block)
    return [(href, " ".join(text.split())) for href, text in links]


def test_the_export_builds_into_a_site_with_jekyll(cast: Cast, tmp_path: Path) -> None:
    _entry(cast, "Evaluering af booking-systemet", 3)
    _entry(cast, "Møde om åbne data på Ærø", 2, owner=cast.bob)
    _entry(cast, "Evaluering af booking-systemet", 1)
    # HTML in a title, and a control character YAML cannot hold (U+0096, Windows-1252's en dash
    # in text read as Latin-1): Jekyll would build the page without its front matter.
    _entry(cast, "Æbler & <b>pærer</b>\x96", 4, owner=cast.lena)
    _entry(cast, "Budgetopfølgning", 2, owner=cast.eve)
    _entry(cast, "Løn og ærgrelser", 2, Visibility.PRIVATE)
    # An anonymous retrospective whose summary the facilitator approved for the handbook.
    closed_retrospective(cast, "Kvartalet", anonymous=True, published=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    call_command("handbook_export", str(docs), stdout=io.StringIO())
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "default.html").write_text(LAYOUT, encoding="utf-8")

    _jekyll_build(tmp_path)

    # Jekyll's default permalinks: docs/<team>/<name>.md becomes _site/docs/<team>/<name>.html
    # (index.md: index.html), and the site holds nothing else.
    written = sorted(path.relative_to(tmp_path) for path in docs.rglob("*.md"))
    built_root = tmp_path / "_site"
    built = sorted(path.relative_to(built_root) for path in built_root.rglob("*") if path.is_file())
    assert built == sorted(path.with_suffix(".html") for path in written)
    assert [str(path) for path in written] == [
        "docs/oekonomi/2026-11-29-budgetopfoelgning.md",
        "docs/oekonomi/index.md",
        "docs/sekretariatet/2026-11-27-aebler-bpaererb.md",
        "docs/sekretariatet/2026-11-28-evaluering-af-booking-systemet.md",
        "docs/sekretariatet/2026-11-29-moede-om-aabne-data-paa-aeroe.md",
        "docs/sekretariatet/2026-11-30-evaluering-af-booking-systemet.md",
        "docs/sekretariatet/2026-12-01-retrospektiv-kvartalet.md",
        "docs/sekretariatet/index.md",
    ]
    pages = {path: (built_root / path).read_text(encoding="utf-8") for path in built}

    # Every page has the layout, with the title of its front matter; an entry's page names
    # its team's index as parent and has the entry's title as its heading, as Jekyll renders it.
    for path in written:
        matter = _front_matter(tmp_path / path)
        page = pages[path.with_suffix(".html")]
        assert f"<title>{matter['title']}</title>" in page, path
        if path.name != "index.md":
            assert f'<p class="parent">{matter["parent"]}</p>' in page, path
            assert re.search(rf"<h1 [^>]*>{re.escape(matter['title'].strip())}", page), path

    sekretariatet = "/docs/sekretariatet/"
    assert _nav(pages[Path("docs/sekretariatet/index.html")]) == [
        (f"{sekretariatet}2026-11-27-aebler-bpaererb.html", "Æbler &amp; &lt;b&gt;pærer&lt;/b&gt;"),
        (
            f"{sekretariatet}2026-11-28-evaluering-af-booking-systemet.html",
            "Evaluering af booking-systemet (28. november 2026)",
        ),
        (
            f"{sekretariatet}2026-11-29-moede-om-aabne-data-paa-aeroe.html",
            "Møde om åbne data på Ærø",
        ),
        (
            f"{sekretariatet}2026-11-30-evaluering-af-booking-systemet.html",
            "Evaluering af booking-systemet (30. november 2026)",
        ),
        (f"{sekretariatet}2026-12-01-retrospektiv-kvartalet.html", "Retrospektiv: Kvartalet"),
    ]
    assert _nav(pages[Path("docs/oekonomi/index.html")]) == [
        ("/docs/oekonomi/2026-11-29-budgetopfoelgning.html", "Budgetopfølgning")
    ]

    text = "\n".join(pages.values())
    summary = pages[Path("docs/sekretariatet/2026-12-01-retrospektiv-kvartalet.html")]
    assert "Kortere møder. Fast slut." in summary and "Møder på højst 30 minutter" in summary
    # The summary's table is a table, with a group title that holds a "|".
    assert re.search(r"<td>Møderne \| tiden</td>\s*<td[^>]*>2</td>", summary)
    # No note of the retrospective, and nobody's name: of no writer, of no action's owner.
    assert "hemmelige" not in text and "løse note" not in text
    for person in (cast.alice, cast.bob, cast.lena, cast.eve):
        assert person.first_name not in text and person.last_name not in text
    assert "<b>" not in text
    assert "Løn og ærgrelser" not in text
    assert not any("Løn og" in (tmp_path / path).read_text(encoding="utf-8") for path in written)
