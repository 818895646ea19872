"""A municipal PC with English Windows asks every site for English. Sparring answers in
Danish until the person chooses English, and then the choice follows them to another device."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check, follow, login

ENGLISH_WINDOWS = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.mark.browser
def test_a_browser_asking_for_english_gets_danish_until_the_person_chooses_english(
    new_page, live_server, cast
):
    page = new_page(extra_http_headers=ENGLISH_WINDOWS)
    login(page, live_server, cast.alice)
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velkommen")

    languages = page.locator("footer .language-switcher")
    follow(page, lambda: languages.locator('a[lang="en"]').click())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    # Another device, which asks for Danish: the person's choice wins there too.
    other = new_page(extra_http_headers={"Accept-Language": "da"})
    login(other, live_server, cast.alice)
    expect(other.locator("html")).to_have_attribute("lang", "en")
    check(other)
