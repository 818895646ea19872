"""Self-assessment in Chromium, in Danish, desktop and phone: alice assesses herself on the six
focus areas by keyboard and mouse, shares it with her leaders, and lena reads it; alice, who
assessed herself a month ago, assesses herself again and her history shows a chart per area
with the table beside it.
Every page is checked with axe-core and photographed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from core.access import Visibility
from development.models import SelfAssessment
from development.services import RatingGiven, assessment_save, framework_current
from tests.browser.conftest import check, device_options, follow, login, path_of, visit

# The frozen clock, in the live server too: the assessments are dated by its moment.
pytestmark = pytest.mark.usefixtures("clock")

LEVELS = [2, 3, 1, 2, 4, 3]


def _open_development(page: Page, live_server, device: str) -> None:
    if device == "desktop":
        menu = page.locator(".navigation-menu nav")
        follow(page, menu.locator(f'a[href="{reverse("development:index")}"]').click)
    else:
        visit(page, live_server.url + reverse("development:index"))
    assert path_of(page) == reverse("development:index")


def _choose_levels(page: Page, levels: list[int]) -> None:
    for area, level in zip(framework_current().areas.all(), levels, strict=True):
        page.locator(f"#id_level_{area.pk}-{level}").check()


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_alice_assesses_herself_shares_it_and_lena_reads_it(
    device, new_page, live_server, cast, clock
):
    page = new_page(**device_options(device))
    login(page, live_server, cast.alice)
    _open_development(page, live_server, device)
    expect(page.locator("main")).to_contain_text("Du har ikke vurderet dig selv endnu.")

    follow(page, page.get_by_role("link", name="Vurder dig selv").click)
    expect(page.locator("main")).to_contain_text("Din selvvurdering er privat.")
    areas = page.locator("fieldset.assessment-area")
    expect(areas).to_have_count(6)
    # A level is chosen by keyboard too: the arrow keys move within an area's levels.
    first = framework_current().areas.all()[0]
    page.locator(f"#id_level_{first.pk}-1").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#id_level_{first.pk}-2")).to_be_checked()
    _choose_levels(page, LEVELS)
    projekt = areas.first
    projekt.get_by_label("Det vil jeg gerne udvikle").check()
    projekt.get_by_label("Note").fill("Jeg vil gerne lede et tværkommunalt projekt.")
    page.get_by_label("Mine ledere (Lena Lund)").check()
    check(page)
    follow(page, page.get_by_role("button", name="Gem selvvurdering").click)

    expect(page.get_by_role("heading", level=1)).to_have_text("Din selvvurdering")
    expect(page.get_by_role("status")).to_contain_text("Din selvvurdering blev gemt.")
    expect(page.locator("main")).to_contain_text("Mine ledere")
    assessment = SelfAssessment.objects.get(owner=cast.alice)
    assert assessment.visibility == "leader"

    lena = new_page(**device_options(device))
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + reverse("development:index"))
    shared = lena.get_by_role("link", name="Alice Andersens selvvurdering, 1. december 2026")
    follow(lena, shared.click)
    expect(lena.get_by_role("heading", level=1)).to_have_text("Alice Andersens selvvurdering")
    row = lena.locator("table.assessment-table tr", has_text="Projekt- og proceskompetencer")
    expect(row).to_contain_text("Jeg vil gerne lede et tværkommunalt projekt.")
    expect(row).to_contain_text("Ja")


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_her_history_after_two_assessments_shows_a_chart_and_a_table(
    device, new_page, live_server, cast, clock
):
    # A month ago alice assessed herself (a session does not last a month, so not by browser).
    framework = framework_current()
    assessment_save(
        owner=cast.alice,
        framework=framework,
        ratings=[
            RatingGiven(area_id=area.pk, level=level)
            for area, level in zip(framework.areas.all(), LEVELS, strict=True)
        ],
        note="",
        visibility=Visibility.PRIVATE,
        now=clock.now() - timedelta(days=31),
    )
    page = new_page(**device_options(device))
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("development:assess"))
    # The form starts from her last assessment; she changes one level.
    first = framework.areas.all()[0]
    expect(page.locator(f"#id_level_{first.pk}-2")).to_be_checked()
    page.locator(f"#id_level_{first.pk}-3").check()
    follow(page, page.get_by_role("button", name="Gem selvvurdering").click)

    _open_development(page, live_server, device)
    history = page.locator("section.development-history")
    expect(history.locator("svg.level-chart")).to_have_count(6)
    table = history.locator("table.history-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    newest = table.locator("tbody tr").first
    expect(newest).to_contain_text("1. dec. 2026")
    expect(newest).to_contain_text("3")
    expect(table.locator("tbody tr").last).to_contain_text("31. okt. 2026")
    # The first area went from 2 to 3; the chart has a point for each assessment.
    chart = history.locator("figure", has_text="Projekt- og proceskompetencer").locator("svg")
    expect(chart.locator("circle")).to_have_count(2)
    expect(chart).to_have_attribute("role", "img")
    assert SelfAssessment.objects.filter(owner=cast.alice).count() == 2
    check(page)


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_administrator_adds_a_focus_area_and_is_told_what_is_missing(
    device, new_page, live_server, cast
):
    page = new_page(**device_options(device))
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("administration:index"))
    nav = page.get_by_role("navigation", name="Administration")
    follow(page, nav.get_by_role("link", name="Kompetenceramme").click)
    expect(page.locator("main")).to_contain_text("Version 1, 0 selvvurderinger bruger den.")

    follow(page, page.get_by_role("button", name="Tilføj et fokusområde").click)
    expect(page.locator("main")).to_contain_text("Dine ændringer er ikke gemt endnu.")
    added = page.locator("fieldset.template-row").last
    for label, text in [
        ("Navn (dansk)", "Økonomi og jura"),
        ("Beskrivelse (dansk)", "Om penge og regler."),
        *((f"Niveau {n} (dansk)", f"Niveau {n} på dansk") for n in range(1, 5)),
        ("Navn (engelsk)", "Finance and law"),
        ("Beskrivelse (engelsk)", "About money and rules."),
        *((f"Niveau {n} (engelsk)", f"Level {n} in English") for n in range(1, 4)),
    ]:
        added.get_by_label(label, exact=True).fill(text)
    save = page.get_by_role("button", name="Gem som ny version")
    follow(page, lambda: save.first.click(), status=400)
    expect(page.locator("main")).to_contain_text(
        "Hvert fokusområde skal have sit navn, sin beskrivelse og en beskrivelse af hvert niveau"
    )
    missing = page.locator("fieldset.template-row").last.get_by_label("Niveau 4 (engelsk)")
    expect(missing).to_have_attribute("aria-invalid", "true")
    missing.fill("Level 4 in English")
    follow(page, lambda: save.last.click())
    expect(page.locator("main")).to_contain_text("Gemt som version 2.")
    assert [a.name_da for a in framework_current().areas.all()][-1] == "Økonomi og jura"


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_alice_takes_back_what_she_shared(device, new_page, live_server, cast, clock):
    framework = framework_current()
    shared = assessment_save(
        owner=cast.alice,
        framework=framework,
        ratings=[RatingGiven(area_id=area.pk, level=2) for area in framework.areas.all()],
        note="",
        visibility=Visibility.LEADER,
        now=clock.now(),
    )
    url = live_server.url + reverse("development:assessment", args=[shared.pk])
    page = new_page(**device_options(device))
    login(page, live_server, cast.alice)
    visit(page, url)
    follow(page, page.get_by_role("link", name="Skift, hvem der kan se den").click)
    expect(page.get_by_label("Mine ledere (Lena Lund)")).to_be_checked()
    page.get_by_label("Kun mig").check()
    follow(page, page.get_by_role("button", name="Gem").click)
    expect(page.locator("main")).to_contain_text("Kun du ser denne selvvurdering.")

    lena = new_page(**device_options(device))
    login(lena, live_server, cast.lena)
    visit(lena, url, status=404)
