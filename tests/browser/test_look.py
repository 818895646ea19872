"""The warmer look, in Danish and English, on a desktop and a phone: the organisation's name
and logo in the header (set by an administrator), the main menu with its icons, a feed with
initials avatars, value tags and reactions, and "Skriv", the one place for a person's own
writing. Every page is checked with axe and photographed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import FilePayload, Page, expect

from organisation.branding import branding_forget
from organisation.models import Value
from organisation.tests.test_organisation_settings import png
from recognition.services import reaction_toggle, recognition_create
from tests.browser.conftest import LANGUAGE_ON_DEVICE, PHONE, check, follow, login, visit

WORDS = {
    "da": {"write": "Skriv", "notes": "Noter", "applause": "Klapsalver"},
    "en": {"write": "Write", "notes": "Notes", "applause": "Applause"},
}


@pytest.fixture(params=LANGUAGE_ON_DEVICE, ids=["-".join(pair) for pair in LANGUAGE_ON_DEVICE])
def language_on_device(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def language(language_on_device: tuple[str, str], cast) -> Iterator[str]:
    for person in (cast.alice, cast.ada):
        person.language = language_on_device[0]
        person.save(update_fields=["language"])
    # The header's cache outlives each test's database: start and end without it.
    branding_forget()
    yield language_on_device[0]
    branding_forget()


@pytest.fixture
def screen(language_on_device: tuple[str, str], new_page) -> Page:
    if language_on_device[1] == "phone":
        return new_page(viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[no-any-return]
    return new_page(viewport={"width": 1280, "height": 900})  # type: ignore[no-any-return]


def _open_menu(page: Page) -> None:
    """On a phone the main menu sits behind the menu button."""
    if page.viewport_size and page.viewport_size["width"] < 992:
        page.locator(".js-menu-open").click()
        expect(page.get_by_role("dialog")).to_be_visible()


@pytest.mark.browser
def test_header_menu_feed_and_writing(screen: Page, live_server, cast, language):
    page = screen
    words = WORDS[language]

    # The administrator gives the organisation its name and logo.
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("administration:settings"))
    page.locator("#id_name").fill("Sekretariatet for OS2")
    logo_file: FilePayload = {"name": "logo.png", "mimeType": "image/png", "buffer": png(96, 32)}
    page.locator("#id_logo").set_input_files(files=logo_file)
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    logo = page.locator("header .sparring-logo img")
    expect(logo).to_have_attribute("alt", "Sekretariatet for OS2")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 96

    # A thanks to alice on her team's feed, with two values and a reaction.
    values = [Value.objects.get_or_create(name=name)[0] for name in ("Åbenhed", "Faglighed")]
    thanks = recognition_create(
        author=cast.bob,
        recipients=[cast.alice],
        text="Tak for et skarpt oplæg på teammødet.",
        values=values,
        unit=cast.team,
    )
    reaction_toggle(recognition=thanks, user=cast.lena, kind="heart")

    page.context.clear_cookies()
    login(page, live_server, cast.alice)
    expect(page.locator("header .sparring-logo")).to_contain_text("Sekretariatet for OS2")
    _open_menu(page)
    check(page)  # the main menu with its icons (the drawer on a phone)
    page.keyboard.press("Escape")

    visit(page, live_server.url + reverse("recognition:feed"))
    item = page.locator("main li.with-avatar").first
    expect(item.locator(".avatar")).to_have_text("BB")
    expect(item.locator(".avatar")).to_have_attribute("aria-hidden", "true")
    expect(item).to_contain_text("Bob Bertelsen")
    tags = item.locator(".value-tags .badge")
    expect(tags).to_have_count(2)
    first, second = (tags.nth(i).bounding_box() for i in range(2))
    assert first and second
    # Side by side or one under the other, never touching.
    assert (
        second["x"] >= first["x"] + first["width"] + 4
        or second["y"] >= first["y"] + first["height"] + 4
    )
    # The reactions' buttons start each row at the same edge, on a phone where they wrap too.
    buttons = [button.bounding_box() for button in item.locator(".reactions .button").all()]
    assert len(buttons) == 3 and all(buttons)
    rows: dict[float, list[float]] = {}
    for box in buttons:
        assert box
        rows.setdefault(round(box["y"]), []).append(box["x"])
    assert len({min(xs) for xs in rows.values()}) == 1, rows
    applause = item.get_by_role("button", name=words["applause"])
    applause.click()
    expect(item.get_by_role("button", name=words["applause"])).to_have_attribute(
        "aria-pressed", "true"
    )
    check(page)

    # "Skriv": check-ins, reflections and notes in one place.
    _open_menu(page)
    follow(page, lambda: page.get_by_role("link", name=words["write"]).first.click())
    writing = page.get_by_role("navigation", name=words["write"])
    expect(writing.get_by_role("link", name=words["notes"])).to_be_visible()
    follow(page, lambda: writing.get_by_role("link", name=words["notes"]).click())
    expect(writing.get_by_role("link", name=words["notes"])).to_have_attribute(
        "aria-current", "page"
    )
    _open_menu(page)
    menu = page.locator("nav .mainmenu").locator("visible=true")
    expect(menu.get_by_role("link", name=words["write"])).to_have_attribute("aria-current", "page")
    check(page)
