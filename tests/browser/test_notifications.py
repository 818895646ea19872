"""Notifications in Chromium: the count in the header, the list, following a notification,
marking all read and choosing what reaches one, each page checked with axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from notifications.models import NotificationSetting, OutgoingEmail
from notifications.services import notify
from tests.browser.conftest import PHONE, follow, login, path_of, visit


@pytest.mark.browser
def test_member_reads_her_notifications_and_chooses_what_reaches_her(page: Page, live_server, cast):
    notify(recipient=cast.alice, kind="help_offer", text="Bob vil gerne hjælpe", url="/notes/")
    notify(recipient=cast.alice, kind="help_request", text="Lena beder om hjælp", url="/teams/")
    login(page, live_server, cast.alice)

    header = page.locator(".portal-user .notifications-link")
    expect(header).to_contain_text("(2)")
    follow(page, lambda: header.click())
    assert path_of(page) == reverse("notifications:list")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    follow(page, lambda: page.get_by_role("link", name="Bob vil gerne hjælpe").click())
    assert path_of(page) == "/notes/"
    expect(header).to_contain_text("(1)")

    visit(page, live_server.url + reverse("notifications:list"))
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert path_of(page) == reverse("notifications:list")
    expect(page.get_by_role("status")).to_be_visible()
    expect(header).not_to_contain_text("(")

    follow(
        page,
        lambda: page.locator(f'main a[href="{reverse("notifications:settings")}"]').click(),
    )
    email = page.locator('input[name="help_request-email"]')
    expect(email).to_be_checked()
    # The label is the checkbox's target too.
    page.locator('label[for="id_help_request-email"]').click()
    expect(email).not_to_be_checked()
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert path_of(page) == reverse("notifications:settings")
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator('input[name="help_request-email"]')).not_to_be_checked()
    setting = NotificationSetting.objects.get(user=cast.alice, kind="help_request")
    assert (setting.in_app, setting.email) == (True, False)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "phone"), [("da", False), ("en", True)], ids=["da-desktop", "en-phone"]
)
def test_member_turns_all_email_off_and_is_still_told_in_the_app(
    new_page, live_server, cast, language, phone
):
    User.objects.filter(pk=cast.alice.pk).update(language=language)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True) if phone else new_page()
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("notifications:settings"))
    switch = page.locator('input[name="all_email"]')
    expect(switch).to_be_checked()
    page.locator('label[for="id_all_email"]').click()
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.locator('input[name="all_email"]')).not_to_be_checked()
    # The choice per kind is kept; nothing reaches her by e-mail, all of it in the app.
    expect(page.locator('input[name="help_request-email"]')).to_be_checked()
    notify(recipient=cast.alice, kind="help_request", text="Bob beder om hjælp", subject="Bob")
    assert not OutgoingEmail.objects.filter(recipient=cast.alice).exists()
    visit(page, live_server.url + reverse("notifications:list"))
    expect(page.locator("main")).to_contain_text("Bob beder om hjælp")
