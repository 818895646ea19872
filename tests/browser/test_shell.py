"""The shell every page shares, walked in Chromium: logging in, the main menu, notes, teams,
languages, administration, the keyboard and a phone.

Danish is the default language but its translations are not all written yet, so the tests
find things by role, id and address, and check Danish text only where Django supplies it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from accounts.forms import LoginForm
from accounts.models import User
from conftest import PASSWORD
from tests.browser.conftest import check, follow, login, path_of, visit


def main_menu(page: Page) -> Locator:
    return page.locator(".navigation-menu nav")


def menu_link(page: Page, name: str) -> Locator:
    """The main menu's link to the page with URL name `name`."""
    return main_menu(page).locator(f'a[href="{reverse(name)}"]')


@pytest.mark.browser
def test_member_logs_in_writes_a_note_and_finds_her_team(page, live_server, cast):
    login(page, live_server, cast.alice)

    # Min side: the page is Danish, and the menu says where we are.
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")
    expect(menu_link(page, "home:index")).to_have_attribute("aria-current", "page")

    # Her own writing is in one place: "Skriv" opens on check-ins, notes are one tab away, and
    # the main menu's "Skriv" stays marked on every page of it.
    follow(page, lambda: menu_link(page, "checkins:list").click())
    writing = page.get_by_role("navigation", name="Skriv")
    expect(writing.locator(f'a[href="{reverse("checkins:list")}"]')).to_have_attribute(
        "aria-current", "page"
    )
    follow(page, lambda: writing.locator(f'a[href="{reverse("profiles:list")}"]').click())
    assert path_of(page) == reverse("profiles:list")
    expect(menu_link(page, "checkins:list")).to_have_attribute("aria-current", "page")

    follow(page, lambda: page.locator(f'main a[href="{reverse("profiles:new")}"]').click())
    page.locator("#id_title").fill("Hvordan jeg kan lide at arbejde")
    page.locator("#id_body").fill("Sparring om formiddagen, fokustid om eftermiddagen.")
    page.locator('input[name="visibility"][value="team"]').check()
    follow(page, lambda: page.locator("main form button[type=submit]").click())

    # The note, saved and shown with a confirmation.
    assert path_of(page).startswith(reverse("profiles:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvordan jeg kan lide at arbejde")
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(".note-body")).to_contain_text("fokustid om eftermiddagen")

    follow(page, lambda: menu_link(page, "home:teams").click())
    team_url = reverse("home:team", kwargs={"unit_id": cast.team.pk})
    follow(page, lambda: page.locator(f'main a[href="{team_url}"]').click())
    assert path_of(page) == team_url
    expect(page.get_by_role("heading", level=1)).to_have_text("Sekretariatet")
    people = page.get_by_role("table")
    for person in ("Alice Andersen", "Bob Bertelsen", "Lena Lund"):
        expect(people).to_contain_text(person)
    expect(people).not_to_contain_text("Eve")
    # Shared with the team, so it is on the team page.
    expect(page.get_by_role("link", name="Hvordan jeg kan lide at arbejde")).to_be_visible()


@pytest.mark.browser
def test_language_links_switch_between_danish_and_english(page, live_server, db):
    visit(page, live_server.url + reverse("accounts:login"))
    languages = page.locator("footer .language-switcher")
    # Django translates its own login form, so its labels show the language.
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator('label[for="id_username"]')).to_contain_text("Brugernavn")
    expect(languages.locator('a[lang="da"]')).to_have_attribute("aria-current", "true")

    follow(page, lambda: languages.locator('a[lang="en"]').click())
    assert path_of(page) == reverse("accounts:login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('label[for="id_username"]')).to_contain_text("Username")
    expect(languages.locator('a[lang="en"]')).to_have_attribute("aria-current", "true")

    follow(page, lambda: languages.locator('a[lang="da"]').click())
    assert path_of(page) == reverse("accounts:login")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator('label[for="id_username"]')).to_contain_text("Brugernavn")


@pytest.mark.browser
def test_administrator_walks_every_administration_page(page, live_server, cast):
    login(page, live_server, cast.ada)

    follow(page, lambda: menu_link(page, "administration:index").click())
    assert path_of(page) == reverse("administration:index")
    expect(menu_link(page, "administration:index")).to_have_attribute("aria-current", "page")

    visit(page, live_server.url + reverse("administration:units"))
    follow(page, lambda: page.get_by_role("link", name="Sekretariatet", exact=True).click())
    assert path_of(page) == reverse("administration:unit_edit", kwargs={"unit_id": cast.team.pk})
    expect(page.locator("#id_name")).to_have_value("Sekretariatet")

    visit(page, live_server.url + reverse("administration:people"))
    follow(page, lambda: page.get_by_role("link", name="Alice Andersen").click())
    assert path_of(page) == reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk})
    expect(page.locator("#id_username")).to_have_value("alice")

    # A new value, saved through its form and opened again.
    visit(page, live_server.url + reverse("administration:values"))
    follow(
        page, lambda: page.locator(f'main a[href="{reverse("administration:value_new")}"]').click()
    )
    page.locator("#id_name").fill("Nysgerrighed")
    follow(page, lambda: page.locator("main form button[type=submit]").first.click())
    assert path_of(page) == reverse("administration:values")
    follow(page, lambda: page.get_by_role("link", name="Nysgerrighed").click())
    expect(page.locator("#id_name")).to_have_value("Nysgerrighed")

    visit(page, live_server.url + reverse("administration:import"))
    visit(page, live_server.url + reverse("administration:audit"))
    # What ada just did is in the log.
    expect(page.get_by_role("table")).to_contain_text("Nysgerrighed")

    # An empty unit form: the error summary leads to the field.
    visit(page, live_server.url + reverse("administration:unit_new"))
    follow(page, lambda: page.locator("main form button[type=submit]").first.click())
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.locator('a[href="#id_name"]')
    expect(link).to_be_visible()
    name = page.locator("#id_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", "id_name-error")
    expect(page.locator("#id_name-error")).to_be_visible()
    link.click()
    expect(name).to_be_focused()
    check(page)


@pytest.mark.browser
def test_login_with_the_keyboard_alone(page, live_server, cast):
    visit(page, live_server.url + reverse("accounts:login"))
    page.keyboard.press("Tab")
    skip = page.locator("a.skipnav")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main-content")
    check(page)  # the skip link is visible while it has focus

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(cast.alice.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    follow(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == reverse("home:index")


@pytest.mark.browser
def test_phone_menu_on_min_side_and_the_team_page(phone_page: Page, live_server, cast):
    page = phone_page
    login(page, live_server, cast.alice)
    # On a phone the main menu sits behind the menu button.
    expect(main_menu(page)).to_be_hidden()

    def open_menu() -> Locator:
        page.locator(".js-menu-open").click()
        drawer = page.get_by_role("dialog")
        expect(drawer).to_be_visible()
        expect(page.locator(".js-menu-close")).to_be_focused()
        expect(drawer.locator(f'a[href="{reverse("home:teams")}"]')).to_be_visible()
        check(page)
        return drawer

    open_menu()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator(".js-menu-open")).to_be_focused()

    team_url = reverse("home:team", kwargs={"unit_id": cast.team.pk})
    follow(page, lambda: page.locator(f'main a[href="{team_url}"]').click())
    assert path_of(page) == team_url
    drawer = open_menu()
    follow(page, lambda: drawer.locator(f'a[href="{reverse("home:index")}"]').click())
    assert path_of(page) == reverse("home:index")


@pytest.mark.browser
def test_accessibility_statement_is_open_to_everyone(page, live_server, db):
    visit(page, live_server.url + reverse("core:accessibility"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Logged out: no menu, no name, and the statement is linked from every page's footer.
    expect(page.locator(".navigation-menu")).to_have_count(0)
    expect(page.locator(".js-menu-open")).to_have_count(0)
    expect(page.locator(f'footer a[href="{reverse("core:accessibility")}"]')).to_be_visible()


@pytest.mark.browser
def test_wrong_password_shows_the_error_summary_in_danish(page, live_server, cast):
    visit(page, live_server.url + reverse("accounts:login"))
    page.locator("#id_username").fill(cast.alice.username)
    page.locator("#id_password").fill("not-the-password")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert path_of(page) == reverse("accounts:login")

    with translation.override("da"):
        username = str(User._meta.get_field("username").verbose_name)
        danish = str(LoginForm.error_messages["invalid_login"]) % {"username": username}
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(danish)
