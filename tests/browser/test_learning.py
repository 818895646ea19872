"""The learning log in Chromium, in Danish, desktop and phone: alice opens Læring from the
menu, writes what she learned from a review with a link to GitHub (a link that is no web
address is refused first), shared with her teams as the form says; bob, in her team, finds it
by searching for another form of a word of its title and on the team's page, and sees the
link named as GitHub. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from learning.models import Entry
from tests.browser.conftest import device_options, follow, login, path_of, submit, visit

pytestmark = pytest.mark.usefixtures("clock")

TITLE = "Evaluering af booking-systemet"


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_alice_shares_what_she_learned_and_bob_finds_it_in_the_team(
    device, new_page, live_server, cast
):
    alice = new_page(**device_options(device))
    login(alice, live_server, cast.alice)
    if device == "desktop":
        menu = alice.locator(".navigation-menu nav")
        follow(alice, menu.locator(f'a[href="{reverse("learning:index")}"]').click)
    else:
        visit(alice, live_server.url + reverse("learning:index"))
    expect(alice.locator("main")).to_contain_text("Du har ikke skrevet noget i din læringslog")
    follow(alice, alice.get_by_role("link", name="Skriv, hvad du har lært").first.click)
    expect(alice.get_by_label("Mine teams")).to_be_checked()
    expect(alice.locator("main")).to_contain_text("Læring deles med dine teams")

    alice.get_by_label("Hvor lærte du det").select_option("evaluering")
    alice.get_by_label("Titel").fill(TITLE)
    alice.get_by_label("Hvad lærte jeg").fill("Brugerne læste aldrig vejledningen.")
    alice.get_by_label("Hvad kan andre bruge").fill("Skabelonen til evalueringen.")
    alice.get_by_label("Links").fill("https://github.com/OS2/booking\nbooking-noter")
    alice.get_by_label("Innovation og læring i praksis").check()
    follow(alice, lambda: alice.locator("main form button[type=submit]").first.click(), status=400)
    expect(alice.locator('[data-module="error-summary"]')).to_contain_text(
        "“booking-noter” er ikke en webadresse."
    )
    assert not Entry.objects.exists()
    alice.get_by_label("Links").fill("https://github.com/OS2/booking")
    submit(alice)
    entry = Entry.objects.get()
    assert path_of(alice) == entry.get_absolute_url()
    expect(alice.get_by_role("heading", level=1)).to_have_text(TITLE)

    bob = new_page(**device_options(device))
    login(bob, live_server, cast.bob)
    visit(bob, live_server.url + reverse("learning:index"))
    # Another form of a word of the title finds it.
    bob.get_by_label("Søg i det, du kan læse").fill("evalueringen")
    follow(bob, bob.get_by_role("button", name="Søg").click)
    expect(bob.locator("main")).to_contain_text("Fundet for “evalueringen”, nyeste først")
    expect(bob.get_by_role("link", name=TITLE)).to_be_visible()
    follow(bob, bob.get_by_role("link", name="Din læringslog").click)
    follow(bob, bob.get_by_role("link", name="Læring i Sekretariatet").click)
    expect(bob.locator("main")).to_contain_text("Alice Andersen")
    # Shared with the team only, it cannot go into the handbook.
    follow(bob, bob.get_by_role("link", name="Sider til teamets håndbog").click)
    expect(bob.locator("main")).to_contain_text("Intet af det, teamet har lært, er delt med hele")
    bob.go_back()
    follow(bob, bob.get_by_role("link", name=TITLE).click)
    expect(bob.locator(".learning-links")).to_contain_text("GitHub")
    expect(bob.locator("main form")).to_have_count(0)
