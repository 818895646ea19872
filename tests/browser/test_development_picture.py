"""The team picture in Chromium, in Danish, desktop and phone: lena reads the picture of her
team of four, shown as part of the unit above it; the administrator opens the organisation's
picture and a unit below it. (Her team of six, shown on its own, ends the development loop:
tests/browser/test_development_loop.py.) Every page is checked with axe-core and photographed;
no name of anyone who assessed themselves is on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from development.models import Activity, ActivityKind, DevelopmentPlan, Rating, SelfAssessment
from development.picture_services import picture_count
from development.services import framework_current
from organisation.models import Membership
from tests.browser.conftest import PHONE, follow, login, visit

pytestmark = pytest.mark.usefixtures("clock")


def _options(device):
    return {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}


def assess(person, levels, *, wants=(), teach=False):
    framework = framework_current()
    assessment = SelfAssessment.objects.create(
        owner=person, framework=framework, assessed_at=timezone.now() - timedelta(days=20)
    )
    for n, area in enumerate(framework.areas.all()):
        level = levels[n % len(levels)]
        Rating.objects.create(
            assessment=assessment,
            area=area,
            level=level,
            wants_to_develop=n in wants,
            could_teach=teach and level == 4,
        )


def _team_of_four(cast):
    """lena's team of four (alice, bob, lena and a colleague) and a team of six beside it, all
    assessed; some plans; the month counted."""
    colleague = User.objects.create(username="kollega", first_name="Kollega")
    others = [
        User.objects.create(username=f"oekonom{n}", first_name=f"Økonom{n}") for n in range(5)
    ]
    Membership.objects.bulk_create(
        [Membership(user=colleague, unit=cast.team)]
        + [Membership(user=person, unit=cast.other_team) for person in others]
    )
    team = [cast.alice, cast.bob, cast.lena, colleague]
    for n, person in enumerate(team):
        assess(person, [2 + n % 3, 1 + n % 4], wants=(0, n % 6), teach=n % 2 == 0)
    for person in [cast.eve, *others]:
        assess(person, [3, 2])
    for person, kinds in [
        (cast.alice, [ActivityKind.COURSE, ActivityKind.SPARRING]),
        (cast.bob, [ActivityKind.ON_THE_JOB]),
    ]:
        plan = DevelopmentPlan.objects.create(owner=person, title="Min plan")
        for kind in kinds:
            Activity.objects.create(plan=plan, kind=kind, title="Aktivitet")
    picture_count(now=timezone.now())
    return [*team, cast.eve, *others]


def _no_names(page, people, lena):
    text = page.locator("main").inner_text()
    for person in people:
        if person != lena:
            assert person.first_name not in text, person.username


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_lena_reads_her_team_of_four_as_part_of_the_unit_above(device, new_page, live_server, cast):
    people = _team_of_four(cast)
    page = new_page(**_options(device))
    login(page, live_server, cast.lena)

    visit(page, live_server.url + reverse("development:team_picture", args=[cast.team.pk]))

    expect(page.get_by_text("Du ser tallene for Kommunen, den nærmeste enhed over")).to_be_visible()
    expect(page.get_by_text("Kommunen: 10 personer har vurderet sig selv.")).to_be_visible()
    _no_names(page, people, cast.lena)

    # The administrator's picture opens on the organisation, and a unit below on request.
    admin = new_page(**_options(device))
    login(admin, live_server, cast.ada)
    visit(admin, live_server.url + reverse("development_admin:picture"))
    expect(admin.get_by_text("Kommunen: 10 personer har vurderet sig selv.")).to_be_visible()
    follow(admin, lambda: admin.get_by_role("link", name="Økonomi").click())
    expect(admin.get_by_role("heading", level=1)).to_have_text("Teambillede: Økonomi")
    expect(admin.get_by_text("Du ser tallene for Kommunen")).to_be_visible()
    _no_names(admin, people, cast.lena)
