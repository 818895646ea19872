"""The team picture: what the monthly count keeps, and the pages of a leader and of an
administrator. A team of six is shown; a team of four is part of the unit above it, and so
is a team whose figures would give the four away; nobody is ever named."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from conftest import FROZEN_AT, Cast
from development.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    DevelopmentPlan,
    PictureCount,
    PictureUnit,
    Rating,
    SelfAssessment,
)
from development.picture import for_administrators_picture, for_leaders_picture, picture_of
from development.picture_services import picture_count
from development.services import framework_current
from development.tasks import run_picture_count
from organisation.models import Membership, Unit
from organisation.services import unit_create

AREAS = 6


def _people(unit: Unit, count: int, prefix: str) -> list[User]:
    people = [
        User.objects.create(username=f"{prefix}{n}", first_name=f"{prefix.title()}{n}")
        for n in range(count)
    ]
    Membership.objects.bulk_create(Membership(user=person, unit=unit) for person in people)
    return people


def _assess(
    person: User,
    *,
    level: int = 2,
    wants: bool = False,
    teach: bool = False,
    at: Any = None,
    only: int = AREAS,
) -> SelfAssessment:
    """A self-assessment at `level` in the first `only` areas of the current framework."""
    framework = framework_current()
    assessment = SelfAssessment.objects.create(
        owner=person, framework=framework, assessed_at=at or FROZEN_AT - timedelta(days=10)
    )
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment, area=area, level=level, wants_to_develop=wants, could_teach=teach
        )
        for area in list(framework.areas.all())[:only]
    )
    return assessment


def _activity(person: User, kind: str, status: str = ActivityStatus.PLANNED) -> Activity:
    plan = DevelopmentPlan.objects.create(owner=person, title="Min plan")
    return Activity.objects.create(plan=plan, kind=kind, title="Noget at lære", status=status)


def _get(client: Any, url: str, language: str = "en", **query: Any) -> Any:
    """The page in `language` (the cookie the language menu sets)."""
    client.cookies["django_language"] = language
    return client.get(url, query)


def _team(cast: Cast, team_size: int, other_size: int) -> list[User]:
    """alice and bob and more in lena's team (lena herself too) up to `team_size`
    respondents, and `other_size` respondents in the other team, all assessed."""
    team = [cast.alice, cast.bob, cast.lena, *_people(cast.team, team_size - 3, "kollega")]
    other = [cast.eve, *_people(cast.other_team, other_size - 1, "oekonom")]
    for person in team:
        _assess(person, level=3, wants=True)
    for person in other:
        _assess(person, level=1)
    return team


def test_a_team_of_six_is_shown(cast: Cast, client_for: Any) -> None:
    team = _team(cast, 6, 6)
    _assess(cast.alice, level=4, teach=True, wants=False, at=FROZEN_AT - timedelta(days=1))
    _activity(cast.bob, ActivityKind.COURSE)
    _activity(cast.bob, ActivityKind.SPARRING, ActivityStatus.UNDER_WAY)
    _activity(cast.alice, ActivityKind.COURSE, ActivityStatus.DONE)
    picture_count(now=FROZEN_AT)

    picture = for_leaders_picture(cast.lena, cast.team.pk)

    assert picture.group_id == cast.team.pk and not picture.rolled_up
    assert picture.respondents == 6
    assert len(picture.areas) == AREAS
    # alice's latest assessment counts: level 4 and willing to teach, not wanting.
    assert picture.areas[0].levels == (0, 0, 5, 1)
    assert picture.areas[0].wants == 5
    assert picture.areas[0].could_teach == 1
    activities = {row.kind: row.count for row in picture.activities}
    assert activities["kursus"] == 1 and activities["sparring"] == 1
    assert sum(activities.values()) == 2
    page = _get(
        client_for(cast.lena), reverse("development:team_picture", args=[cast.team.pk]), "en"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "6 people have assessed themselves" in text
    assert "nearest unit above" not in text
    for person in [*team, cast.eve]:
        if person != cast.lena:
            assert person.first_name not in text


def test_a_team_of_four_is_rolled_up_into_the_unit_above(cast: Cast, client_for: Any) -> None:
    _team(cast, 4, 6)
    picture_count(now=FROZEN_AT)

    picture = for_leaders_picture(cast.lena, cast.team.pk)

    # The team's four are hidden, and so is the other team: the whole minus it would be the
    # four. Lena sees the organisation's ten.
    assert picture.rolled_up
    assert picture.group_id == cast.organisation.pk
    assert picture.respondents == 10
    assert picture.areas[0].levels == (6, 0, 4, 0)
    assert [(unit.name, unit.respondents) for unit in picture.below] == []
    whole = for_administrators_picture(None)
    assert whole.unit_id == cast.organisation.pk
    assert [(unit.name, unit.respondents) for unit in whole.below] == [
        ("Sekretariatet", None),
        ("Økonomi", None),
    ]
    page = _get(
        client_for(cast.lena), reverse("development:team_picture", args=[cast.team.pk]), "en"
    )
    text = page.content.decode()
    assert "You see the figures of Kommunen, the nearest unit above" in text
    assert "Kommunen: 10 people have assessed themselves" in text
    page = _get(
        client_for(cast.lena), reverse("development:team_picture", args=[cast.team.pk]), "da"
    )
    assert "Kommunen: 10 personer har vurderet sig selv" in page.content.decode()


def test_nothing_is_kept_of_a_hidden_group(cast: Cast) -> None:
    _team(cast, 4, 6)
    count = picture_count(now=FROZEN_AT)

    rows = {row.unit_id: row for row in PictureUnit.objects.filter(count=count)}
    for hidden in (cast.team.pk, cast.other_team.pk):
        assert rows[hidden].figures is None and rows[hidden].respondents is None
        assert rows[hidden].group_id == cast.organisation.pk
    assert rows[cast.organisation.pk].respondents == 10


def test_fewer_than_k_in_all_shows_nothing(cast: Cast, client_for: Any) -> None:
    for person in (cast.alice, cast.bob, cast.lena, cast.eve):
        _assess(person)
    picture_count(now=FROZEN_AT)

    picture = for_leaders_picture(cast.lena, cast.team.pk)

    assert picture.group_id is None and picture.respondents is None and picture.areas == []
    page = _get(
        client_for(cast.lena), reverse("development:team_picture", args=[cast.team.pk]), "en"
    )
    assert "Too few have assessed themselves for any figure to be shown" in page.content.decode()


def test_the_leader_sees_only_units_they_lead(cast: Cast, client_for: Any) -> None:
    _team(cast, 6, 6)
    picture_count(now=FROZEN_AT)

    def status(user: User, unit: Unit) -> int:
        url = reverse("development:team_picture", args=[unit.pk])
        return int(client_for(user).get(url).status_code)

    assert status(cast.lena, cast.team) == 200
    assert status(cast.lena, cast.other_team) == 404
    assert status(cast.lena, cast.organisation) == 404
    for someone in (cast.alice, cast.bob, cast.eve, cast.ada):
        assert status(someone, cast.team) == 404
    assert client_for(cast.lena).get("/development/team/999999/").status_code == 404
    # The leader of the organisation sees every unit below it.
    Membership.objects.create(user=cast.eve, unit=cast.organisation, role=Membership.Role.LEADER)
    assert status(cast.eve, cast.team) == 200
    assert status(cast.eve, cast.organisation) == 200


def test_the_administrators_picture_opens_on_the_top_and_any_unit_on_request(
    cast: Cast, client_for: Any
) -> None:
    _team(cast, 6, 6)
    picture_count(now=FROZEN_AT)
    url = reverse("development_admin:picture")

    top = _get(client_for(cast.ada), url, "en")
    team = _get(client_for(cast.ada), url, open=cast.team.pk)
    assert top.status_code == 200 and team.status_code == 200
    assert "Kommunen: 12 people have assessed themselves" in top.content.decode()
    assert f'href="?open={cast.team.pk}"' in top.content.decode()
    assert "Sekretariatet: 6 people have assessed themselves" in team.content.decode()
    assert client_for(cast.ada).get(url, {"open": "x"}).status_code == 404
    assert client_for(cast.ada).get(url, {"open": 999999}).status_code == 404
    assert client_for(cast.lena).get(url).status_code == 404


def test_the_administrator_reaches_every_unit_at_the_top(cast: Cast, client_for: Any) -> None:
    _team(cast, 6, 6)
    second = unit_create(actor=None, name="Forsyningen", parent=None)
    picture_count(now=FROZEN_AT)
    url = reverse("development_admin:picture")

    top = _get(client_for(cast.ada), url, "en").content.decode()
    assert "Other units at the top:" in top
    assert f'href="?open={second.pk}"' in top
    other = _get(client_for(cast.ada), url, "en", open=second.pk).content.decode()
    assert f'href="?open={cast.organisation.pk}"' in other
    # Below the top, the way up is the path of units above instead.
    below = _get(client_for(cast.ada), url, open=cast.team.pk).content.decode()
    assert "Other units at the top" not in below


def test_the_pages_take_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    _team(cast, 4, 6)

    def units_below(count: int) -> None:
        for n in range(count):
            unit = unit_create(actor=None, name=f"Team {n}", parent=cast.team)
            for person in _people(unit, 6, f"t{unit.pk}-"):
                _assess(person)
        PictureUnit.objects.all().delete()
        PictureCount.objects.all().delete()
        picture_count(now=FROZEN_AT)

    units_below(1)
    lena, ada = client_for(cast.lena), client_for(cast.ada)
    leader_url = reverse("development:team_picture", args=[cast.team.pk])
    admin_url = reverse("development_admin:picture")
    lena.get(leader_url)
    ada.get(admin_url)

    # The session with its person and unread notifications, the unit and the paths it is led
    # from, its ancestors, the count, the rows of the unit and its ancestors, the areas, and the
    # units below and whether they have units below; the administrator's page
    # asks no paths a unit is led from, and at the top asks for the other units at the top.
    with django_assert_num_queries(9):
        assert lena.get(leader_url).status_code == 200
    with django_assert_num_queries(8):
        assert ada.get(admin_url).status_code == 200
    # More units and people below change nothing.
    units_below(5)
    with django_assert_num_queries(9):
        assert lena.get(leader_url).status_code == 200
    with django_assert_num_queries(8):
        assert ada.get(admin_url).status_code == 200


def test_only_each_persons_latest_assessment_of_the_last_year_counts(cast: Cast) -> None:
    team = _team(cast, 6, 6)
    # alice's newer assessment replaces hers; one made after the count's moment waits for
    # the next count; an assessment older than a year does not count.
    _assess(cast.alice, level=4, at=FROZEN_AT - timedelta(days=2))
    _assess(cast.alice, level=1, at=FROZEN_AT + timedelta(hours=1))
    stranger = _people(cast.team, 1, "gammel")[0]
    _assess(stranger, level=4, at=FROZEN_AT - timedelta(days=366))
    left = _people(cast.team, 1, "stoppet")[0]
    _assess(left, level=4)
    User.objects.filter(pk=left.pk).update(is_active=False)

    picture_count(now=FROZEN_AT)

    picture = picture_of(cast.team)
    assert picture.respondents == len(team) == 6
    assert picture.areas[0].levels == (0, 0, 5, 1)


def test_activities_are_counted_only_for_those_who_assessed_themselves(cast: Cast) -> None:
    _team(cast, 6, 6)
    no_assessment = _people(cast.team, 1, "udenvurdering")[0]
    _activity(no_assessment, ActivityKind.MENTOR)
    _activity(cast.alice, ActivityKind.MENTOR, ActivityStatus.DROPPED)
    _activity(cast.alice, ActivityKind.NETWORK, ActivityStatus.UNDER_WAY)

    picture_count(now=FROZEN_AT)

    activities = {row.kind: row.count for row in picture_of(cast.team).activities}
    assert activities["mentor"] == 0 and activities["netvaerk"] == 1


def test_a_month_is_counted_once(cast: Cast) -> None:
    _team(cast, 6, 6)
    first = picture_count(now=FROZEN_AT)
    _assess(cast.alice, level=4, at=FROZEN_AT + timedelta(hours=1))

    again = picture_count(now=FROZEN_AT + timedelta(days=2))
    assert again.pk == first.pk
    assert picture_of(cast.team).areas[0].levels == (0, 0, 6, 0)

    # The worker counts the next month on its first tick in it, once.
    next_month = FROZEN_AT + timedelta(days=31)
    run_picture_count(next_month)
    run_picture_count(next_month + timedelta(minutes=1))
    assert PictureCount.objects.count() == 2
    assert picture_of(cast.team).areas[0].levels == (0, 0, 5, 1)


def test_before_the_first_count_the_page_says_when_it_comes(cast: Cast, client_for: Any) -> None:
    page = _get(
        client_for(cast.lena), reverse("development:team_picture", args=[cast.team.pk]), "en"
    )
    assert page.status_code == 200
    assert "The team picture has not been counted yet" in page.content.decode()


@override_settings(SPARRING_ANONYMITY_K=2)
def test_a_k_below_three_is_refused_and_nothing_is_counted(cast: Cast) -> None:
    _team(cast, 6, 6)
    with pytest.raises(ValueError, match="at least 3"):
        picture_count(now=FROZEN_AT)
    assert not PictureCount.objects.exists()


@override_settings(SPARRING_ANONYMITY_K=3)
def test_k_is_the_organisations_setting(cast: Cast) -> None:
    _team(cast, 4, 6)
    count = picture_count(now=FROZEN_AT)
    assert count.k == 3
    assert picture_of(cast.team).group_id == cast.team.pk
