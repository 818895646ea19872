"""A retrospective in Chromium, in Danish: alice facilitates on a desktop and bob takes part on
a phone, each in a browser of their own, at the same time. Each sees the other's progress and
notes appear without reloading; they group (bob by keyboard, alice by dragging),
vote and agree an action, which appears among the team's goals and opens the next
retrospective. Every page and every phase is checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from conftest import FROZEN_AT
from learning.models import HealthAnswer, RetroNote, Retrospective
from teamwork.models import Goal
from tests.browser.conftest import check, device_options, follow, login, path_of, submit, visit

pytestmark = pytest.mark.usefixtures("clock")

# A poll every two seconds, and a page that may be busy: long enough for the next one.
LIVE = 8000


def _about(words: str, group: str) -> re.Pattern[str]:
    """A control's name with its group's, read out after the visible words (a hidden part
    of the name, which Chromium may set apart by a space)."""
    return re.compile(rf"^{re.escape(words)}\s*:\s*{re.escape(group)}$")


def _board(page: Page) -> Locator:
    return page.locator("#retro-board")


def _next_phase(alice: Page, bob: Page, phase: str) -> None:
    """alice leads on; both boards show the new phase, bob's without a reload."""
    alice.get_by_role("button", name="Videre til næste fase").click()
    for page in (alice, bob):
        expect(page.locator('[aria-current="step"]')).to_contain_text(phase, timeout=LIVE)
        check(page)


def _answer_health(page: Page, score: int) -> None:
    for statement in range(1, 6):
        page.locator(f"#statement-{statement}-{score}").check()
    page.get_by_role("button", name="Send mine svar").click()
    expect(page.locator("main")).to_contain_text("Dine svar er gemt uden dit navn")


def _note(page: Page, column: int, text: str) -> None:
    page.locator(f"#note-{column}").fill(text)
    page.locator(f"#note-{column}").locator("xpath=ancestor::form").get_by_role(
        "button", name="Tilføj noten"
    ).click()
    expect(page.locator(f"#note-{column}")).to_have_value("")


@pytest.mark.browser
def test_two_people_run_a_retrospective_into_team_goals(new_page, live_server, cast):
    """alice facilitates on a desktop and bob takes part on a phone: the board is seen on both
    sizes in every phase."""
    alice = new_page(**device_options("desktop"))
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + reverse("learning:index"))
    follow(alice, alice.get_by_role("link", name="Retrospektiver i Sekretariatet").click)
    follow(alice, alice.get_by_role("link", name="Start et retrospektiv").click)
    expect(alice.get_by_label("Anonyme: ingen, heller ikke facilitatoren")).to_be_checked()
    alice.get_by_label("Titel").fill("Evaluering af intranetprojektet")
    submit(alice)
    retro = Retrospective.objects.get()
    assert path_of(alice) == retro.get_absolute_url()
    expect(alice.locator("main")).to_contain_text("Anonyme noter")

    bob = new_page(**device_options("phone"))
    login(bob, live_server, cast.bob)
    visit(bob, live_server.url + reverse("learning:retrospectives", args=[cast.team.pk]))
    follow(bob, bob.get_by_role("link", name="Evaluering af intranetprojektet").click)

    # Check-in: the health check; each sees the other has answered, without reloading.
    _answer_health(bob, 4)
    expect(_board(alice)).to_contain_text("Har svaret på sundhedstjekket", timeout=LIVE)
    _answer_health(alice, 3)
    check(alice)
    assert HealthAnswer.objects.count() == 2

    # Private writing: only one's own notes, and how many there are in all.
    _next_phase(alice, bob, "Skriv for dig selv")
    _note(bob, 0, "Vi hjalp hinanden i tide")
    _note(alice, 0, "Godt samarbejde med it")
    _note(alice, 1, "For mange møder")
    expect(_board(bob)).to_contain_text("3 noter skrevet i alt", timeout=LIVE)
    expect(_board(bob)).not_to_contain_text("Godt samarbejde med it")
    check(bob)
    assert set(RetroNote.objects.values_list("author", flat=True)) == {None}

    # Reveal: everyone's notes, and one written now appears on the other's board.
    _next_phase(alice, bob, "Vis noterne")
    expect(_board(bob)).to_contain_text("Godt samarbejde med it")
    _note(bob, 2, "Vi lærte at dele tidligt")
    expect(_board(alice)).to_contain_text("Vi lærte at dele tidligt", timeout=LIVE)

    # Grouping: bob makes a group by keyboard and names it; alice adds a note to it.
    _next_phase(alice, bob, "Gruppér")
    helped = RetroNote.objects.get(text="Vi hjalp hinanden i tide")
    move = bob.locator(f"#move-{helped.pk}")
    move.focus()
    move.select_option("new")
    move.press("Tab")
    bob.keyboard.press("Enter")
    expect(_board(bob).get_by_role("heading", name="Gruppe 1")).to_be_visible()
    bob.get_by_label("Gruppens titel").fill("Samarbejdet")
    bob.get_by_role("button", name=_about("Gem titlen", "Gruppe 1")).click()
    expect(_board(bob).get_by_role("heading", name="Samarbejdet")).to_be_visible()
    expect(_board(alice).get_by_role("heading", name="Samarbejdet")).to_be_visible(timeout=LIVE)
    together = RetroNote.objects.get(text="Godt samarbejde med it")
    group = retro.groups.get()
    alice.locator(f'[data-retro-note="{together.pk}"]').drag_to(
        alice.locator(f'[data-retro-drop="{group.pk}"]'),
        # By the note's text and onto the group's heading, not on their forms.
        source_position={"x": 12, "y": 10},
        target_position={"x": 12, "y": 10},
    )
    expect(alice.locator(f'[data-retro-drop="{group.pk}"]')).to_contain_text(
        "Godt samarbejde med it"
    )
    check(alice)
    check(bob)

    # Votes: two of bob's and one of alice's on the group; the count is shown only after.
    _next_phase(alice, bob, "Stemmer")
    vote = _about("Stem", "Samarbejdet")
    bob.get_by_role("button", name=vote).click()
    expect(_board(bob)).to_contain_text("Du har 2 stemmer tilbage")
    bob.get_by_role("button", name=vote).click()
    expect(_board(bob)).to_contain_text("Du har 1 stemme tilbage")
    alice.get_by_role("button", name=vote).click()
    expect(_board(alice)).to_contain_text("Du har 2 stemmer tilbage")
    expect(_board(alice)).not_to_contain_text("3 stemmer")

    # Discussion: the most votes first, and what was decided.
    _next_phase(alice, bob, "Drøftelse")
    expect(_board(bob).locator(".retro-group").first).to_contain_text("3 stemmer")
    decision = alice.get_by_label(_about("Hvad vi besluttede", "Samarbejdet"))
    decision.fill("Vi holder fast i parsparring.")
    alice.get_by_role("button", name=_about("Gem beslutningen", "Samarbejdet")).click()
    expect(alice.get_by_label(_about("Hvad vi besluttede", "Samarbejdet"))).to_have_attribute(
        "data-retro-saved", "Vi holder fast i parsparring."
    )

    # Actions: bob agrees one with himself as owner; alice sees it appear.
    _next_phase(alice, bob, "Handlinger")
    due = (FROZEN_AT + timedelta(days=30)).date()
    bob.get_by_label("Handling", exact=True).fill("Parsparring hver fredag")
    bob.get_by_label("Ejer").select_option(label="Bob Bertelsen")
    bob.get_by_label("Frist").fill(due.isoformat())
    bob.get_by_label("Fra gruppen").select_option(label="Samarbejdet")
    bob.get_by_role("button", name="Tilføj handlingen").click()
    expect(_board(alice)).to_contain_text("Parsparring hver fredag", timeout=LIVE)
    check(bob)
    goal = Goal.objects.get()
    assert (goal.title, goal.owner, goal.due_date) == ("Parsparring hver fredag", cast.bob, due)

    alice.get_by_role("button", name="Afslut retrospektivet").click()
    for page in (alice, bob):
        expect(page.locator("main")).to_contain_text("Hvad vi aftalte", timeout=LIVE)
        expect(page.locator("main")).to_contain_text("Vi holder fast i parsparring.")
        check(page)
    alice.get_by_role("button", name="Godkend til håndbogen").click()
    expect(alice.get_by_role("button", name="Hold den ude af håndbogen")).to_be_visible()

    # The action is one of the team's goals, and opens the team's next retrospective.
    visit(bob, live_server.url + reverse("teamwork:goals", args=[cast.team.pk]))
    expect(bob.locator("main")).to_contain_text("Parsparring hver fredag")
    visit(alice, live_server.url + reverse("learning:retrospective_new", args=[cast.team.pk]))
    alice.get_by_label("Titel").fill("Næste kvartal")
    submit(alice)
    expect(alice.locator("main")).to_contain_text("Åbne handlinger fra sidste retrospektiv")
    expect(alice.locator("main")).to_contain_text("Parsparring hver fredag")
    visit(alice, live_server.url + reverse("learning:retrospectives", args=[cast.team.pk]))
    expect(alice.locator("main")).to_contain_text("Evaluering af intranetprojektet")
