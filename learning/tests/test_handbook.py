"""Learning as pages of a team's handbook (Jekyll with just-the-docs): only entries shared with
the whole organisation, no author's name, file names safe for Danish letters, and the
navigation rules of just-the-docs (every parent exists, titles unique among siblings,
nav_order a number). What a person wrote can run no Liquid and add no HTML. The zip is for the
team's people, their leaders and administrators; the command writes into a folder."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from learning import services
from learning.handbook import Page, nav_order_of, slug_of, team_pages
from learning.models import Entry, EntryKind
from learning.services import EntryText

pytestmark = pytest.mark.usefixtures("clock")

NOW = FROZEN_AT


def _entry(
    cast: Cast, title: str, visibility: str = Visibility.ORGANISATION, **extra: Any
) -> Entry:
    return services.entry_create(
        owner=extra.pop("owner", cast.alice),
        text=EntryText(
            kind=EntryKind.REVIEW,
            title=title,
            happened_on=extra.pop("happened_on", NOW.date() - timedelta(days=3)),
            learned=extra.pop("learned", "Brugerne læste aldrig vejledningen."),
            visibility=visibility,
            **extra,
        ),
        now=NOW,
    )


def _front_matter(text: str) -> dict[str, Any]:
    assert text.startswith("---\n")
    matter, _rest = text[4:].split("\n---\n", 1)
    loaded: dict[str, Any] = yaml.safe_load(matter)
    return loaded


def navigation_problems(pages: dict[str, str]) -> list[str]:
    """just-the-docs' rules for a site's pages (path -> text)."""
    problems = []
    matters = {path: _front_matter(text) for path, text in pages.items()}
    parents = {m["title"] for m in matters.values() if m.get("has_children")}
    siblings: dict[str | None, list[str]] = {}
    for path, matter in matters.items():
        if not isinstance(matter.get("nav_order"), int):
            problems.append(f"{path}: nav_order is not a number")
        if matter.get("layout") != "default":
            problems.append(f"{path}: layout is not default")
        parent = matter.get("parent")
        if parent is not None and parent not in parents:
            problems.append(f"{path}: no page {parent!r} with children")
        siblings.setdefault(parent, []).append(matter["title"])
    for parent, titles in siblings.items():
        if len(titles) != len(set(titles)):
            problems.append(f"titles repeat under {parent!r}")
    return problems


def _zip(response: Any) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_file_names_are_safe_for_danish_letters() -> None:
    assert slug_of("Møde om åbne data på Ærø") == "moede-om-aabne-data-paa-aeroe"
    assert slug_of("!!!") == "side"
    assert nav_order_of(date(2026, 12, 2)) == 20261202


def test_the_team_downloads_its_pages_and_only_what_everyone_may_read(
    cast: Cast, client_for: Any
) -> None:
    shared = _entry(cast, "Evaluering af booking-systemet")
    again = _entry(cast, "Evaluering af booking-systemet", happened_on=NOW.date() - timedelta(1))
    team_only = _entry(cast, "Kun til teamet", Visibility.TEAM)
    private = _entry(cast, "Kun til mig", Visibility.PRIVATE)
    bob = client_for(cast.bob)
    url = reverse("learning:handbook", args=[cast.team.pk])
    page = bob.get(url).content.decode()
    assert "Evaluering af booking-systemet" in page
    assert "Kun til teamet" not in page and "Kun til mig" not in page

    ids = [shared.pk, again.pk, team_only.pk, private.pk]
    response = bob.post(url, {"entry": [str(pk) for pk in ids]})
    assert response["Content-Type"] == "application/zip"
    pages = _zip(response)
    assert sorted(pages) == [
        "sekretariatet/2026-11-28-evaluering-af-booking-systemet.md",
        "sekretariatet/2026-11-30-evaluering-af-booking-systemet.md",
        "sekretariatet/index.md",
    ]
    assert navigation_problems(pages) == []
    index = _front_matter(pages["sekretariatet/index.md"])
    assert index == {
        "title": "Læring i Sekretariatet",
        "nav_order": cast.team.pk,
        "layout": "default",
        "has_children": True,
    }
    first = _front_matter(pages["sekretariatet/2026-11-28-evaluering-af-booking-systemet.md"])
    assert first == {
        "title": "Evaluering af booking-systemet (28. november 2026)",
        "parent": "Læring i Sekretariatet",
        "nav_order": 20261128,
        "layout": "default",
    }
    text = "\n".join(pages.values())
    assert "Kun til teamet" not in text and "Kun til mig" not in text
    for person in (cast.alice, cast.bob, cast.lena):
        assert person.last_name not in text


def test_what_a_person_wrote_runs_no_liquid_and_adds_no_html(cast: Cast) -> None:
    entry = _entry(
        cast,
        'Om "citater" og \\ tegn',
        learned="{% include secret.html %} {{ site.github }} <script>alert(1)</script> "
        "{% endraw %} [link](javascript:alert(1))",
    )
    (index, page) = team_pages("Sekretariatet", 1, [entry], "sekretariatet")
    matter = _front_matter(page.text)
    assert matter["title"] == 'Om "citater" og \\ tegn'
    body = page.text.split("\n---\n", 1)[1]
    assert body.startswith("{% raw %}\n") and body.endswith("{% endraw %}\n")
    assert body.count("{% endraw %}") == 1
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert "\\[link\\]" in body
    assert isinstance(index, Page)


def test_titles_stay_unique_among_siblings(cast: Cast) -> None:
    same_day = [_entry(cast, "Sparring") for _ in range(3)]
    pages = team_pages("Sekretariatet", 1, same_day, "sekretariatet")
    assert navigation_problems({page.path: page.text for page in pages}) == []
    assert len({page.path for page in pages}) == 4


def test_strangers_get_404_and_administrators_may_export(cast: Cast, client_for: Any) -> None:
    entry = _entry(cast, "Evaluering")
    url = reverse("learning:handbook", args=[cast.team.pk])
    eve = client_for(cast.eve)
    assert eve.get(url).status_code == 404
    assert eve.post(url, {"entry": [str(entry.pk)]}).status_code == 404
    ada = client_for(cast.ada)
    assert "Evaluering" in ada.get(url).content.decode()
    assert ada.post(url, {"entry": [str(entry.pk)]})["Content-Type"] == "application/zip"
    # Nothing chosen: the page says so, and nothing is downloaded.
    response = ada.post(url, {"entry": ["x"]})
    assert response.status_code == 302 and response["Location"] == url


def test_the_command_writes_the_pages_into_a_folder(cast: Cast, tmp_path: Path) -> None:
    _entry(cast, "Netværk om GIS")
    _entry(cast, "Kun til teamet", Visibility.TEAM)
    _entry(cast, "Controlling", owner=cast.eve)
    out = io.StringIO()
    call_command("handbook_export", str(tmp_path), stdout=out)
    written = {
        str(path.relative_to(tmp_path)): path.read_text(encoding="utf-8")
        for path in tmp_path.rglob("*.md")
    }
    assert sorted(written) == [
        "oekonomi/2026-11-28-controlling.md",
        "oekonomi/index.md",
        "sekretariatet/2026-11-28-netvaerk-om-gis.md",
        "sekretariatet/index.md",
    ]
    assert navigation_problems(written) == []
    assert "4 pages for 2 teams" in out.getvalue()
    with pytest.raises(Exception, match="is not a folder"):
        call_command("handbook_export", str(tmp_path / "missing"))


def closed_retrospective(cast: Cast, title: str, *, anonymous: bool, published: bool) -> Any:
    """A closed retrospective of alice's team with bob: a group with votes and a decision,
    an action that became a team goal, and notes that must never reach the handbook."""
    from learning import retro_services as retro
    from learning.models import RetroPhase

    run = retro.retrospective_create(
        facilitator=cast.alice,
        unit=cast.team,
        setup=retro.RetroSetup(
            title=title, template="4l", anonymous=anonymous, participants=(cast.bob,)
        ),
        now=NOW,
    )

    def on(phase: str) -> Any:
        nonlocal run
        while run.phase != phase:
            run = retro.phase_next(retro=run, by=cast.alice, now=NOW)
        return run

    on(RetroPhase.WRITING)
    retro.note_add(retro=run, person=cast.bob, column=0, text="Bobs hemmelige note")
    retro.note_add(retro=run, person=cast.alice, column=2, text="Alices løse note")
    on(RetroPhase.GROUPING)
    note = run.notes.get(text="Bobs hemmelige note")
    group = retro.note_group(retro=run, person=cast.bob, note=note, group=None, new=True)
    assert group is not None
    retro.group_rename(retro=run, person=cast.bob, group=group, title="Møderne | tiden")
    on(RetroPhase.VOTING)
    retro.vote(retro=run, person=cast.alice, group=group)
    retro.vote(retro=run, person=cast.bob, group=group)
    on(RetroPhase.DISCUSSION)
    retro.decision_set(retro=run, person=cast.alice, group=group, text="Kortere møder.\nFast slut.")
    on(RetroPhase.ACTIONS)
    retro.action_add(
        retro=run,
        person=cast.bob,
        title="Møder på højst 30 minutter",
        owner=cast.bob,
        due_date=NOW.date() + timedelta(days=14),
        group=group,
    )
    on(RetroPhase.CLOSED)
    if published:
        retro.publish_set(retro=run, by=cast.alice, published=True)
    return run


def test_retrospective_summaries_go_to_the_handbook_without_notes_or_names(
    cast: Cast, client_for: Any, tmp_path: Path
) -> None:
    named = closed_retrospective(cast, "Projektet", anonymous=False, published=True)
    anonymous = closed_retrospective(cast, "Kvartalet", anonymous=True, published=True)
    closed_retrospective(cast, "Ikke godkendt", anonymous=True, published=False)
    url = reverse("learning:handbook", args=[cast.team.pk])
    page = client_for(cast.lena).get(url).text
    assert "Projektet" in page and "Kvartalet" in page and "Ikke godkendt" not in page

    response = client_for(cast.lena).post(url, {"summary": [named.pk, anonymous.pk]})
    pages = _zip(response)
    assert sorted(pages) == [
        "sekretariatet/2026-12-01-retrospektiv-kvartalet.md",
        "sekretariatet/2026-12-01-retrospektiv-projektet.md",
        "sekretariatet/index.md",
    ]
    assert navigation_problems(pages) == []
    summary = pages["sekretariatet/2026-12-01-retrospektiv-projektet.md"]
    assert _front_matter(summary)["title"] == "Retrospektiv: Projektet"
    assert _front_matter(summary)["nav_order"] == 20261201
    assert "| Møderne \\| tiden | 2 | Kortere møder. Fast slut. |" in summary
    assert "- Møder på højst 30 minutter (frist 15. december 2026)" in summary
    text = "\n".join(pages.values())
    assert "hemmelige" not in text and "løse note" not in text
    for person in (cast.alice, cast.bob):
        assert person.first_name not in text and person.last_name not in text

    # The operator's export writes the same, and only what was approved.
    call_command("handbook_export", str(tmp_path))
    written = {str(path.relative_to(tmp_path)): path.read_text() for path in tmp_path.rglob("*.md")}
    assert sorted(written) == sorted(pages)
    assert "Ikke godkendt" not in "\n".join(written.values())
