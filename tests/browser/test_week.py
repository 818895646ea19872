"""The week at a glance in Chromium. A member answers the open wellbeing round straight from
Min side, and Min side then says she has answered. Alice shares her check-in with Lena a moment
ago; Lena finds it with every field on her Min side, under the week in her units, replies from
there, and Alice's Min side then says that Lena replied and leads to the reply. Danish and
English, desktop and phone; every page is checked with axe-core and photographed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from checkins.models import Reply, current_week
from checkins.services import checkin_write
from core.access import Visibility
from organisation.models import Value
from pulse.models import OpenParticipation, Question, Survey
from pulse.services import round_open
from recognition.models import Recognition
from teamwork.models import Goal, Team
from tests.browser.conftest import (
    LANGUAGE_ON_DEVICE,
    LANGUAGE_ON_DEVICE_TURNED,
    PHONE,
    check,
    follow,
    login,
    path_of,
    visit,
)

WORDS = {
    "da": {
        "send": "Send svar",
        "week": "Ugen i mine enheder",
        "replied": "har svaret",
        "answer": "Svar på trivselsmålingen",
        "answered": "Du har svaret på",
    },
    "en": {
        "send": "Send reply",
        "week": "The week in my units",
        "replied": "replied",
        "answer": "Answer the wellbeing survey",
        "answered": "You have answered",
    },
}


def _options(device):
    return {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE)
def test_a_member_answers_the_open_round_from_min_side(
    language, device, new_page, live_server, cast
):
    words = WORDS[language]
    cast.alice.language = language
    cast.alice.save(update_fields=["language"])
    survey = Survey.objects.create(name="Trivsel i kommunen", starts_on=timezone.localdate())
    survey.units.set([cast.organisation])
    # Made here: live-server tests empty the tables, the question bank's included.
    for position, text in enumerate(["Jeg har tillid til mine kolleger.", "Jeg trives."]):
        question = Question.objects.create(theme="trust", text_da=text, text_en=text)
        survey.items.create(question=question, position=position)
    round_ = round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1))

    alice = new_page(**_options(device))
    login(alice, live_server, cast.alice)
    answer = alice.locator("main").get_by_role("link", name=words["answer"])
    follow(alice, lambda: answer.click())
    assert path_of(alice) == round_.get_absolute_url()
    for question in round_.questions.all():
        alice.locator(f'input[name="q{question.pk}"][value="4"]').check()
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    assert OpenParticipation.objects.filter(round=round_, user=cast.alice).exists()
    visit(alice, live_server.url + reverse("home:index"))
    expect(alice.locator("main")).to_contain_text(words["answered"])
    expect(alice.locator("main").get_by_role("link", name=words["answer"])).to_have_count(0)


@pytest.mark.browser
@pytest.mark.parametrize(("language", "device"), LANGUAGE_ON_DEVICE_TURNED)
def test_a_leader_replies_from_her_week_and_the_owner_sees_it(
    language, device, new_page, live_server, cast
):
    words = WORDS[language]
    for person in (cast.alice, cast.lena):
        person.language = language
        person.save(update_fields=["language"])
    options = _options(device)
    checkin = checkin_write(
        owner=cast.alice,
        week=current_week(),
        energy=4,
        went_well="Workshoppen gik godt.",
        is_hard="Budgettet fylder meget.",
        priorities="Release af version 2.",
        help_needed="Et blik på notatet.",
        visibility=Visibility.LEADER,
    )

    # A goal of alice's due this week, and thanks from bob: her week has them too.
    Goal.objects.create(
        team=Team.objects.for_unit(cast.team),
        title="Ny version af notatet",
        owner=cast.alice,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    thanks = Recognition.objects.create(author=cast.bob, text="Tak for workshoppen!")
    thanks.recipients.set([cast.alice])
    thanks.values.set([Value.objects.get_or_create(name="Åbenhed")[0]])

    # Lena's Min side opens on the week in her unit, with the check-in and all it says.
    lena = new_page(**options)
    login(lena, live_server, cast.lena)
    week = lena.locator("main section.leaders-week")
    expect(week.locator("h2")).to_have_text(words["week"])
    for text in (
        "Workshoppen gik godt.",
        "Budgettet fylder meget.",
        "Release af version 2.",
        "Et blik på notatet.",
    ):
        expect(week).to_contain_text(text)
    follow(lena, lambda: week.locator(f'a[href="{checkin.get_absolute_url()}#replies"]').click())
    assert path_of(lena) == checkin.get_absolute_url()
    lena.locator("main .thread textarea").fill("Tak! Skal vi kigge på notatet i morgen?")
    lena.locator("main .thread").get_by_role("button", name=words["send"]).click()
    expect(lena.locator("main .thread .reply")).to_contain_text("Skal vi kigge på notatet")
    check(lena)
    assert Reply.objects.filter(owner=cast.lena).count() == 1

    # Alice's Min side says Lena replied, and leads her to the reply.
    alice = new_page(**options)
    login(alice, live_server, cast.alice)
    waiting = alice.locator("main").get_by_role("link", name=f"Lena Lund {words['replied']}")
    expect(waiting).to_be_visible()
    follow(alice, lambda: waiting.click())
    expect(alice.locator("main .thread .reply")).to_contain_text("Skal vi kigge på notatet")
    # Back on Min side, her own check-in of the week reads as she wrote it, with her goal due
    # and bob's thanks.
    visit(alice, live_server.url + reverse("home:index"))
    for text in ("Workshoppen gik godt.", "Ny version af notatet", "Tak for workshoppen!"):
        expect(alice.locator("main")).to_contain_text(text)
