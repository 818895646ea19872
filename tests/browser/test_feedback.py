"""Feedback and recognition in Chromium: alice asks bob for feedback, bob answers, alice thanks
him and shares it onward with her leader, who sees exactly that item; a recognition appears
on the team's feed and takes a reaction. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Feedback, FeedbackRequest, SparringRequest
from feedback.services import feedback_give
from organisation.models import Value
from recognition.models import Reaction, Recognition
from tests.browser.conftest import PHONE, follow, login, path_of, submit, visit
from tests.browser.test_people_picker import pick

PRIVATE_TEXT = "Et privat råd, kun til Alice"


@pytest.mark.browser
def test_ask_answer_thank_share_and_recognise(page, new_page, live_server, cast):
    # Live-server tests empty the database after each other, values from migrations included.
    for name in ("Åbenhed", "Faglighed"):
        Value.objects.get_or_create(name=name)
    # Feedback alice keeps to herself, from before.
    private = feedback_give(
        giver=cast.bob, receiver=cast.alice, works_well=PRIVATE_TEXT, even_better=""
    )

    # Alice asks Bob for feedback from the feedback page; an empty form is refused first.
    login(page, live_server, cast.alice)
    visit(page, live_server.url + reverse("feedback:index"))
    follow(page, lambda: page.locator(f'main a[href="{reverse("feedback:ask")}"]').click())
    submit(page)
    expect(page.locator('[data-module="error-summary"]')).to_be_visible()
    pick(page, "people", "bob", "Bob Bertelsen")
    page.locator("#id_about").fill("Workshoppen med kommunerne")
    page.locator("#id_questions").fill("Fik alle ordet?")
    page.locator("#id_theme").select_option("project")
    submit(page)
    request = FeedbackRequest.objects.get()
    assert path_of(page) == request.get_absolute_url()

    # Bob finds it on Min side and answers with the two prompts and a value.
    bob = new_page()
    login(bob, live_server, cast.bob)
    follow(bob, lambda: bob.locator(f'main a[href="{request.get_absolute_url()}"]').click())
    expect(bob.locator("main")).to_contain_text("Fik alle ordet?")
    bob.locator("#id_works_well").fill("Klar dagsorden og god tid til spørgsmål.")
    bob.locator("#id_even_better").fill("Send materialet dagen før.")
    bob.locator('input[name="values"]').first.check()
    submit(bob, 'main form[action$="/answer/"]')
    feedback = Feedback.objects.exclude(pk=private.pk).get()
    assert path_of(bob) == feedback.get_absolute_url()

    # Alice reads it, thanks Bob, keeps it and shares it with her leader.
    visit(page, live_server.url + reverse("feedback:index"))
    follow(page, lambda: page.locator(f'main a[href="{feedback.get_absolute_url()}"]').click())
    expect(page.locator("main")).to_contain_text("Klar dagsorden")
    submit(page, 'main form[action$="/thank/"]')
    submit(page, 'main form[action$="/keep/"]')
    share = reverse("feedback:share", args=[feedback.pk])
    follow(page, lambda: page.locator(f'main a[href="{share}"]').click())
    page.locator('input[name="visibility"][value="leader"]').check()
    submit(page)
    feedback.refresh_from_db()
    assert feedback.thanked_at and feedback.kept and feedback.visibility == "leader"
    visit(page, live_server.url + reverse("feedback:overview"))
    expect(page.locator("main")).to_contain_text("Workshoppen med kommunerne")

    # Lena sees exactly the shared item: not the private one, on no page.
    lena = new_page()
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + reverse("feedback:shared"))
    expect(lena.locator("main li")).to_have_count(1)
    follow(lena, lambda: lena.locator(f'main a[href="{feedback.get_absolute_url()}"]').click())
    expect(lena.locator("main")).to_contain_text("Klar dagsorden")
    expect(lena.locator("main form")).to_have_count(0)
    assert lena.request.get(live_server.url + private.get_absolute_url()).status == 404
    for url in ("/", reverse("feedback:index"), cast.team.get_absolute_url()):
        visit(lena, live_server.url + url)
        expect(lena.locator("main")).not_to_contain_text(PRIVATE_TEXT)

    # Alice thanks Bob on the team's feed; Lena reacts to it.
    value = Value.objects.get(name="Åbenhed")
    visit(page, live_server.url + cast.team.get_absolute_url())
    follow(page, lambda: page.locator('main a[href^="/recognition/new/"]').click())
    pick(page, "recipients", "bob", "Bob Bertelsen")
    page.locator("#id_text").fill("Tak for hjælpen med importen i går.")
    page.locator(f'input[name="values"][value="{value.pk}"]').check()
    submit(page)
    recognition = Recognition.objects.get()
    assert recognition.unit == cast.team
    visit(lena, live_server.url + cast.team.get_absolute_url())
    expect(lena.locator("main")).to_contain_text("Tak for hjælpen med importen i går.")
    # One form, a button for each reaction: the button pressed says which.
    heart = f'#reactions-{recognition.pk} button[value="heart"]'
    expect(lena.locator(heart)).to_have_attribute("aria-pressed", "false")
    lena.locator(heart).click()  # htmx swaps the reactions in place
    expect(lena.locator(heart)).to_have_attribute("aria-pressed", "true")
    assert list(Reaction.objects.filter(user=cast.lena).values_list("kind", flat=True)) == ["heart"]
    visit(lena, live_server.url + reverse("recognition:feed"))
    expect(lena.locator("main")).to_contain_text("Tak for hjælpen med importen i går.")


@pytest.mark.browser
def test_sparring_on_a_phone(new_page, live_server, cast):
    alice = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + reverse("feedback:sparring_new"))
    pick(alice, "partner", "bo", "Bob Bertelsen")
    alice.locator("#id_topic").fill("Arkitekturen for version 3")
    submit(alice)
    sparring = SparringRequest.objects.get()

    bob = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(bob, live_server, cast.bob)
    visit(bob, live_server.url + sparring.get_absolute_url())
    day = timezone.localdate() + timedelta(days=3)
    bob.locator("#id_day").fill(day.isoformat())
    bob.locator("#id_start").fill("13:30")
    bob.locator("#id_place").fill("Mødelokale 2")
    submit(bob, 'main form[action$="/time/"]')
    sparring.refresh_from_db()
    assert sparring.status == SparringRequest.Status.SCHEDULED
    visit(alice, live_server.url + sparring.get_absolute_url())
    invitation = alice.locator('main a[href$="invitation.ics"]')
    expect(invitation).to_be_visible()
    with alice.expect_download() as download:
        invitation.click()
    assert download.value.suggested_filename == f"sparring-{sparring.pk}.ics"
    visit(alice, live_server.url + reverse("feedback:overview"))
