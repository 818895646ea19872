"""Bringing items into a conversation, in Chromium: alice has a check-in shared with lena and
lena's reply to it (marked to take up at their next 1:1), feedback from bob she kept, a
reflection and a team action. In the 1:1 lena planned with her, she opens the choices, brings
her check-in in, and lena reads it on the agenda. Danish, desktop and phone; every page is
checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from checkins.models import Reflection, Reply, current_week
from checkins.services import checkin_write, reply_create
from conversations.models import Item, Kind
from conversations.services import conversation_plan
from core.access import Visibility
from feedback.services import feedback_give, feedback_keep
from pulse.models import Action, Question
from teamwork.services import goal_create
from tests.browser.conftest import PHONE, check, follow, login, path_of, visit

# The frozen clock, in the live server too: the conversations are planned from its moment, not
# from the day the suite happens to run.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_alice_brings_her_checkin_into_the_one_to_one(device, new_page, live_server, cast):
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}
    now = timezone.now()
    conversation = conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=now + timedelta(days=2),
        duration_minutes=30,
        now=now,
    )
    checkin = checkin_write(
        owner=cast.alice,
        week=current_week(),
        energy=2,
        went_well="Workshoppen med borgerne gik godt.",
        is_hard="Budgettet fylder meget, og jeg når ikke det hele.",
        priorities="Release af version 2.",
        help_needed="",
        visibility=Visibility.LEADER,
    )
    reply = reply_create(
        checkin=checkin, author=cast.lena, text="Lad os finde ud af, hvad der kan vente."
    )
    Reply.objects.filter(pk=reply.pk).update(talking_point=True)
    feedback = feedback_give(
        giver=cast.bob,
        receiver=cast.alice,
        about="Styregruppemødet",
        works_well="Dit overblik over tidsplanen gjorde det let at beslutte.",
        even_better="Send materialet dagen før.",
    )
    feedback_keep(feedback=feedback, by=cast.alice, kept=True)
    Reflection.objects.create(
        owner=cast.alice, text="Jeg vil gerne lære mere om brugerundersøgelser."
    )
    goal = goal_create(
        unit=cast.team,
        title="Færre møder om fredagen",
        owner=cast.bob,
        due_date=(now + timedelta(days=30)).date(),
        status="on_track",
    )
    question = Question.objects.create(
        theme="workload", text_da="Jeg har tid til mine opgaver", text_en="I have time"
    )
    Action.objects.create(goal=goal, question=question, round=None)

    alice = new_page(**options)
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + reverse("conversations:bring", args=[conversation.pk]))
    main = alice.locator("main")
    expect(main).to_contain_text("Det, du tager med, kan de andre deltagere i samtalen læse.")
    for heading in ("Fra jeres check-ins", "Check-ins", "Feedback gemt til min udvikling"):
        expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(main).to_contain_text("Lad os finde ud af, hvad der kan vente.")
    # What the others will read, opened.
    main.locator("details summary").first.click()
    check(alice)

    # Each button names what it brings (Chromium reads "Tag med : Check-in, uge 49, 2026").
    # The label in Danish, as the page shows it, whatever language an earlier test left active.
    with translation.override("da"):
        label = checkin.week_label
    bring_checkin = main.get_by_role("button", name=re.compile(rf"^Tag med ?: Check-in, {label}$"))
    follow(alice, lambda: bring_checkin.click())
    assert path_of(alice) == conversation.get_absolute_url()
    expect(alice.locator("main")).to_contain_text("er sat på dagsordenen")
    item = Item.objects.get(raised_in=conversation, source=Item.Source.CHECKIN)
    assert "Lad os finde ud af, hvad der kan vente." in item.quote

    lena = new_page(**options)
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + conversation.get_absolute_url())
    expect(lena.locator("main")).to_contain_text(item.text)
    # The talking point is still hers to put on the agenda, once.
    visit(lena, live_server.url + reverse("conversations:bring", args=[conversation.pk]))
    follow(lena, lambda: lena.get_by_role("button", name="Sæt på dagsordenen", exact=False).click())
    assert Item.objects.filter(source=Item.Source.REPLY, raised_in=conversation).count() == 1
    visit(lena, live_server.url + reverse("conversations:bring", args=[conversation.pk]))
    expect(lena.locator("main")).not_to_contain_text("Fra jeres check-ins")
