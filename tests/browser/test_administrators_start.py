"""The administrator's start in Chromium, in Danish and English, on a desktop and a phone:
the setup checklist ticks as Sparring is set up (a value added, a test e-mail delivered by
the worker, a wellbeing survey's first round opened), each page checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.management.commands.worker import tick
from notifications.models import OutgoingEmail
from notifications.selectors import EMAIL_TEST
from organisation.models import Value
from pulse.models import Question, Survey
from tests.browser.conftest import LANGUAGE_ON_DEVICE, PHONE, follow, login, path_of, visit

STEPS = ("organisation", "values", "login", "email", "chat", "survey")


def ticked(page: Page, *done: str) -> None:
    """Exactly the steps `done` are ticked, each with a mark a screen reader reads."""
    label = "Done" if page.locator("html").get_attribute("lang") == "en" else "Færdig"
    for step in STEPS:
        mark = page.locator(f"#setup-{step} .setup-mark-done")
        expect(mark).to_have_count(1 if step in done else 0)
        if step in done:
            expect(mark.get_by_role("img")).to_have_accessible_name(label)


@pytest.mark.browser
@pytest.mark.parametrize(("language", "size"), LANGUAGE_ON_DEVICE)
def test_the_administrators_checklist_ticks_as_sparring_is_set_up(
    size, language, new_page, live_server, cast
):
    Value.objects.update(is_active=False)
    cast.ada.language = language
    cast.ada.save(update_fields=["language"])
    page = (
        new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        if size == "phone"
        else (new_page(viewport={"width": 1280, "height": 900}))
    )
    words = {
        "da": {"warning": "Baggrundsprocessen har ikke kørt endnu", "sent": "blev sendt"},
        "en": {"warning": "No worker has run yet", "sent": "was sent"},
    }[language]
    home = live_server.url + reverse("home:index")

    # The cast's units and people are there; nothing else is set up, and no worker has run.
    login(page, live_server, cast.ada)
    expect(page.locator("html")).to_have_attribute("lang", language)
    ticked(page, "organisation")
    expect(page.locator("#health")).to_contain_text(words["warning"])

    # A value, through the administration.
    follow(page, lambda: page.locator("#setup-values a").click())
    follow(
        page, lambda: page.locator(f'main a[href="{reverse("administration:value_new")}"]').click()
    )
    page.locator("#id_name").fill("Nysgerrighed")
    follow(page, lambda: page.locator("main form button[type=submit]").first.click())
    visit(page, home)
    ticked(page, "organisation", "values")

    # A test e-mail waits for the worker; the step ticks once the worker delivered it.
    follow(page, lambda: page.locator("#setup-email button").click())
    assert path_of(page) == reverse("home:index")
    expect(page.get_by_role("status")).to_contain_text("ada@example.org")
    ticked(page, "organisation", "values")
    email = OutgoingEmail.objects.get(kind=EMAIL_TEST)

    # A wellbeing survey whose first round the same turn of the worker opens.
    survey = Survey.objects.create(
        name="Trivsel", starts_on=timezone.localdate(email.created_at) - timedelta(days=1)
    )
    survey.units.set([cast.team])
    survey.items.create(question=Question.objects.create(theme="trust", text_da="T", text_en="T"))
    tick(email.created_at + timedelta(seconds=1))
    assert ["ada@example.org"] in [m.to for m in mail.outbox]
    assert survey.rounds.exists()

    visit(page, home)
    ticked(page, "organisation", "values", "email", "survey")
    expect(page.locator("#setup-email")).to_contain_text(words["sent"])
    expect(page.locator("#health")).not_to_contain_text(words["warning"])
