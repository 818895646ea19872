"""The application draft to Den Kommunale Kompetencefond in Chromium, on a desktop and a phone,
in Danish: alice opens the draft of the course in her plan, fills in the provider and the
course fee, sees the fund's share and the workplace's and the warning that the course starts
in ten days, and prints the draft with its three signature lines. Every page is checked with
axe-core and photographed, the printed page too."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from development.models import Activity, ActivityKind, DevelopmentPlan, FundApplication
from tests.browser.conftest import check, device_options, follow, login, path_of, shot, visit

# The frozen clock, in the live server too: "in ten days" is counted from its day.
pytestmark = pytest.mark.usefixtures("clock")

# Pictures for a person to look at, besides those every check takes.
SHOTS = Path(os.environ.get("FUND_SHOTS", "test-artifacts/screenshots/fund"))


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_alice_fills_in_the_draft_of_her_course_and_prints_it(new_page, live_server, cast, device):
    plan = DevelopmentPlan.objects.create(owner=cast.alice, title="Min udviklingsplan 2027")
    starts_on = timezone.localdate() + timedelta(days=10)
    course = Activity.objects.create(
        plan=plan,
        kind=ActivityKind.COURSE,
        title="Interviewteknik for brugerinddragelse",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=1),
    )
    url = reverse("development:fund_application", args=[course.pk])
    alice = new_page(**device_options(device))
    login(alice, live_server, cast.alice)

    # The first draft comes from the course and from her place in the organisation.
    visit(alice, live_server.url + url)
    main = alice.locator("main")
    expect(main.locator("h1")).to_have_text("Ansøgning til Den Kommunale Kompetencefond")
    expect(alice.locator("#id_title")).to_have_value("Interviewteknik for brugerinddragelse")
    expect(alice.locator("#id_workplace")).to_have_value("Sekretariatet, Kommunen")
    expect(main).to_contain_text("Uddannelsen starter om 10 dage. Søg med det samme")
    expect(main).to_contain_text("Mangler stadig til fonden: Udbyder, Kursusgebyr")

    # A negative fee is refused with the reason, and nothing is saved.
    alice.locator("#id_provider").fill("Komponent")
    alice.locator("#id_course_fee").fill("-12500")
    follow(alice, lambda: alice.get_by_role("button", name="Gem kladden").click())
    expect(alice.locator('[data-module="error-summary"]')).to_contain_text(
        "Et beløb kan ikke være negativt"
    )
    assert not FundApplication.objects.exists()

    alice.locator("#id_course_fee").fill("12.500")
    alice.locator("#id_education_kind").select_option("akademi")
    alice.locator("#id_agreement_area").select_option("hk")
    follow(alice, lambda: alice.get_by_role("button", name="Gem kladden").click())
    assert path_of(alice) == url
    expect(main).to_contain_text("Kladden er gemt.")
    saved = FundApplication.objects.get(activity=course)
    assert (saved.provider, saved.course_fee, saved.agreement_area) == ("Komponent", 12500, "hk")

    # 80 % of 12.500 kr. from the fund, the rest from the workplace: estimates to check.
    expect(alice.locator("#fund-share")).to_contain_text("10.000 kr.")
    expect(alice.locator("#workplace-share")).to_contain_text("2.500 kr.")
    expect(main).to_contain_text("Tjek tallene med fonden, før du søger")
    expect(main).to_contain_text("Uddannelsen starter om 10 dage.")
    shot(alice, SHOTS, f"draft-{device}")

    # The print version: the draft alone, with a button that opens the browser's print.
    follow(alice, lambda: main.get_by_role("link", name="Udskriv").click())
    assert path_of(alice) == f"{url}?print=1"
    expect(alice.locator("main form")).to_have_count(0)
    alice.evaluate("window.print = () => { window.printed = true; }")
    alice.get_by_role("button", name="Udskriv").click()
    assert alice.evaluate("window.printed === true")

    # Printed: no navigation, no buttons, no warnings; the fields and three signature lines.
    alice.emulate_media(media="print")
    expect(alice.locator("header")).to_be_hidden()
    expect(alice.locator("footer")).to_be_hidden()
    expect(alice.get_by_role("button", name="Udskriv")).to_be_hidden()
    expect(main.locator(".alert")).to_have_count(1)
    expect(main.locator(".alert").first).to_be_hidden()
    signatures = main.locator(".fund-signature")
    expect(signatures).to_have_count(3)
    for number, role in enumerate(("Medarbejder (ansøger)", "Leder", "Tillidsrepræsentant")):
        expect(signatures.nth(number)).to_be_visible()
        expect(signatures.nth(number)).to_contain_text(role)
        expect(signatures.nth(number)).to_contain_text("Dato")
    expect(main).to_contain_text("Komponent")
    expect(main).to_contain_text("Akademiuddannelse")
    expect(main).to_contain_text("HK Kommunal")
    check(alice)
    shot(alice, SHOTS, f"print-{device}")
    alice.emulate_media(media="screen")
