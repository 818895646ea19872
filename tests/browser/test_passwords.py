"""The pages where people choose, reset and change their own password, in Chromium, Danish,
on a desktop and a phone, with axe-core on each."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from accounts.services import password_link_url
from conftest import PASSWORD
from tests.browser.conftest import SCREENSHOTS, axe_check, follow, login, path_of, visit

NEW = "a-password-only-alice-knows"


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _forgot_and_link_pages(page: Page, live_server, cast) -> None:
    visit(page, live_server.url + reverse("accounts:login"))
    follow(page, lambda: page.locator('a[href="/password/forgot/"]').click())
    follow(page, lambda: page.locator("main form button[type=submit]").click())  # empty: errors
    page.locator("#id_email").fill("alice@example.org")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert path_of(page) == reverse("accounts:password_forgot_sent")
    cast.alice.refresh_from_db()
    link = _path(password_link_url(person=cast.alice, purpose="reset", now=timezone.now()))
    visit(page, live_server.url + link)
    page.locator("#id_new_password1").fill("12345")
    page.locator("#id_new_password2").fill("12345")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    page.locator("#id_new_password1").fill(NEW)
    page.locator("#id_new_password2").fill(NEW)
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert path_of(page) == reverse("accounts:login")
    # Used once: the page says so (a 404, which the browser logs, so only axe checks it).
    used = page.goto(live_server.url + link)
    assert used is not None and used.status == 404
    width = (page.viewport_size or {"width": 0})["width"]
    page.screenshot(path=SCREENSHOTS / f"password-link-used-{width}.png")
    axe_check(page)


@pytest.mark.browser
def test_forgot_password_and_choosing_a_new_one(page, live_server, cast):
    _forgot_and_link_pages(page, live_server, cast)


@pytest.mark.browser
def test_forgot_password_and_choosing_a_new_one_on_a_phone(phone_page, live_server, cast):
    _forgot_and_link_pages(phone_page, live_server, cast)


@pytest.mark.browser
def test_changing_ones_own_password(page, live_server, cast):
    login(page, live_server, cast.alice)
    follow(page, lambda: page.locator('.portal-user a[href="/password/change/"]').click())
    follow(page, lambda: page.locator("main form button[type=submit]").click())  # errors
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW)
    page.locator("#id_new_password2").fill(NEW)
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert path_of(page) == reverse("home:index")


@pytest.mark.browser
def test_changing_ones_own_password_on_a_phone(phone_page, live_server, cast):
    login(phone_page, live_server, cast.alice)
    visit(phone_page, live_server.url + reverse("accounts:password_change"))


@pytest.mark.browser
def test_an_administrator_sends_a_link_from_a_persons_page(page, live_server, cast):
    login(page, live_server, cast.ada)
    visit(
        page,
        live_server.url + reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk}),
    )
    assert page.locator('input[type="password"]').count() == 0
    follow(
        page,
        lambda: page.locator(
            f'form[action="/administration/people/{cast.alice.pk}/send-link/"] button'
        ).click(),
    )
