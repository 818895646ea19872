"""The people picker in Chromium: by keyboard alone, a member asks someone in another unit for
feedback (type, arrow down, Enter, Tab on to the button, Enter), in Danish and English, on a
desktop and a phone, with axe-core run while the listbox is open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from feedback.models import FeedbackAsk, FeedbackRequest
from organisation.models import Unit
from tests.browser.conftest import (
    LANGUAGE_ON_DEVICE_TURNED,
    PHONE,
    SCREENSHOTS,
    check,
    follow,
    login,
    path_of,
    visit,
)


def pick(page: Page, field: str, typed: str, name: str) -> None:
    """Choose `name` in the people picker of `field` by keyboard: type, arrow down, Enter."""
    search = page.locator(f"#id_{field}")
    expect(search).to_have_attribute("role", "combobox")
    search.focus()
    page.keyboard.type(typed)
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", re.compile(f"^id_{field}-listbox-"))
    page.keyboard.press("Enter")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"[data-name={field}] [data-picker-chosen]")).to_contain_text(name)


@pytest.mark.browser
@pytest.mark.parametrize(("language", "width"), LANGUAGE_ON_DEVICE_TURNED)
def test_asking_feedback_from_another_unit_by_keyboard(
    new_page, live_server, cast, language, width
):
    cast.alice.language = language
    cast.alice.save()
    page = new_page(**({"viewport": PHONE, "is_mobile": True} if width == "phone" else {}))
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("feedback:ask"))

    search = page.locator("#id_people")
    search.focus()
    page.keyboard.type("ev")
    listbox = page.locator("#id_people-listbox")
    expect(listbox).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    option = listbox.locator('[role="option"]')
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Eve Eriksen")
    expect(option).to_contain_text("Controller")
    expect(option).to_contain_text(Unit.objects.get(pk=cast.other_team.pk).name)
    expect(page.locator("[data-picker-status]")).to_contain_text("1")
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", f"id_people-listbox-{cast.eve.pk}")
    check(page)  # axe-core with the listbox open

    # Escape closes the list without choosing; arrow down opens it again.
    page.keyboard.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(search).to_have_attribute("aria-expanded", "false")
    chosen = page.locator("[data-picker-chosen] button")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Eve Eriksen")
    expect(page.locator("[data-picker-status]")).to_contain_text("Eve Eriksen")
    expect(search).to_be_focused()

    # On to what the feedback is about, and then to the button, by Tab alone.
    page.keyboard.press("Tab")
    expect(page.locator("#id_about")).to_be_focused()
    page.keyboard.type("Budgetmødet i tirsdags")
    submit = page.locator("main form button[type=submit]")
    for _press in range(10):
        if submit.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    check(page)
    follow(page, lambda: page.keyboard.press("Enter"))

    request = FeedbackRequest.objects.get()
    assert path_of(page) == request.get_absolute_url()
    assert request.asker == cast.alice and request.about == "Budgetmødet i tirsdags"
    assert [ask.person for ask in FeedbackAsk.objects.all()] == [cast.eve]


@pytest.mark.browser
def test_a_chosen_person_is_removed_with_their_button(page, live_server, cast):
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("feedback:ask"))
    pick(page, "people", "eve", "Eve Eriksen")
    pick(page, "people", "bob", "Bob Bertelsen")
    chips = page.locator("[data-picker-chosen] button")
    expect(chips).to_have_count(2)
    chips.first.focus()
    page.keyboard.press("Enter")
    expect(chips).to_have_count(1)
    expect(chips).to_contain_text("Bob Bertelsen")
    expect(page.locator("#id_people")).to_be_focused()
    page.locator("#id_about").fill("Notatet")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert [ask.person for ask in FeedbackAsk.objects.all()] == [cast.bob]


@pytest.mark.browser
def test_the_person_arrowed_to_stays_active_when_the_list_comes_again(page, live_server, cast):
    """The list comes again with each letter typed. A person who arrows down before the last
    letter's list has come keeps the one they arrowed to, when that one is still in it."""
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("feedback:ask"))
    search = page.locator("#id_people")
    eve = f"id_people-listbox-{cast.eve.pk}"
    search.focus()
    page.keyboard.type("ev")
    listbox = page.locator("#id_people-listbox")
    expect(listbox.locator('[role="option"]')).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", eve)

    listbox.evaluate("element => { element.dataset.before = 'yes'; }")
    with page.expect_response(lambda response: "q=eve" in response.url):
        page.keyboard.type("e")
    expect(page.locator("#id_people-listbox:not([data-before])")).to_be_attached()
    expect(page.locator("#id_people-results")).not_to_have_class(re.compile(r"\bhtmx-settling\b"))
    expect(search).to_have_attribute("aria-activedescendant", eve)
    expect(page.locator(f"#{eve}")).to_have_class(re.compile(r"\bis-active\b"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-picker-chosen] button")).to_contain_text("Eve Eriksen")


@pytest.mark.browser
def test_sharing_a_note_with_someone_in_another_unit(page, live_server, cast):
    from profiles.models import ProfileNote

    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("profiles:new"))
    page.locator("#id_title").fill("Til Eve")
    page.locator("#id_body").fill("Tanker om budgettet")
    page.locator('input[name="visibility"][value="shared"]').check()
    pick(page, "shared_with", "eri", "Eve Eriksen")
    check(page)
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    assert list(ProfileNote.objects.get().shared_with.all()) == [cast.eve]


@pytest.mark.browser
@pytest.mark.parametrize("url", ["recognition:new", "feedback:give", "feedback:sparring_new"])
def test_the_picker_on_the_other_forms(page, live_server, cast, url):
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse(url))
    field = {"recognition:new": "recipients", "feedback:give": "receiver"}.get(url, "partner")
    search = page.locator(f"#id_{field}")
    search.focus()
    page.keyboard.type("e")
    expect(search).to_have_attribute("aria-expanded", "true")
    check(page)
    pick(page, field, "eve", "Eve Eriksen")
    check(page)


@pytest.mark.browser
def test_without_javascript_the_picker_is_the_list_of_colleagues(new_page, live_server, cast):
    # Without JavaScript the page checks (which run in the page) cannot run: a picture only.
    page = new_page(java_script_enabled=False)
    login(page, live_server, cast.alice, checked=False)
    page.goto(live_server.url + reverse("feedback:ask"))
    expect(page.locator('[role="combobox"]')).to_be_hidden()
    expect(page.locator("#id_people")).to_contain_text("Bob Bertelsen")
    page.screenshot(path=SCREENSHOTS / "picker-without-javascript.png", full_page=True)
    page.locator(f'input[name="people"][value="{cast.bob.pk}"]').check()
    page.locator("#id_about").fill("Notatet")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert [ask.person for ask in FeedbackAsk.objects.all()] == [cast.bob]
