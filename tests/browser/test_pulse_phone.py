"""Wellbeing on a phone and a desktop, in Danish and English: the results page fits a phone's
width and says what changed since the round before, the report has its colour legend, a member
answers on the horizontal scale by keyboard and is told what happens next, and the survey
form counts who will be asked as units are ticked. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from checkins.models import CheckIn, week_of
from conftest import PASSWORD
from organisation.models import Membership
from organisation.services import unit_create
from pulse.models import Question, Round, Survey
from pulse.services import energy_count, pulse_answer, round_open, round_seal
from tests.browser.conftest import PHONE, check, follow, login, visit

DESKTOP = {"width": 1280, "height": 900}
WORDS = {
    "da": {"since": "siden uge", "next": "Hvad sker der nu", "asked": "personer bliver spurgt"}
    | {"progress": "Spørgsmål 3 af 3"},
    "en": {"since": "since week", "next": "What happens now", "asked": "people will be asked"}
    | {"progress": "Question 3 of 3"},
}


def _people(unit, prefix, count):
    people = []
    for i in range(count):
        person = User.objects.create(username=f"{prefix}{i}", first_name=f"{prefix} {i}")
        person.set_password(PASSWORD)
        person.save()
        Membership.objects.create(user=person, unit=unit)
        people.append(person)
    return people


def _fits(page: Page) -> None:
    """Nothing on the page reaches past the window's right edge."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide in a {width[1]} px window"


@pytest.fixture
def rounds(clock, cast):
    """Two closed rounds three weeks apart and a third open now, for the organisation."""
    small = unit_create(actor=None, name="Lille team", parent=cast.organisation)
    six = [cast.alice, cast.bob, *_people(cast.team, "seks", 4)]
    four = _people(small, "fire", 4)
    five = [cast.eve, *_people(cast.other_team, "fem", 4)]
    survey = Survey.objects.create(name="Trivsel i kommunen", starts_on=clock.today())
    survey.units.set([cast.organisation])
    texts = [
        ("trust", "Jeg har tillid til mine kolleger.", "I trust my colleagues."),
        ("workload", "Min arbejdsmængde er passende.", "My workload is reasonable."),
        ("meaning", "Mit arbejde giver mening for mig.", "My work is meaningful to me."),
    ]
    for position, (theme, da, en) in enumerate(texts):
        question = Question.objects.create(theme=theme, text_da=da, text_en=en)
        survey.items.create(question=question, position=position)
    now = clock.now()
    for number, (weeks_ago, values) in enumerate(((6, (3, 2, 3)), (3, (4, 3, 3))), start=1):
        round_ = round_open(survey=survey, opens_at=now - timedelta(weeks=weeks_ago), number=number)
        questions = list(round_.questions.order_by("pk"))
        for people, value in zip((six, four, five), values, strict=True):
            for i, person in enumerate(people):
                answers = {q.pk: min(5, value + (i + j) % 2) for j, q in enumerate(questions)}
                pulse_answer(round_=round_, user=person, answers=answers, now=round_.opens_at)
        Round.objects.filter(pk=round_.pk).update(closes_at=round_.opens_at + timedelta(days=5))
        round_.refresh_from_db()
        round_seal(round_=round_, now=now)
    # Last week's check-in energy, counted as the worker does once the week has settled.
    last_week = week_of(clock.today()) - timedelta(weeks=1)
    for i, person in enumerate(six):
        CheckIn.objects.create(owner=person, week=last_week, energy=3 + i % 3, went_well="Godt")
    energy_count(week=last_week, now=now)
    current = round_open(survey=survey, opens_at=now - timedelta(hours=1), number=3)
    return current, six


@pytest.mark.browser
def test_wellbeing_on_a_phone_and_a_desktop(new_page, live_server, cast, rounds):
    current, six = rounds
    # Each language on one of the screens: Danish on the phone, English on the desktop.
    for screen, who, language in ((PHONE, six[0], "da"), (DESKTOP, six[2], "en")):
        words = WORDS[language]
        User.objects.update(language=language)
        phone = screen is PHONE
        options = {"is_mobile": True, "has_touch": True} if phone else {}

        member = new_page(viewport=screen, **options)
        login(member, live_server, who)
        visit(member, live_server.url + reverse("pulse:index"))
        _fits(member)
        visit(member, live_server.url + reverse("pulse:results", args=[cast.team.pk]))
        _fits(member)
        expect(member.locator("main")).to_contain_text(words["since"])
        expect(member.locator("main svg.trend-chart")).to_have_count(2)  # rounds and energy

        # The round by keyboard alone: the scale's arrow keys, then the button.
        visit(member, live_server.url + current.get_absolute_url())
        _fits(member)
        expect(member.locator("main")).to_contain_text(words["progress"])
        for question in current.questions.order_by("pk"):
            first = member.locator(f'input[name="q{question.pk}"][value="1"]')
            first.focus()
            for _ in range(3):
                member.keyboard.press("ArrowRight")
            expect(member.locator(f'input[name="q{question.pk}"][value="4"]')).to_be_checked()
        check(member)  # the scale with answers chosen and the focus on the last one
        member.locator("main form button[type=submit]").focus()
        follow(member, lambda: member.keyboard.press("Enter"))  # noqa: B023
        expect(member.locator("main")).to_contain_text(words["next"])
        _fits(member)

        lena = new_page(viewport=screen, **options)
        login(lena, live_server, cast.lena)
        report = Round.objects.get(survey=current.survey, number=2)
        visit(lena, live_server.url + reverse("pulse:report", args=[report.pk]))
        _fits(lena)
        expect(lena.locator("main .heat-legend li")).to_have_count(5)

        ada = new_page(viewport=screen, **options)
        login(ada, live_server, cast.ada)
        visit(ada, live_server.url + reverse("pulse_admin:survey_new"))
        _fits(ada)
        ada.locator(f"#id_units_{cast.team.pk}").check()
        expect(ada.locator("#audience-size")).to_contain_text(f"7 {words['asked']}")
        # By keyboard: a unit beside it, ticked with the space bar, adds its five.
        ada.locator(f"#id_units_{cast.other_team.pk}").focus()
        ada.keyboard.press("Space")
        expect(ada.locator("#audience-size")).to_contain_text(f"12 {words['asked']}")
        check(ada)
