"""Sparring's own error pages in Chromium, on a desktop and a phone: the 503 page when the
database is out of reach, the 500 page for a bug, the 403 page for an expired form. Each must
pass axe-core like every other page."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import login, visit


def _fail_home(monkeypatch, error: Exception) -> None:
    def fail(*args, **kwargs):
        raise error

    # The live server runs in this process, so the patch reaches its thread.
    monkeypatch.setattr("home.views.for_min_side", fail)


@pytest.mark.browser
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_unavailable_page_in_danish_and_english(
    device, request, live_server, cast, monkeypatch
):
    page = request.getfixturevalue(device)
    login(page, live_server, cast.alice)
    _fail_home(monkeypatch, OperationalError("connection refused"))
    visit(page, live_server.url + reverse("home:index"), status=503)
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sparring er utilgængelig et øjeblik")
    expect(page.get_by_role("link", name="Prøv igen")).to_be_visible()

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    visit(page, live_server.url + reverse("home:index"), status=503)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sparring is unavailable for a moment"
    )


@pytest.mark.browser
def test_the_error_page_for_a_bug(page, live_server, cast, monkeypatch):
    login(page, live_server, cast.alice)
    _fail_home(monkeypatch, RuntimeError("a bug"))
    visit(page, live_server.url + reverse("home:index"), status=500)
    expect(page.get_by_role("heading", level=1)).to_have_text("Der gik noget galt")
    expect(page.get_by_text("a bug")).to_have_count(0)
