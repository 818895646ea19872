"""The development plan in Chromium, on a desktop and a phone, in Danish, with the clock
standing still: alice opens her plans from her feedback overview, makes a plan shared with her
leader, with a goal linked to a focus area and a course; she marks the course done, is asked
for her reflection at once and writes it; lena, her leader, reads the shared plan and cannot
change it. (The plan made from a MUS: tests/browser/test_development_loop.py.) Every page is
checked with axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from development.models import Activity, DevelopmentPlan, Goal
from tests.browser.conftest import device_options, follow, login, path_of, submit, visit

pytestmark = pytest.mark.usefixtures("clock")

GOAL = "Jeg kan selv lede en brugerundersøgelse med borgerne."
COURSE = "Kursus i interviewteknik"
LEARNED = "At stille åbne spørgsmål og vente på svaret."
SUMMARY = "Alice tager et kursus i interviewteknik i foråret og leder en brugerundersøgelse."


def _click(page, href: str) -> None:
    follow(page, lambda: page.locator(f'main a[href="{href}"]').click())


@pytest.mark.browser
def test_alice_makes_a_plan_finishes_a_course_and_reflects_and_lena_reads_it(
    new_page, live_server, cast
):
    # alice on a desktop and lena on a phone (the development loop has them the other way).
    alice = new_page(**device_options("desktop"))
    login(alice, live_server, cast.alice)

    # From the feedback overview to her plans, and a new plan shared with her leader.
    visit(alice, live_server.url + reverse("feedback:overview"))
    plans = reverse("development:plans")
    _click(alice, plans)
    _click(alice, reverse("development:plan_new"))
    submit(alice)  # without a title: refused, with the message
    expect(alice.locator('[data-module="error-summary"]')).to_contain_text("Giv planen en titel.")
    alice.locator("#id_title").fill("Min udvikling 2027")
    alice.locator("#id_follow_up_on").fill("2027-03-01")
    alice.locator('input[name="visibility"][value="leader"]').check()
    submit(alice)
    plan = DevelopmentPlan.objects.get()
    assert path_of(alice) == plan.get_absolute_url()
    assert plan.visibility == "leader"

    # A goal, linked to a focus area.
    _click(alice, reverse("development:goal_add", args=[plan.pk]))
    alice.locator("#id_text").fill(GOAL)
    alice.locator('input[name="area_keys"][value="kommunikation-og-samarbejde"]').check()
    submit(alice)
    goal = Goal.objects.get()
    expect(alice.locator("#goals")).to_contain_text("Kommunikation og samarbejde")

    # A course for the goal; ending before it starts is refused first.
    _click(alice, reverse("development:activity_add", args=[plan.pk]))
    alice.locator("#id_kind").select_option("kursus")
    alice.locator("#id_title").fill(COURSE)
    alice.locator("#id_goal").select_option(str(goal.pk))
    alice.locator("#id_expected_effect").fill("Bedre og hurtigere brugerundersøgelser.")
    alice.locator("#id_starts_on").fill("2027-02-02")
    alice.locator("#id_ends_on").fill("2027-02-01")
    alice.locator("#id_cost").fill("12.500")
    submit(alice)
    expect(alice.locator('[data-module="error-summary"]')).to_contain_text(
        "En aktivitet kan ikke slutte, før den begynder."
    )
    assert not Activity.objects.exists()
    alice.locator("#id_ends_on").fill("2027-02-03")
    submit(alice)
    activity = Activity.objects.get()
    assert (activity.goal, activity.cost, activity.responsible) == (goal, 12500, cast.alice)
    expect(alice.locator(f"#activity-{activity.pk}")).to_contain_text("12.500 kr.")

    # Done: the reflection is asked for at once.
    alice.locator(f"#status-{activity.pk}").select_option("done")
    submit(alice, f'form[action="{reverse("development:activity_status", args=[activity.pk])}"]')
    assert path_of(alice) == reverse("development:activity_reflection", args=[activity.pk])
    expect(alice.locator("main")).to_contain_text("Hvad lærte jeg")
    alice.locator("#id_learned").fill(LEARNED)
    alice.locator("#id_use").fill("I næste runde interview med borgerne.")
    alice.locator("#id_for_others").fill("Mine noter ligger på Nextcloud.")
    submit(alice)
    assert path_of(alice) == plan.get_absolute_url()
    expect(alice.locator(f"#activity-{activity.pk}")).to_contain_text(LEARNED)

    # lena, her leader, reads the shared plan, and has nothing to change it with.
    lena = new_page(**device_options("phone"))
    login(lena, live_server, cast.lena)
    visit(lena, live_server.url + plans)
    _click(lena, plan.get_absolute_url())
    expect(lena.locator("main")).to_contain_text(LEARNED)
    expect(lena.locator("main")).to_contain_text("Alice Andersen")
    expect(lena.locator("main form")).to_have_count(0)
