"""The thread of two people in Chromium, on a desktop and a phone: their conversations and the
agreements still open from those held, which Min side's actions link to. Checked with
axe-core."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from conftest import FROZEN_AT
from conversations import services
from conversations.models import Item, Kind
from tests.browser.conftest import PHONE, login, visit

NOW = FROZEN_AT


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_thread_shows_the_open_agreements(new_page, live_server, cast, device):
    held = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=NOW + timedelta(hours=1),
        duration_minutes=30,
        now=NOW,
    )
    services.item_add(
        conversation=held,
        by=cast.lena,
        text="Book kurset i brugerinddragelse",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=date(2027, 1, 15),
        now=NOW,
    )
    services.item_add(conversation=held, by=cast.alice, text="Hjemmearbejde om fredagen", now=NOW)
    services.conversation_hold(conversation=held, by=cast.lena, now=NOW + timedelta(hours=2))

    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}
    page = new_page(**options)
    login(page, live_server, cast.alice)
    visit(page, live_server.url + held.thread.get_absolute_url())
    agreements = page.locator("main ul[aria-labelledby=agreements-heading] li")
    expect(agreements).to_have_count(2)
    expect(agreements.first).to_contain_text("Book kurset i brugerinddragelse")
    expect(agreements.first).to_contain_text("Ansvarlig: Alice Andersen")
    expect(agreements.first).to_contain_text("Frist 15. januar 2027")
    expect(agreements.last).to_contain_text("Videreført fra 1. december 2026")
