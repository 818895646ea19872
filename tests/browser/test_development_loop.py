"""The development loop in Chromium, in Danish, desktop and phone, with the clock standing still:
alice assesses herself and shares it with her leader, lena; she brings it into the MUS lena
planned with her; when the MUS is held and its summary approved, she makes her development plan
from it with one button, adds a course, marks it done and writes her reflection. lena follows
the link from the MUS to the plan and reads the reflection, then opens the team picture of her
team of six, counted by the month's job: figures, never a name. (A team of four is rolled up
into the unit above: tests/browser/test_development_picture.py.) Every page is checked with
axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from conversations import services as conversations
from conversations.models import Item, Kind
from development.models import Activity, ActivityKind, DevelopmentPlan, SelfAssessment
from development.picture_services import picture_count
from development.services import framework_current
from organisation.models import Membership
from tests.browser.conftest import device_options, follow, login, path_of, submit, visit
from tests.browser.test_development_picture import assess

pytestmark = pytest.mark.usefixtures("clock")

COURSE = "Kursus i interviewteknik"
LEARNED = "At stille åbne spørgsmål og vente på svaret."
SUMMARY = "Alice tager et kursus i interviewteknik i foråret og leder en brugerundersøgelse."


def _team_of_six(cast) -> list[User]:
    """alice, bob and lena in Sekretariatet with three colleagues; all but alice assessed
    themselves this month, and bob plans a course."""
    colleagues = [
        User.objects.create(username=f"kollega{n}", first_name=f"Kollega{n}") for n in range(3)
    ]
    Membership.objects.bulk_create([Membership(user=p, unit=cast.team) for p in colleagues])
    for n, person in enumerate([cast.bob, cast.lena, *colleagues]):
        assess(person, [2 + n % 3, 1 + n % 4], wants=(0, n % 6), teach=n % 2 == 0)
    plan = DevelopmentPlan.objects.create(owner=cast.bob, title="Bobs plan")
    Activity.objects.create(plan=plan, kind=ActivityKind.COURSE, title="Projektledelse")
    return [cast.alice, cast.bob, *colleagues]


@pytest.mark.browser
def test_from_self_assessment_through_the_mus_to_a_reflection_and_the_team_picture(
    new_page, live_server, cast
):
    """alice on a phone and lena on a desktop."""
    others = _team_of_six(cast)
    now = timezone.now()
    mus = conversations.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=now - timedelta(hours=1),
        duration_minutes=60,
        now=now - timedelta(days=7),
    )
    alice = new_page(**device_options("phone"))
    login(alice, live_server, cast.alice)

    # She assesses herself and shares it with her leader.
    visit(alice, live_server.url + reverse("development:assess"))
    for area, level in zip(framework_current().areas.all(), [2, 3, 1, 2, 4, 3], strict=True):
        alice.locator(f"#id_level_{area.pk}-{level}").check()
    alice.locator("fieldset.assessment-area").first.get_by_label(
        "Det vil jeg gerne udvikle"
    ).check()
    alice.get_by_label("Mine ledere (Lena Lund)").check()
    follow(alice, alice.get_by_role("button", name="Gem selvvurdering").click)
    assessment = SelfAssessment.objects.get(owner=cast.alice)
    assert assessment.visibility == "leader"

    # She brings it into the MUS.
    visit(alice, live_server.url + reverse("conversations:bring", args=[mus.pk]))
    bring = alice.locator("main").get_by_role(
        "button", name=re.compile(r"^Tag med ?: Selvvurdering, 1\. december 2026$")
    )
    follow(alice, bring.click)
    assert path_of(alice) == mus.get_absolute_url()
    assert Item.objects.filter(raised_in=mus, source=Item.Source.ASSESSMENT).count() == 1

    # The MUS is held and both approve its summary (the conversations' own browser tests do
    # this by hand); then alice makes her plan from it with one button.
    mus = conversations.conversation_hold(conversation=mus, by=cast.lena, now=now)
    conversations.summary_save(conversation=mus, by=cast.lena, text=SUMMARY, now=now)
    for person in (cast.lena, cast.alice):
        conversations.summary_approve(conversation=mus, by=person, revision=1, now=now)
    visit(alice, live_server.url + mus.get_absolute_url())
    make = alice.locator("#development-plan-make")
    expect(make).to_have_text("Lav din udviklingsplan ud fra MUS'en")
    follow(alice, make.click)
    plan = DevelopmentPlan.objects.get(owner=cast.alice)
    assert path_of(alice) == plan.get_absolute_url()
    assert (plan.agreed_in, plan.visibility) == (mus, "leader")
    expect(alice.locator("main")).to_contain_text(SUMMARY)
    expect(alice.locator("main")).to_contain_text("delt med dine ledere")

    # A course, done, and the reflection asked for at once.
    follow(
        alice,
        alice.locator(
            f'main a[href="{reverse("development:activity_add", args=[plan.pk])}"]'
        ).first.click,
    )
    alice.locator("#id_kind").select_option("kursus")
    alice.locator("#id_title").fill(COURSE)
    alice.locator("#id_starts_on").fill("2027-02-02")
    alice.locator("#id_ends_on").fill("2027-02-03")
    alice.locator("#id_cost").fill("12.500")
    submit(alice)
    activity = Activity.objects.get(plan=plan)
    alice.locator(f"#status-{activity.pk}").select_option("done")
    submit(alice, f'form[action="{reverse("development:activity_status", args=[activity.pk])}"]')
    assert path_of(alice) == reverse("development:activity_reflection", args=[activity.pk])
    alice.locator("#id_learned").fill(LEARNED)
    alice.locator("#id_use").fill("I næste runde interview med borgerne.")
    submit(alice)
    activity.refresh_from_db()
    assert (activity.status, activity.learned) == ("done", LEARNED)

    # lena goes from the MUS to the plan, reads the reflection, and cannot change anything.
    lena = new_page(**device_options("desktop"))
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + mus.get_absolute_url())
    expect(lena.locator("#development-plan-make")).to_have_count(0)
    follow(lena, lena.locator(f'main a[href="{plan.get_absolute_url()}"]').first.click)
    expect(lena.locator("main")).to_contain_text("Alice Andersen aftalte denne plan i en MUS")
    expect(lena.locator("main")).to_contain_text(LEARNED)
    expect(lena.locator("main form")).to_have_count(0)

    # The month's count, as the worker runs it; lena's team of six is shown on its own.
    picture_count(now=timezone.now())
    visit(lena, live_server.url + reverse("development:team_picture", args=[cast.team.pk]))
    expect(lena.get_by_role("heading", level=1)).to_have_text("Teambillede af Sekretariatet")
    expect(lena.get_by_text("Sekretariatet: 6 personer har vurderet sig selv.")).to_be_visible()
    expect(lena.get_by_text("den nærmeste enhed over")).to_have_count(0)
    areas = lena.get_by_role("table").first
    expect(areas.get_by_role("rowheader")).to_have_count(6)
    expect(areas.get_by_role("columnheader", name="Kan lære andre")).to_be_attached()
    # bob's course is planned and counted; alice's is done and is not.
    activities = lena.get_by_role("table").nth(1)
    expect(activities.get_by_role("row", name="Kursus 1")).to_be_visible()
    text = lena.locator("main").inner_text()
    for person in others:
        assert person.first_name not in text, person.username
