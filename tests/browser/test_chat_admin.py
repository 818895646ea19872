"""Chat channels in Chromium: an administrator finds them from the administration's overview,
makes a mistake in the form, sets up a team's channel, tests it and deletes it, each page
checked with axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from notifications.models import ChatWebhook, WebhookDelivery
from notifications.tests.conftest import dns  # noqa: F401 (a fixture)
from tests.browser.conftest import follow, login, path_of, visit

TOKEN = "hemmelig-n0gle-123"


def submit(page: Page) -> None:
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.browser
def test_administrator_sets_up_a_teams_chat_channel(page: Page, live_server, cast, dns):  # noqa: F811
    ChatWebhook.objects.create(
        name="Hele kommunen",
        format="zulip",
        url=f"https://zulip.kommune.example/api/v1/external/slack_incoming?api_key={TOKEN}",
    )
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("administration:index"))
    list_url = reverse("chat_admin:webhooks")
    follow(page, lambda: page.locator(f'main a[href="{list_url}"]').first.click())
    assert path_of(page) == list_url
    nav = page.locator(f'nav.admin-nav a[href="{list_url}"]')
    expect(nav).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table")).to_contain_text("Hele kommunen")
    expect(page.get_by_role("table")).to_contain_text("https://zulip.kommune.example/…")
    assert TOKEN not in page.content()

    new_url = reverse("chat_admin:webhook_new")
    follow(page, lambda: page.locator(f'main a[href="{new_url}"]').click())
    assert path_of(page) == new_url

    # An ftp address is refused, and the error summary leads to the field.
    page.locator("#id_name").fill("Sekretariatet")
    page.locator('input[name="format"][value="teams"]').check()
    page.locator("#id_url").fill("ftp://teams.example/hook")
    page.locator("#id_unit").select_option(str(cast.team.pk))
    follow(page, lambda: submit(page))
    assert path_of(page) == new_url
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_url"]')).to_be_visible()
    expect(page.locator("#id_url")).to_have_attribute("aria-invalid", "true")
    assert not ChatWebhook.objects.filter(name="Sekretariatet").exists()

    # What was chosen is kept; with a proper address the webhook is saved.
    expect(page.locator('input[name="format"][value="teams"]')).to_be_checked()
    page.locator("#id_url").fill(f"https://kommune.example/workflows/{TOKEN}/triggers/manual")
    follow(page, lambda: submit(page))
    assert path_of(page) == list_url
    expect(page.get_by_role("status")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Sekretariatet")
    expect(row).to_contain_text("Microsoft Teams")
    expect(row).to_contain_text("https://kommune.example/…")
    assert TOKEN not in page.content()
    webhook = ChatWebhook.objects.get(name="Sekretariatet")
    assert webhook.unit == cast.team and webhook.format == "teams"

    # A test message waits for the worker.
    follow(page, lambda: row.get_by_role("button").click())
    expect(page.get_by_role("status")).to_be_visible()
    waiting = page.get_by_role("row").filter(has_text="Sekretariatet").locator(".badge-warning")
    expect(waiting).to_be_visible()
    assert WebhookDelivery.objects.filter(webhook=webhook).count() == 1

    # The form never shows the saved address; deleting asks first.
    follow(page, lambda: page.get_by_role("link", name="Sekretariatet", exact=True).click())
    expect(page.locator("#id_url")).to_have_value("")
    assert TOKEN not in page.content()
    follow(page, lambda: page.locator("main a.button-warning").click())
    assert path_of(page) == reverse("chat_admin:webhook_delete", kwargs={"webhook_id": webhook.pk})
    follow(page, lambda: submit(page))
    assert path_of(page) == list_url
    expect(page.get_by_role("table")).not_to_contain_text("Sekretariatet")
    assert not ChatWebhook.objects.filter(pk=webhook.pk).exists()


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_refused_addresses_and_failures_read_clearly(size, new_page, live_server, cast, dns):  # noqa: F811
    from datetime import UTC, datetime

    from tests.browser.conftest import PHONE

    page = new_page(viewport=PHONE, is_mobile=True) if size == "phone" else new_page()
    dns.answers["intern.kommune.example"] = ["10.20.30.40"]
    hook = ChatWebhook.objects.create(
        name="Hele kommunen",
        format="zulip",
        url=f"https://zulip.kommune.example/api/v1/external/slack_incoming?api_key={TOKEN}",
        failures=3,
        retry_after=datetime(2026, 3, 3, 9, 34, tzinfo=UTC),
    )
    WebhookDelivery.objects.create(
        webhook=hook,
        text="x",
        link="https://sparring.example/",
        attempts=10,
        next_attempt_at=None,
        last_error="http_status",
        last_status=500,
    )
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("chat_admin:webhooks"))
    row = page.get_by_role("row").filter(has_text="Hele kommunen")
    expect(row).to_contain_text("Chattjenesten svarede med en fejl: HTTP 500")
    expect(row).to_contain_text("Fejlet 3 gange i træk")

    # An address that leads inside is refused with a Danish message on the field.
    visit(page, live_server.url + reverse("chat_admin:webhook_new"))
    page.locator("#id_name").fill("Intern")
    page.locator('input[name="format"][value="mattermost"]').check()
    page.locator("#id_url").fill("https://intern.kommune.example/hooks/abc")
    follow(page, lambda: submit(page))
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("internt netværk")
    expect(page.locator("#id_url")).to_have_attribute("aria-invalid", "true")
    assert not ChatWebhook.objects.filter(name="Intern").exists()
