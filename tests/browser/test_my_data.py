"""The page about one's data in Chromium: a member finds it from the header (from the menu on a
phone) and reads what Sparring holds about her, kind by kind, with a link to where it is; she
deletes all her reflections after being asked; she asks for a copy, the page follows the worker
making it, and she downloads the zip; an administrator sets a deletion deadline that she then
reads. Danish and English, desktop and phone; checked with axe-core and photographed."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from checkins.models import CheckIn, Reflection
from privacy.exports import exports_run
from tests.browser.conftest import (
    LANGUAGE_ON_DEVICE,
    LANGUAGE_ON_DEVICE_TURNED,
    check,
    device_options,
    follow,
    login,
    path_of,
    visit,
)

WORDS = {
    "da": {
        "link": "Mine data",
        "answers": "Dine trivselssvar er ikke her",
        "delete": "Slet alle",
        "deleted": "2 slettet: Refleksioner.",
    },
    "en": {
        "link": "My data",
        "answers": "Your wellbeing answers are not here",
        "delete": "Delete all",
        "deleted": "2 deleted: Reflections.",
    },
}


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE)
def test_a_member_reads_what_sparring_holds_about_her(
    language, device, new_page, live_server, cast
):
    words = WORDS[language]
    cast.alice.language = language
    cast.alice.save(update_fields=["language"])
    CheckIn.objects.create(owner=cast.alice, week="2026-11-23", energy=4)
    CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=3)
    for text in ("Første", "Anden"):
        Reflection.objects.create(owner=cast.alice, text=text)
    page = new_page(**device_options(device))
    login(page, live_server, cast.alice)

    if device == "phone":
        page.locator(".js-menu-open").click()
        link = page.locator(".portal-info-mobile").get_by_role("link", name=words["link"])
    else:
        link = page.locator(".portal-user").get_by_role("link", name=words["link"])
    follow(page, link.click)

    assert path_of(page) == reverse("privacy:my_data")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["link"])
    expect(page.locator("main .alert")).to_contain_text(words["answers"])
    checkins = page.locator("#kind-checkins").locator("xpath=..")
    expect(checkins.locator("td").first).to_have_text("2")

    # She deletes her reflections: asked first, with the way to keep a copy, then gone.
    reflections = page.locator("#kind-reflections").locator("xpath=..")
    follow(page, reflections.get_by_role("link", name=words["delete"]).click)
    follow(page, page.locator("main form button[type=submit]").click)
    assert path_of(page) == reverse("privacy:my_data")
    expect(page.get_by_role("status")).to_contain_text(words["deleted"])
    expect(page.locator("li#kind-reflections")).to_be_visible()
    assert not Reflection.objects.filter(owner=cast.alice).exists()


@pytest.mark.browser
def test_the_page_is_reached_and_read_by_keyboard(page, live_server, cast):
    CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=3)
    login(page, live_server, cast.alice)
    page.locator(".portal-user").get_by_role("link", name="Mine data").focus()
    follow(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == reverse("privacy:my_data")
    # Every kind's link is reached by Tab, in the order of the page: her units, her check-ins.
    links = page.locator("main table th a")
    expect(links).to_have_count(2)
    links.first.focus()
    page.keyboard.press("Tab")
    expect(links.nth(1)).to_be_focused()
    follow(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == reverse("checkins:list")


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE_TURNED)
def test_a_member_makes_a_copy_of_her_data_and_downloads_it(
    language, device, new_page, live_server, cast
):
    words = {
        "da": {
            "make": "Lav en kopi af mine data",
            "busy": "Din kopi bliver lavet",
            "ready": "Din kopi er klar",
        },
        "en": {
            "make": "Make a copy of my data",
            "busy": "Your copy is being made",
            "ready": "Your copy is ready",
        },
    }[language]
    cast.alice.language = language
    cast.alice.save(update_fields=["language"])
    CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=4, went_well="Workshoppen")
    page = new_page(**device_options(device))
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("privacy:my_data"))

    follow(page, page.get_by_role("button", name=words["make"]).click)
    copy = page.locator("#data-export")
    expect(copy).to_contain_text(words["busy"])
    check(page)

    # The worker makes it; the page, asking every second, says it is ready.
    assert exports_run(now=timezone.now()) == 1
    expect(copy.get_by_role("status")).to_contain_text(words["ready"])
    check(page)
    with page.expect_download() as download:
        copy.get_by_role("link").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        data = json.loads(archive.read("data.json"))
    assert [row["went_well"] for row in data["kinds"]["checkins"]] == ["Workshoppen"]


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE)
def test_an_administrator_sets_a_deadline_that_everyone_reads(
    language, device, new_page, live_server, cast
):
    words = {
        "da": {
            "nav": "Slettefrister",
            "saved": "Fristerne er gemt.",
            "read": "slettes efter 730 dage",
        },
        "en": {
            "nav": "Deletion deadlines",
            "saved": "The deadlines are saved.",
            "read": "deleted after 730 days",
        },
    }[language]
    for person in (cast.ada, cast.alice):
        person.language = language
        person.save(update_fields=["language"])
    old = Reflection.objects.create(owner=cast.alice, text="For længe siden")
    Reflection.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=800))
    ada = new_page(**device_options(device))
    login(ada, live_server, cast.ada)
    visit(ada, live_server.url + reverse("administration:index"))
    follow(ada, ada.locator(".admin-nav").get_by_role("link", name=words["nav"]).click)

    ada.locator("#id_reflections").fill("730")
    # A slip of the hand is refused in words, and nothing is saved.
    ada.locator("#id_checkins").fill("7")
    follow(ada, ada.locator("main form button[type=submit]").click)
    expect(ada.locator("#id_checkins-error")).to_be_visible()
    ada.locator("#id_checkins").fill("")
    follow(ada, ada.locator("main form button[type=submit]").click)
    expect(ada.get_by_role("status")).to_contain_text(words["saved"])
    # The reflection older than the deadline waits for the night's run, and the page says so.
    expect(ada.locator("#id_reflections-past")).to_contain_text("1")

    alice = new_page(**device_options(device))
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + reverse("privacy:my_data"))
    expect(alice.locator(".my-data-deadlines")).to_contain_text(words["read"])
