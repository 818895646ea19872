"""The daily rhythm in Chromium: a check-in with a need for help, shared with the leader; a
colleague offers help, the asker accepts and resolves; the leader sees the shared check-in on
the team page and never the private one. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checkins.models import CheckIn, current_week
from notifications.models import Notification
from organisation.models import Value
from teamwork.models import HelpOffer, HelpRequest
from tests.browser.conftest import PHONE, follow, login, path_of, submit, visit

PRIVATE_TEXT = "En privat uge, kun for mig"


@pytest.mark.browser
def test_a_week_of_check_in_help_and_sharing(page, new_page, live_server, cast):
    private = CheckIn.objects.create(
        owner=cast.alice, week=current_week() - timedelta(weeks=1), went_well=PRIVATE_TEXT
    )

    # Alice writes this week's check-in from Min side, asks for help and shares it with Lena.
    login(page, live_server, cast.alice)
    new_checkin = reverse("checkins:new")
    follow(page, lambda: page.locator(f'main a[href="{new_checkin}"]').click())
    assert path_of(page) == new_checkin
    page.locator('input[name="energy"][value="4"]').check()
    page.locator("#id_went_well").fill("Workshoppen med kommunerne gik godt.")
    page.locator("#id_priorities").fill("Release af version 2.")
    page.locator("#id_help_needed").fill("En ekstra test af importen inden fredag.")
    page.locator('input[name="visibility"][value="leader"]').check()
    submit(page)
    checkin = CheckIn.objects.get(owner=cast.alice, week=current_week())
    assert path_of(page) == checkin.get_absolute_url()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Workshoppen med kommunerne gik godt.")
    help_request = HelpRequest.objects.get()
    assert checkin.help_request == help_request
    follow(page, lambda: page.locator(f'main a[href="{help_request.get_absolute_url()}"]').click())
    assert path_of(page) == help_request.get_absolute_url()

    # Bob hears of it, finds it on Min side and offers to help.
    assert Notification.objects.filter(recipient=cast.bob, kind="help_request").exists()
    bob = new_page()
    login(bob, live_server, cast.bob)
    follow(bob, lambda: bob.locator(f'main a[href="{help_request.get_absolute_url()}"]').click())
    bob.locator("#id_message").fill("Jeg tester den torsdag formiddag.")
    submit(bob, 'main form[action$="/offer/"]')
    expect(bob.get_by_role("status")).to_be_visible()
    expect(bob.locator("main")).to_contain_text("Jeg tester den torsdag formiddag.")
    assert Notification.objects.filter(recipient=cast.alice, kind="help_offer").exists()

    # Alice accepts the offer and marks the request resolved.
    visit(page, live_server.url + help_request.get_absolute_url())
    submit(page, 'main form[action$="/accept/"]')
    assert HelpOffer.objects.get().accepted
    assert Notification.objects.filter(recipient=cast.bob, kind="help_offer").exists()
    submit(page, 'main form[action$="/resolve/"]')
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.RESOLVED
    expect(page.locator('main form[action$="/resolve/"]')).to_have_count(0)

    # Her own timeline has both weeks.
    visit(page, live_server.url + reverse("checkins:list"))
    expect(page.locator(f'main a[href="{private.get_absolute_url()}"]')).to_be_visible()
    expect(page.locator(f'main a[href="{checkin.get_absolute_url()}"]')).to_be_visible()

    # Lena sees the shared check-in on the team page, and not the private one.
    lena = new_page()
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + cast.team.get_absolute_url())
    expect(lena.locator(f'main a[href="{private.get_absolute_url()}"]')).to_have_count(0)
    expect(lena.locator("main")).not_to_contain_text(PRIVATE_TEXT)
    follow(lena, lambda: lena.locator(f'main a[href="{checkin.get_absolute_url()}"]').click())
    expect(lena.locator("main")).to_contain_text("Workshoppen med kommunerne gik godt.")
    expect(lena.locator("main")).not_to_contain_text(PRIVATE_TEXT)
    # Typing the address of the private one gives the same answer as something missing.
    assert lena.request.get(live_server.url + private.get_absolute_url()).status == 404
    visit(lena, live_server.url + reverse("checkins:shared"))
    expect(lena.locator(f'main a[href="{private.get_absolute_url()}"]')).to_have_count(0)


@pytest.mark.browser
def test_the_check_in_form_on_a_phone(new_page, live_server, cast):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, live_server, cast.bob)
    visit(page, live_server.url + reverse("checkins:new"))
    # An empty check-in is refused with the error summary, which leads to the problem.
    submit(page)
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_visible()
    assert not CheckIn.objects.exists()
    page.locator("#id_priorities").fill("Færdiggøre dokumentationen.")
    submit(page)
    assert CheckIn.objects.get().owner == cast.bob


@pytest.mark.browser
def test_the_team_pages_of_the_daily_rhythm(page, live_server, cast):
    login(page, live_server, cast.alice)
    team = cast.team.get_absolute_url()
    visit(page, live_server.url + team)

    follow(page, lambda: page.locator(f'main a[href="{team}purpose/"]').click())
    page.locator("#id_purpose").fill("Vi gør det let at dele digitale løsninger.")
    page.locator("#id_checkin_weekday").select_option("3")
    submit(page)
    assert path_of(page) == team
    expect(page.locator(".team-purpose")).to_have_text("Vi gør det let at dele digitale løsninger.")

    agreements = reverse("teamwork:agreements", kwargs={"unit_id": cast.team.pk})
    follow(page, lambda: page.locator(f'main a[href="{agreements}"]').click())
    submit(page, 'main form[action$="/start/"]')
    expect(page.locator("main ol.agreement-list > li")).to_have_count(5)
    follow(page, lambda: page.locator("main a[href$='/edit/']").first.click())
    page.locator("#id_text").fill("Vi tager ansvar for opgaver og fælles mål, også de små.")
    submit(page)
    expect(page.locator("main")).to_contain_text("også de små")
    visit(page, live_server.url + agreements + "history/")

    goals = reverse("teamwork:goals", kwargs={"unit_id": cast.team.pk})
    visit(page, live_server.url + goals)
    follow(page, lambda: page.locator(f'main a[href="{goals}new/"]').click())
    page.locator("#id_title").fill("Version 2 i drift")
    page.locator('input[name="status"][value="on_track"]').check()
    submit(page)
    page.locator("#id_text").fill("Testmiljøet er klar.")
    submit(page, 'main form[action$="/notes/"]')
    expect(page.locator("main")).to_contain_text("Testmiljøet er klar.")

    help_list = reverse("teamwork:help_list", kwargs={"unit_id": cast.team.pk})
    visit(page, live_server.url + help_list)
    follow(page, lambda: page.locator(f'main a[href="{help_list}new/"]').click())
    page.locator("#id_text").fill("Hvem kan tage mødet med leverandøren torsdag?")
    submit(page)

    Value.objects.get_or_create(name="Nærvær")
    reflections = reverse("reflections:list")
    visit(page, live_server.url + reflections)
    follow(page, lambda: page.locator(f'main a[href="{reflections}new/"]').click())
    page.locator("#id_text").fill("Jeg lyttede mere end jeg talte i dag.")
    page.locator("#id_value").select_option(label="Nærvær")
    submit(page)
    expect(page.locator("main")).to_contain_text("Nærvær")

    # The team page now has its purpose, an open request, a goal and the agreements.
    visit(page, live_server.url + team)
    main = page.locator("main")
    for text in ("Version 2 i drift", "Hvem kan tage mødet", "også de små"):
        expect(main).to_contain_text(text)
    visit(page, live_server.url + "/")
