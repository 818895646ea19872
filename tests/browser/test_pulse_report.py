"""The round report folded, in Chromium: it opens on two levels below the top, Enter on a
unit shows the units below it in place (htmx swaps the table, the focus stays on the unit), and
Enter again hides them. axe-core checks the page opened, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pulse.tests.conftest import report_tree
from tests.browser.conftest import PHONE, check, login, visit


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_administrator_opens_a_unit_of_the_report_by_keyboard(
    device, new_page, live_server, cast
):
    round_, _department = report_tree(cast)
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    page = new_page(**(phone if device == "phone" else {}))
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("pulse:report", args=[round_.pk]))
    table = page.locator("#report-table table")
    unit = table.get_by_role("link", name="Afdeling A")
    expect(unit).to_have_attribute("aria-expanded", "false")
    expect(table).not_to_contain_text("Gruppe A2")

    unit.focus()
    page.keyboard.press("Enter")

    expect(table.get_by_role("link", name="Afdeling A")).to_have_attribute("aria-expanded", "true")
    # The group the engine shows, with its figures; the one of two, a dash.
    expect(table.get_by_role("row", name="Gruppe A2")).to_contain_text("1,0")
    expect(table.get_by_role("row", name="Gruppe A3")).not_to_contain_text(re.compile(r"\d,\d"))
    assert page.evaluate("document.activeElement.textContent").strip().endswith("Afdeling A")
    assert f"open={cast.organisation.pk}" in page.url
    check(page)

    page.keyboard.press("Enter")
    expect(table.get_by_role("link", name="Afdeling A")).to_have_attribute("aria-expanded", "false")
    expect(table).not_to_contain_text("Gruppe A2")
