"""The acceptance test of conversations (issue 12), in Chromium, on a desktop and a phone, in
Danish, with the clock standing still at a fixed moment for the test and the live server alike:

lena plans MUS for alice, bob and carl on the plan page, and the invitations reach a real SMTP
server at 10:30 in Copenhagen; alice prepares privately, and lena reads her answer only once
alice shares it; alice brings in her check-in (with its replies) and feedback she kept; the
agenda gets a talking point, a shared note and an action, and alice a private note lena never
sees; lena marks the MUS held, and it is frozen; both approve the summary, which locks it; and
the next 1:1, planned from their conversations together, carries the open action over (and
only it: the points talked through stay with the MUS).
Every page and swap is checked with axe-core."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from checkins.models import Reply, week_of
from checkins.services import checkin_write, reply_create
from conftest import COPENHAGEN, _person
from conversations.models import Conversation, Item, Kind, Plan, Preparation, PrivateNote
from core.access import Visibility
from feedback.services import feedback_give, feedback_keep
from notifications.delivery import deliver_due
from notifications.tests.conftest import mail_settings, smtp_server  # noqa: F401 (the SMTP server's fixtures)
from organisation.models import Membership
from tests.browser.conftest import (
    check,
    device_options,
    follow,
    login,
    path_of,
    shot,
    submit,
    visit,
)

SHOTS = Path(os.environ.get("ACCEPTANCE_SHOTS", "test-artifacts/screenshots/acceptance"))

# The clock stands at Tuesday 1 December 2026, 10:00 in Copenhagen (conftest.FROZEN_AT), and
# moves on only when the test moves it. alice's MUS is that morning at 10:30 (bob's and carl's
# the days after) and is marked held at 11:10, within the hour the sessions last; the next 1:1
# is two weeks on.
MUS_DAYS = ("2026-12-01", "2026-12-02", "2026-12-03")
MUS_TIME = "10:30"
HELD_AT = datetime(2026, 12, 1, 11, 10, tzinfo=COPENHAGEN)

ANSWER = "Jeg vil gerne arbejde mere med brugerundersøgelser og lære interviewteknik."
POINT = "For mange møder om mandagen"
ACTION = "Find et kursus i interviewteknik"
NOTE = "Vi aftalte at flytte mandagsmødet til tirsdag."
PRIVATE = "Husk at nævne ønsket om hjemmearbejde om fredagen."
SUMMARY = "Alice tager et kursus i interviewteknik i foråret. Mandagsmødet flyttes til tirsdag."
REPLIES = ("Lad os finde ud af, hvad der kan vente.", "Tak, det vil jeg gerne tage op til MUS.")


def _brings(cast, clock) -> None:
    """alice's check-in of the week, shared with lena, with lena's reply and her answer; and
    feedback from bob that alice kept for her development."""
    checkin = checkin_write(
        owner=cast.alice,
        week=week_of(clock.today()),
        energy=2,
        went_well="Workshoppen med borgerne gik godt.",
        is_hard="Budgettet fylder meget, og jeg når ikke det hele.",
        priorities="Release af version 2.",
        help_needed="",
        visibility=Visibility.LEADER,
    )
    clock.advance(timedelta(minutes=5))
    reply = reply_create(checkin=checkin, author=cast.lena, text=REPLIES[0])
    clock.advance(timedelta(minutes=5))
    reply_create(checkin=checkin, author=cast.alice, text=REPLIES[1], thread=reply.thread)
    assert Reply.objects.filter(thread=reply.thread).count() == 2
    feedback = feedback_give(
        giver=cast.bob,
        receiver=cast.alice,
        about="Styregruppemødet",
        works_well="Dit overblik over tidsplanen gjorde det let at beslutte.",
        even_better="Send materialet dagen før.",
    )
    feedback_keep(feedback=feedback, by=cast.alice, kept=True)
    clock.advance(timedelta(minutes=5))


def _post_from(page: Page, action: str, fields: dict[str, str]) -> None:
    """Send a plain form from the page as it is, with its CSRF token: what a tab left open, or
    a hand-made request, would send."""
    page.evaluate(
        """([action, fields]) => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = action;
          const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
          for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        }""",
        [action, fields],
    )


@pytest.mark.browser
def test_a_mus_from_plan_to_summary_and_the_next_one_to_one(
    new_page, live_server, cast, clock, request
):
    """lena on a desktop and alice on a phone, at the same time: every page of the loop is
    seen on both sizes, as the two of them see it."""
    inbox = request.getfixturevalue("smtp_server")
    carl = _person("carl", "Carl", "Carlsen", job_title="Jurist")
    Membership.objects.create(user=carl, unit=cast.team)
    _brings(cast, clock)
    deliver_due(clock=timezone.now, limit=100)  # what alice's check-in and feedback sent
    told_before = len(inbox.received)
    lena, alice = new_page(**device_options("desktop")), new_page(**device_options("phone"))

    # --- lena plans MUS for three on the plan page -------------------------------------------
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + reverse("conversations:plan_new"))
    lena.locator("#id_title").fill("MUS 2026 i Sekretariatet")
    lena.locator("#id_starts_on").fill("2026-12-01")
    lena.locator("#id_ends_on").fill("2026-12-18")
    for person, day in zip((cast.alice, cast.bob, carl), MUS_DAYS, strict=True):
        lena.locator(f"#id_person-{person.pk}-day").fill(day)
        lena.locator(f"#id_person-{person.pk}-start").fill(MUS_TIME)
        lena.locator(f"#id_person-{person.pk}-place").fill("Mødelokale 2")
    shot(lena, SHOTS, "01-plan-new-desktop")
    submit(lena)
    plan = Plan.objects.get()
    assert path_of(lena) == plan.get_absolute_url()
    expect(lena.locator("main")).to_contain_text("0 af 3 samtaler afholdt")
    shot(lena, SHOTS, "02-plan-desktop")

    # The worker sends the invitations to a real SMTP server: one to each of the three and one
    # to lena for each, at 10:30 on the day entered, in Copenhagen's time zone.
    deliver_due(clock=timezone.now, limit=100)
    invitations = inbox.received[told_before:]
    assert sorted(mail.rcpt_tos[0] for mail in invitations) == sorted(
        f"{name}@example.org" for name in ("alice", "bob", "carl", "lena", "lena", "lena")
    )
    days = []
    for mail in invitations:
        (part,) = mail.message.iter_attachments()
        assert part.get_content_type() == "text/calendar"
        assert part["Content-Type"].params["method"] == "REQUEST"
        assert "TZID=Europe/Copenhagen" in part.get_content()
        (event,) = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == "Europe/Copenhagen"
        assert (start.hour, start.minute) == (10, 30)
        days.append(start.date().isoformat())
    assert sorted(set(days)) == list(MUS_DAYS)
    mus = Conversation.objects.get(kind=Kind.MUS, thread__participants__user=cast.alice)

    # --- alice prepares privately; lena reads her answer only once it is shared ---------------
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + mus.get_absolute_url())
    question = mus.template.questions.order_by("position", "pk")[0]
    alice.locator(f"#id_answer_{question.pk}").fill(ANSWER)
    alice.locator("#preparation-save").click()
    expect(alice.locator("#preparation")).to_contain_text("Kun du kan se dem, indtil du deler dem.")
    assert Preparation.objects.get(conversation=mus, owner=cast.alice).shared_at is None

    visit(lena, live_server.url + mus.get_absolute_url())
    expect(lena.locator("main")).not_to_contain_text(ANSWER)
    expect(lena.locator("#preparation")).not_to_contain_text("Alice Andersen delte:")

    alice.locator(f"#share-{question.pk}").click()
    expect(alice.locator("#preparation")).to_contain_text("Delt i samtalen")
    check(alice)
    # lena's open page shows it by itself, without a reload.
    expect(lena.locator(f"#shared-answers-{question.pk}")).to_contain_text(
        "Alice Andersen delte:", timeout=10_000
    )
    expect(lena.locator(f"#shared-answers-{question.pk}")).to_contain_text(ANSWER)
    check(lena)
    shot(lena, SHOTS, "03-lena-reads-shared-desktop")

    # --- alice brings in her check-in with its replies, and the feedback she kept -------------
    # (the agenda loads the choices by itself; each is a plain form)
    bring = alice.locator("#bring")
    expect(bring).to_contain_text(REPLIES[0])
    follow(
        alice, lambda: bring.get_by_role("button", name=re.compile(r"^Tag med ?: Check-in")).click()
    )
    expect(alice.locator("main")).to_contain_text("er sat på dagsordenen")
    follow(
        alice,
        lambda: bring.get_by_role(
            "button", name=re.compile(r"^Tag med ?: Feedback fra Bob Bertelsen")
        ).click(),
    )
    brought = Item.objects.filter(raised_in=mus).exclude(source="")
    assert sorted(brought.values_list("source", flat=True)) == ["checkin", "feedback"]
    assert all(reply in brought.get(source="checkin").quote for reply in REPLIES)

    # --- the agenda: a talking point, an action, a shared note; alice's private note ----------
    alice.locator("#id_point-text").fill(POINT)
    alice.get_by_role("button", name="Tilføj punkt").click()
    expect(alice.locator("#agenda-list")).to_contain_text(POINT)
    alice.locator("#id_private-text").fill(PRIVATE)
    alice.get_by_role("button", name="Gem private noter").click()
    expect(alice.locator("#private")).to_contain_text("Dine private noter er gemt.")
    check(alice)
    shot(alice, SHOTS, "04-alice-agenda-phone")

    visit(lena, live_server.url + mus.get_absolute_url())
    lena.locator("#id_action-text").fill(ACTION)
    lena.locator("#id_action-owner").select_option(str(cast.alice.pk))
    lena.locator("#id_action-due_on").fill("2027-02-26")
    lena.get_by_role("button", name="Tilføj handling").click()
    expect(lena.locator("#agenda-list")).to_contain_text(ACTION)
    lena.locator("#id_note-text").fill(NOTE)
    lena.get_by_role("button", name="Tilføj note").click()
    expect(lena.locator("#notes-list")).to_contain_text(NOTE)
    check(lena)
    agenda = lena.locator("#agenda-list")
    for text in (POINT, "Workshoppen med borgerne gik godt.", REPLIES[1], "Styregruppemødet"):
        expect(agenda).to_contain_text(text)
    expect(agenda.locator("li", has_text=ACTION)).to_contain_text(
        "Ansvarlig: Alice Andersen · Frist 26. februar 2027"
    )
    expect(lena.locator("body")).not_to_contain_text(PRIVATE)
    assert PrivateNote.objects.get(conversation=mus).owner == cast.alice
    shot(lena, SHOTS, "05-lena-agenda-desktop")

    # They talk the points through (the talking point, the check-in, the feedback); the action
    # stays open.
    for item in Item.objects.filter(raised_in=mus, type=Item.Type.POINT):
        lena.locator(f"#item-{item.pk}-done").click()
        expect(lena.locator(f"#item-{item.pk}")).to_contain_text("Drøftet")
    check(lena)

    # --- after the conversation, lena marks it held: it is frozen -----------------------------
    clock.move_to(HELD_AT)
    visit(lena, live_server.url + mus.get_absolute_url())
    follow(lena, lambda: lena.get_by_role("link", name="Markér som afholdt").click())
    submit(lena)
    assert path_of(lena) == mus.get_absolute_url()
    page = lena.locator("main")
    expect(page).to_contain_text("Samtalen er markeret som afholdt.")
    expect(page).to_contain_text("Dagsordenen som den så ud, da samtalen blev afholdt.")
    for form in ("#point-form", "#action-form", "#note-form", "#preparation-form", "#bring"):
        expect(lena.locator(form)).to_have_count(0)
    shot(lena, SHOTS, "06-held-desktop")

    # A talking point sent anyway is refused, in Danish, and nothing is added.
    items = Item.objects.count()
    follow(
        lena,
        lambda: _post_from(
            lena,
            reverse("conversations:item_add", args=[mus.pk]),
            {"type": "point", "point-text": "For sent"},
        ),
    )
    expect(lena.locator("body")).to_contain_text(
        "Samtalen blev afholdt 1. december 2026 og er låst: skriv en tilføjelse i stedet."
    )
    assert Item.objects.count() == items
    shot(lena, SHOTS, "07-held-refused-desktop")

    # --- the summary, written by lena and approved by both, is locked --------------------------
    lena.locator("#id_summary-text").fill(SUMMARY)
    lena.get_by_role("button", name="Gem referatet").click()
    expect(lena.locator("#summary-status")).to_contain_text(SUMMARY)
    lena.locator("#summary-approve").click()
    expect(lena.locator("#summary-status")).to_contain_text("Lena Lund: godkendt")
    check(lena)
    visit(alice, live_server.url + mus.get_absolute_url())
    alice.locator("#summary-approve").click()
    expect(alice.locator("#summary-status")).to_contain_text("Godkendt af alle")
    expect(alice.locator("#summary-form textarea")).to_have_count(0)
    check(alice)
    shot(alice, SHOTS, "08-summary-locked-phone")
    mus.refresh_from_db()
    assert mus.status == Conversation.Status.HELD and mus.summary.is_locked

    # --- the next 1:1, planned from their conversations together, carries the action over -----
    follow(lena, lambda: lena.get_by_role("link", name="Hele jeres samtaleforløb").click())
    follow(
        lena, lambda: lena.locator("main").get_by_role("link", name="Planlæg en samtale").click()
    )
    expect(lena.locator("[data-name=people] [data-picker-chosen]")).to_contain_text(
        "Alice Andersen"
    )
    expect(lena.locator("#id_kind")).to_have_value(Kind.ONE_ON_ONE)
    lena.locator("#id_day").fill("2026-12-15")
    lena.locator("#id_start").fill("09:30")
    submit(lena)
    following = Conversation.objects.get(kind=Kind.ONE_ON_ONE)
    assert following.thread_id == mus.thread_id
    assert path_of(lena) == following.get_absolute_url()
    # Only the open action: what was discussed stays with the MUS.
    expect(lena.locator("#agenda-list li")).to_have_count(1)
    action = lena.locator("#agenda-list li", has_text=ACTION)
    expect(action).to_contain_text("Videreført fra 1. december 2026")
    expect(action).to_contain_text("Ansvarlig: Alice Andersen · Frist 26. februar 2027")
    expect(lena.locator("body")).not_to_contain_text(PRIVATE)
    shot(lena, SHOTS, "09-next-one-to-one-desktop")
