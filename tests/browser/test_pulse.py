"""The wellbeing pulse in Chromium: a team of six answers a round (alice on her phone, the
others through the service), the team and its leader see the results once it has closed, and a
team of four sees its results only as part of the unit above. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from checkins.models import CheckIn, current_week
from conftest import PASSWORD
from organisation.models import Membership
from organisation.services import unit_create
from pulse.models import OpenParticipation, Question, Round, Survey
from pulse.services import energy_count, pulse_answer, round_open, round_seal
from teamwork.models import Goal
from tests.browser.conftest import PHONE, follow, login, visit


def _people(unit, prefix, count):
    people = []
    for i in range(count):
        person = User.objects.create(username=f"{prefix}{i}", first_name=f"{prefix} {i}")
        Membership.objects.create(user=person, unit=unit)
        people.append(person)
    return people


@pytest.mark.browser
def test_a_round_from_answer_to_results(new_page, live_server, cast):
    small = unit_create(actor=None, name="Lille team", parent=cast.organisation)
    six = [cast.alice, cast.bob, *_people(cast.team, "seks", 4)]
    four = _people(small, "fire", 4)
    five = [cast.eve, *_people(cast.other_team, "fem", 4)]
    survey = Survey.objects.create(name="Trivsel i kommunen", starts_on=timezone.localdate())
    survey.units.set([cast.organisation])
    # Made here: live-server tests empty the tables, the question bank's included.
    for position, (theme, text) in enumerate(
        [("trust", "Jeg har tillid til mine kolleger."), ("workload", "Min arbejdsmængde er OK.")]
    ):
        question = Question.objects.create(theme=theme, text_da=text, text_en=text)
        survey.items.create(question=question, position=position)
    round_ = round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1))
    questions = list(round_.questions.all())

    # Alice answers on her phone; the first try misses a question.
    alice = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + reverse("pulse:index"))
    follow(alice, lambda: alice.locator(f'main a[href="{round_.get_absolute_url()}"]').click())
    alice.locator(f'input[name="q{questions[0].pk}"][value="4"]').check()
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    expect(alice.locator('[data-module="error-summary"]')).to_be_visible()
    alice.locator(f'input[name="q{questions[0].pk}"][value="4"]').check()
    alice.locator(f'input[name="q{questions[1].pk}"][value="2"]').check()
    alice.locator("#id_comment").fill("Vi hjælper hinanden godt.")
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    assert OpenParticipation.objects.filter(user=cast.alice).exists()

    for people, value in ((six[1:], 4), (four, 2), (five, 3)):
        for person in people:
            pulse_answer(round_=round_, user=person, answers={q.pk: value for q in questions})
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    # An earlier round, so that the trend has two points, and last week's check-in energy.
    Round.objects.filter(pk=round_.pk).update(number=2)
    earlier = round_open(survey=survey, opens_at=timezone.now() - timedelta(hours=1), number=1)
    for people, value in ((six, 3), (four, 3), (five, 3)):
        for person in people:
            pulse_answer(round_=earlier, user=person, answers={q.pk: value for q in questions})
    Round.objects.filter(pk=earlier.pk).update(
        opens_at=timezone.now() - timedelta(days=20), closes_at=timezone.now() - timedelta(days=15)
    )
    # The worker seals closed rounds; here the test does.
    for closed in Round.objects.all():
        round_seal(round_=closed)
    last_week = current_week() - timedelta(weeks=1)
    for i, person in enumerate(six):
        CheckIn.objects.create(owner=person, week=last_week, energy=3 + i % 3, went_well="Godt")
    energy_count(week=last_week)

    # The team sees its own six answers and alice's comment.
    visit(alice, live_server.url + reverse("pulse:results", args=[cast.team.pk]))
    expect(alice.locator("main")).to_contain_text("6 svar")
    expect(alice.locator("main")).to_contain_text("Vi hjælper hinanden godt.")
    expect(alice.locator("main svg.trend-chart")).to_have_count(2)  # rounds and energy

    # She makes the workload question a team action, with bob as its owner.
    workload = reverse("pulse:action_new", args=[cast.team.pk, round_.pk, questions[1].pk])
    follow(alice, lambda: alice.locator(f'main a[href="{workload}"]').click())
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    expect(alice.locator('[data-module="error-summary"]')).to_be_visible()
    alice.locator("#id_title").fill("Fælles prioritering hver mandag")
    alice.locator("#id_owner").select_option(str(cast.bob.pk))
    alice.locator("#id_due_date").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    expect(alice.locator("main")).to_contain_text("Fælles prioritering hver mandag")
    assert Goal.objects.get().pulse_action.question == questions[1]

    # Its leader sees the same on a desktop.
    lena = new_page()
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + reverse("pulse:results", args=[cast.team.pk]))
    expect(lena.locator("main")).to_contain_text("6 svar")

    # The leader's report of the round, from the wellbeing page.
    visit(lena, live_server.url + reverse("pulse:index"))
    report = reverse("pulse:report", args=[round_.pk])
    follow(lena, lambda: lena.locator(f'main a[href="{report}"]').click())
    expect(lena.locator("main table")).to_contain_text("Sekretariatet")

    # A member of the team of four sees the organisation's fifteen, never the four.
    four[0].set_password(PASSWORD)
    four[0].save()
    member = new_page()
    login(member, live_server, four[0])
    visit(member, live_server.url + reverse("pulse:results", args=[small.pk]))
    expect(member.locator("main")).to_contain_text("Vist som en del af Kommunen")
    expect(member.locator("main")).to_contain_text("15 svar")
    # The organisation's comments are its fifteen people's, alice's among them.
    expect(member.locator("main")).to_contain_text("Vi hjælper hinanden godt.")
    expect(member.locator("main")).not_to_contain_text("4 svar.")


@pytest.mark.browser
def test_an_administrator_sets_up_a_survey(page, live_server, cast):
    question = Question.objects.create(theme="trust", text_da="Jeg har tillid.", text_en="Trust.")
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("pulse_admin:surveys"))
    follow(
        page, lambda: page.locator(f'main a[href="{reverse("pulse_admin:survey_new")}"]').click()
    )
    follow(page, lambda: page.locator("main form button.button-primary").click())
    expect(page.locator('[data-module="error-summary"]')).to_be_visible()
    page.locator("#id_name").fill("Trivsel i Sekretariatet")
    page.locator(f"#id_units_{cast.team.pk}").check()
    page.locator(f'input[name="survey_questions"][value="{question.pk}"]').check()
    page.locator("#id_starts_on").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    follow(page, lambda: page.locator("main form button.button-primary").click())
    survey = Survey.objects.get()
    assert list(survey.units.all()) == [cast.team]
    visit(page, live_server.url + reverse("pulse_admin:questions"))
