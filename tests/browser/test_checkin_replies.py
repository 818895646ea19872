"""Replies in Chromium: alice shares her check-in with lena a moment ago; lena finds it with
every field under "Shared with me", replies (htmx swaps the thread in place; an empty reply is
refused first), and alice sees the reply and answers. Danish and English, desktop and phone;
every page and every swap is checked with axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checkins.models import Reply, current_week
from checkins.selectors import shared_with_me_this_week
from checkins.services import checkin_write
from core.access import Visibility
from tests.browser.conftest import (
    LANGUAGE_ON_DEVICE_TURNED,
    PHONE,
    check,
    follow,
    login,
    path_of,
    visit,
)

WORDS = {
    "da": {"send": "Send svar", "empty": "Et tomt svar kan ikke sendes", "you": "Dig"},
    "en": {"send": "Send reply", "empty": "An empty reply cannot be sent", "you": "You"},
}


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE_TURNED)
def test_a_leader_replies_to_a_checkin_shared_a_moment_ago(
    language, device, new_page, live_server, cast
):
    words = WORDS[language]
    for person in (cast.alice, cast.lena):
        person.language = language
        person.save(update_fields=["language"])
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}
    checkin = checkin_write(
        owner=cast.alice,
        week=current_week(),
        energy=2,
        went_well="Workshoppen gik godt.",
        is_hard="Budgettet fylder meget.",
        priorities="Release af version 2.",
        help_needed="",
        visibility=Visibility.LEADER,
    )

    # Lena finds it under "Shared with me", with every field, and opens it to reply.
    lena = new_page(**options)
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + reverse("checkins:shared"))
    for text in ("Workshoppen gik godt.", "Budgettet fylder meget.", "Release af version 2."):
        expect(lena.locator("main")).to_contain_text(text)
    follow(
        lena, lambda: lena.locator(f'main a[href="{checkin.get_absolute_url()}#replies"]').click()
    )
    assert path_of(lena) == checkin.get_absolute_url()

    # An empty reply is refused in place, then her reply takes its place in the thread.
    thread = lena.locator("main .thread")
    thread.get_by_role("button", name=words["send"]).click()
    expect(lena.locator("main .thread .form-error-message")).to_contain_text(words["empty"])
    check(lena)
    lena.locator("main .thread textarea").fill("Tak! Skal vi tage budgettet på fredag?")
    lena.locator("main .thread").get_by_role("button", name=words["send"]).click()
    expect(lena.locator("main .thread .reply")).to_contain_text("Tak! Skal vi tage budgettet")
    check(lena)
    reply = Reply.objects.get()
    assert (
        reply.owner == cast.lena
        and shared_with_me_this_week(cast.lena, reply.created_at)[0].reply_count == 1
    )

    # Alice sees the reply under her check-in, named by Lena, and answers.
    alice = new_page(**options)
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + checkin.get_absolute_url())
    expect(alice.locator("main .thread h3")).to_contain_text("Lena Lund")
    expect(alice.locator("main .thread .reply")).to_contain_text("Tak! Skal vi tage budgettet")
    alice.locator("main .thread textarea").fill("Ja, fredag kl. 10.")
    alice.locator("main .thread").get_by_role("button", name=words["send"]).click()
    expect(alice.locator("main .thread .reply").nth(1)).to_contain_text(words["you"])
    check(alice)
    assert Reply.objects.count() == 2

    # She changes her answer on a page of its own (which also offers to delete it).
    answer = Reply.objects.get(owner=cast.alice)
    edit = reverse("checkins:reply_edit", args=[answer.pk])
    follow(alice, lambda: alice.locator(f'main a[href="{edit}"]').click())
    alice.locator("main textarea").fill("Ja, fredag kl. 10 hos mig.")
    follow(alice, lambda: alice.locator("main form button[type=submit]").first.click())
    assert path_of(alice) == checkin.get_absolute_url()
    expect(alice.locator("main .thread")).to_contain_text("fredag kl. 10 hos mig.")
