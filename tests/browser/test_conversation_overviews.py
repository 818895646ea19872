"""Overviews without content in Chromium, in Danish, desktop and phone: a leader follows the
line in her week to the overview of her people; a member finds her next conversation, the
way to prepare and her actions on Min side; an administrator reads the counts per unit and
edits a template, with a clear message when a question lacks its English text. Every page is
checked with axe-core and photographed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conversations import services
from conversations.models import Item, Kind, Template
from organisation.services import unit_create
from tests.browser.conftest import PHONE, check, follow, login, path_of, visit

# The frozen clock, in the live server too: the conversations are planned from its moment, not
# from the day the suite happens to run.
pytestmark = pytest.mark.usefixtures("clock")

MARKER = "Hemmelig-7f3a"


def _options(device):
    return {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}


def _conversations(cast):
    """Lena held a MUS with alice a month ago and has a 1:1 with her next week, with an action
    for alice; bob asked alice for a conversation."""
    now = timezone.now()
    held_at = now - timedelta(days=30)
    mus = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=held_at - timedelta(hours=1),
        duration_minutes=60,
        now=held_at - timedelta(days=2),
    )
    services.shared_note_add(conversation=mus, by=cast.lena, text=f"{MARKER} note", now=held_at)
    services.conversation_hold(conversation=mus, by=cast.lena, now=held_at)
    next_one = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=now + timedelta(days=6),
        duration_minutes=30,
        now=now,
    )
    services.item_add(
        conversation=next_one,
        by=cast.lena,
        text="Find et kursus i brugerinddragelse",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=(now + timedelta(days=20)).date(),
        now=now,
    )
    services.conversation_request(
        by=cast.bob, other=cast.alice, kind=Kind.FREE, message="", now=now
    )
    return next_one


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_leader_follows_her_week_to_the_overview(device, new_page, live_server, cast):
    _conversations(cast)
    page = new_page(**_options(device))
    login(page, live_server, cast.lena)

    line = page.get_by_role(
        "link", name="1 af dine medarbejdere har ikke haft MUS i de sidste 12 måneder"
    )
    expect(line).to_be_visible()
    follow(page, line.click)

    assert path_of(page) == reverse("conversations:people")
    table = page.locator("table.people-overview")
    expect(table).to_contain_text("Alice Andersen")
    expect(table).to_contain_text("Bob Bertelsen")
    expect(table).to_contain_text("MUS")
    assert MARKER not in page.content()


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_member_finds_her_conversations_on_min_side(device, new_page, live_server, cast):
    next_one = _conversations(cast)
    page = new_page(**_options(device))
    login(page, live_server, cast.alice)

    block = page.locator("section.my-conversations")
    block.scroll_into_view_if_needed()
    expect(block).to_contain_text("Mine samtaler")
    expect(block).to_contain_text("Find et kursus i brugerinddragelse")
    expect(block).to_contain_text("ønsket af Bob Bertelsen")
    prepare = block.get_by_role("link", name="Forbered dig")
    expect(prepare).to_have_attribute("href", next_one.get_absolute_url())


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_administrator_reads_counts_and_edits_a_template(device, new_page, live_server, cast):
    _conversations(cast)
    page = new_page(**_options(device))
    login(page, live_server, cast.ada)

    visit(page, live_server.url + reverse("conversations_admin:overview"))
    table = page.locator("table.unit-overview")
    expect(table.locator("tr", has_text="Sekretariatet")).to_contain_text("1 (33 %)")
    assert "Alice" not in page.content() and MARKER not in page.content()

    follow(page, page.get_by_role("link", name="Redigér skabelonerne").click)
    follow(page, page.get_by_role("link", name="1:1").click)
    expect(page.locator("main")).to_contain_text("Version 1, 1 samtale bruger den.")
    follow(page, page.get_by_role("button", name="Tilføj et spørgsmål").click)
    expect(page.locator("main")).to_contain_text("Dine ændringer er ikke gemt endnu.")
    last = page.locator("fieldset.template-row").last
    last.get_by_label("Spørgsmål (dansk)").fill("Hvad vil du gerne lære?")
    follow(
        page,
        lambda: page.get_by_role("button", name="Gem som ny version").first.click(),
        status=400,
    )
    expect(page.locator("main")).to_contain_text(
        "Hvert spørgsmål skal have sit afsnit og sin tekst på dansk og på engelsk."
    )
    assert Template.objects.get(kind=Kind.ONE_ON_ONE).version == 1
    missing = page.locator("fieldset.template-row").last.get_by_label("Spørgsmål (engelsk)")
    expect(missing).to_have_attribute("aria-invalid", "true")

    last = page.locator("fieldset.template-row").last
    last.get_by_label("Spørgsmål (engelsk)").fill("What would you like to learn?")
    follow(page, lambda: page.get_by_role("button", name="Gem som ny version").last.click())
    expect(page.locator("main")).to_contain_text("Gemt som version 2.")
    expect(page.locator("main")).to_contain_text("Version 2, 0 samtaler bruger den.")
    current = Template.objects.get(kind=Kind.ONE_ON_ONE, is_current=True)
    assert current.questions.last().text_en == "What would you like to learn?"  # type: ignore[union-attr]


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_administrator_opens_and_closes_a_unit_by_keyboard(device, new_page, live_server, cast):
    """The tree opens on two levels below the top; Enter on a unit shows the units below it in
    place (htmx swaps the table, the focus stays on the unit), and Enter again hides them."""
    projects = unit_create(actor=None, name="Projekter", parent=cast.team)
    unit_create(actor=None, name="Team Aarhus", parent=projects)
    page = new_page(**_options(device))
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("conversations_admin:overview"))
    table = page.locator("table.unit-overview")
    unit = table.get_by_role("link", name="Projekter")
    expect(unit).to_have_attribute("aria-expanded", "false")
    expect(table).not_to_contain_text("Team Aarhus")

    unit.focus()
    page.keyboard.press("Enter")

    expect(table.get_by_role("link", name="Projekter")).to_have_attribute("aria-expanded", "true")
    expect(table).to_contain_text("Team Aarhus")
    assert page.evaluate("document.activeElement.textContent").strip().endswith("Projekter")
    assert f"open={cast.organisation.pk}" in page.url
    check(page)

    page.keyboard.press("Enter")
    expect(table.get_by_role("link", name="Projekter")).to_have_attribute("aria-expanded", "false")
    expect(table).not_to_contain_text("Team Aarhus")


@pytest.mark.browser
def test_the_tree_opens_without_javascript(new_page, live_server, cast):
    projects = unit_create(actor=None, name="Projekter", parent=cast.team)
    unit_create(actor=None, name="Team Aarhus", parent=projects)
    page = new_page(java_script_enabled=False)
    login(page, live_server, cast.ada, checked=False)
    # Without JavaScript there is no axe-core to run: the pages are checked in the test above.
    page.goto(live_server.url + reverse("conversations_admin:overview"))

    with page.expect_navigation():
        page.get_by_role("link", name="Projekter").click()

    expect(page.locator("table.unit-overview")).to_contain_text("Team Aarhus")
