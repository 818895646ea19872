"""The week at a glance in Chromium. Alice shares her check-in with Lena a moment ago; Lena
finds it with every field on her Min side, under the week in her units, replies from there, and
Alice's Min side then says that Lena replied and leads to the reply. Danish and English,
desktop and phone; every page is checked with axe-core and photographed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checkins.models import Reply, current_week
from checkins.services import checkin_write
from core.access import Visibility
from tests.browser.conftest import PHONE, check, follow, login, path_of, visit

WORDS = {
    "da": {"send": "Send svar", "week": "Ugen i mine enheder", "replied": "har svaret"},
    "en": {"send": "Send reply", "week": "The week in my units", "replied": "replied"},
}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_leader_replies_from_her_week_and_the_owner_sees_it(
    language, device, new_page, live_server, cast
):
    words = WORDS[language]
    for person in (cast.alice, cast.lena):
        person.language = language
        person.save(update_fields=["language"])
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}
    checkin = checkin_write(
        owner=cast.alice,
        week=current_week(),
        energy=4,
        went_well="Workshoppen gik godt.",
        is_hard="Budgettet fylder meget.",
        priorities="Release af version 2.",
        help_needed="Et blik på notatet.",
        visibility=Visibility.LEADER,
    )

    # Lena's Min side opens on the week in her unit, with the check-in and all it says.
    lena = new_page(**options)
    login(lena, live_server, cast.lena)
    week = lena.locator("main section.leaders-week")
    expect(week.locator("h2")).to_have_text(words["week"])
    for text in (
        "Workshoppen gik godt.",
        "Budgettet fylder meget.",
        "Release af version 2.",
        "Et blik på notatet.",
    ):
        expect(week).to_contain_text(text)
    follow(lena, lambda: week.locator(f'a[href="{checkin.get_absolute_url()}#replies"]').click())
    assert path_of(lena) == checkin.get_absolute_url()
    lena.locator("main .thread textarea").fill("Tak! Skal vi kigge på notatet i morgen?")
    lena.locator("main .thread").get_by_role("button", name=words["send"]).click()
    expect(lena.locator("main .thread .reply")).to_contain_text("Skal vi kigge på notatet")
    check(lena)
    assert Reply.objects.filter(owner=cast.lena).count() == 1

    # Alice's Min side says Lena replied, and leads her to the reply.
    alice = new_page(**options)
    login(alice, live_server, cast.alice)
    waiting = alice.locator("main").get_by_role("link", name=f"Lena Lund {words['replied']}")
    expect(waiting).to_be_visible()
    follow(alice, lambda: waiting.click())
    expect(alice.locator("main .thread .reply")).to_contain_text("Skal vi kigge på notatet")
    # Back on Min side, her own check-in of the week reads as she wrote it.
    visit(alice, live_server.url + reverse("home:index"))
    expect(alice.locator("main")).to_contain_text("Workshoppen gik godt.")
