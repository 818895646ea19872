"""Access tokens in Chromium: a member finds them from the page about her data, makes a token
that may read her check-ins and write notes, sees it once, uses it against the running server,
and revokes it. Danish on a desktop, English on a phone; checked with axe-core and
photographed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checkins.models import CheckIn
from tests.browser.conftest import LANGUAGE_ON_DEVICE, device_options, follow, login, visit

WORDS = {
    "da": {"tokens": "Adgangsnøgler", "make": "Lav nøglen", "revoke": "Tilbagekald"},
    "en": {"tokens": "Access tokens", "make": "Make the token", "revoke": "Revoke"},
}


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE)
def test_a_member_makes_a_token_uses_it_and_revokes_it(
    language, device, new_page, live_server, cast
):
    words = WORDS[language]
    cast.alice.language = language
    cast.alice.save(update_fields=["language"])
    mine = CheckIn.objects.create(owner=cast.alice, week="2026-11-30", went_well="Workshoppen")
    page = new_page(**device_options(device))
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("privacy:my_data"))
    follow(page, page.locator("main").get_by_role("link", name=words["tokens"]).click)

    page.locator("#id_name").fill("Kalender")
    page.locator('input[name="checkins"][value="read"]').check()
    page.locator('input[name="notes"][value="write"]').check()
    follow(page, page.get_by_role("button", name=words["make"]).click)
    secret = page.locator(".token-secret").inner_text()
    assert secret.startswith("spr_")

    api = live_server.url + reverse("api:checkins")
    answer = page.request.get(api, headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert [item["id"] for item in answer.json()["items"]] == [mine.pk]
    # A note written through the API is on the notes page.
    written = page.request.post(
        live_server.url + reverse("api:note_new"),
        headers={"Authorization": f"Bearer {secret}"},
        data={"title": "Fra mit script", "body": "Skrevet gennem API'et"},
    )
    assert written.status == 200
    visit(page, live_server.url + reverse("profiles:list"))
    expect(page.locator("main")).to_contain_text("Fra mit script")
    # Shown once: the page again has no secret.
    visit(page, live_server.url + reverse("tokens:list"))
    expect(page.locator(".token-secret")).to_have_count(0)

    follow(page, page.get_by_role("button", name=words["revoke"]).click)
    expect(page.get_by_role("status")).to_contain_text("Kalender")
    assert page.request.get(api, headers={"Authorization": f"Bearer {secret}"}).status == 401


@pytest.mark.browser
def test_an_administrator_sees_how_many_tokens_are_in_use(page, live_server, cast):
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("administration:index"))
    follow(page, page.locator(".admin-nav").get_by_role("link", name="Adgangsnøgler").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Adgangsnøgler")
    expect(page.locator("main")).to_contain_text("0 nøgler i brug")
