"""The registry of personal data, and the page that shows a person what Sparring holds about
them."""

from __future__ import annotations

import re

import pytest
from django.core import checks
from django.urls import reverse

from checkins.models import CheckIn, Reflection
from core import personal_data
from core.access import Visibility
from core.personal_data import Kind, check_personal_data
from feedback.models import Feedback
from privacy.selectors import for_my_data
from recognition.models import Recognition

MY_DATA = reverse("privacy:my_data")


def counts(user) -> dict[str, int]:
    """The page's counts by kind."""
    return {kind.key: kind.count for kind in for_my_data(user).kinds}


@pytest.fixture
def registry(monkeypatch):
    """The registry as the project declares it, to change for one test."""
    monkeypatch.setattr(
        personal_data,
        "_registry",
        personal_data._Registry(
            list(personal_data._registry.areas),
            dict(personal_data._registry.not_personal),
            list(personal_data._registry.rules),
        ),
    )
    return personal_data._registry


def test_every_model_about_people_is_declared():
    assert personal_data.undeclared() == []
    assert check_personal_data() == []


def test_a_model_about_people_left_out_of_the_registry_fails_the_check(registry):
    registry.areas[:] = [
        personal_data.Area(area.label, tuple(k for k in area.kinds if k.model is not CheckIn))
        for area in registry.areas
    ]

    assert personal_data.undeclared() == [CheckIn]
    errors = check_personal_data()
    assert [(error.id, error.obj) for error in errors] == [("sparring.E001", CheckIn)]
    # Django's own checks report it too, so `manage.py check` and every server start fail.
    assert "sparring.E001" in {error.id for error in checks.run_checks()}


def test_content_that_reaches_its_person_through_another_row_must_be_declared_too(registry):
    """A self-assessment's ratings have no column naming a person, but they are its owner's
    as much as the self-assessment is."""
    from development.models import Rating

    registry.areas[:] = [
        personal_data.Area(area.label, tuple(k for k in area.kinds if k.model is not Rating))
        for area in registry.areas
    ]

    assert personal_data.undeclared() == [Rating]
    assert [(e.id, e.obj) for e in check_personal_data()] == [("sparring.E001", Rating)]


def test_a_kind_that_reaches_no_person_fails_the_check(registry):
    personal_data.register("Prøve", Kind("wrong", "Forkert", Reflection, "value"))
    personal_data.register("Prøve 2", Kind("typo", "Stavefejl", Reflection, "ownr"))

    assert [(error.id, error.msg) for error in check_personal_data()] == [
        ("sparring.E002", "The kind 'wrong' reaches no person by 'value'."),
        ("sparring.E002", "The kind 'typo' reaches no person by 'ownr'."),
    ]


def test_a_kind_whose_page_needs_a_parameter_fails_the_check(registry):
    personal_data.register("Prøve", Kind("notes", "Noter", Reflection, "owner", "reflections:edit"))

    assert [error.id for error in check_personal_data()] == ["sparring.E003"]


def test_a_kind_is_declared_once(registry):
    with pytest.raises(Exception, match="'checkins' is declared twice"):
        personal_data.register("Igen", Kind("checkins", "Check-ins", CheckIn, "owner"))


def test_the_counts_are_of_what_is_about_the_person_and_no_one_else(cast):
    CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=4)
    CheckIn.objects.create(owner=cast.bob, week="2026-11-30", visibility=Visibility.TEAM)
    Reflection.objects.create(owner=cast.alice, text="Hvad jeg lærte")
    Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well="Godt oplæg")
    thanks = Recognition.objects.create(author=cast.alice, text="Tak for hjælpen")
    thanks.recipients.add(cast.bob, cast.lena)

    alice, bob, lena, eve = (counts(p) for p in (cast.alice, cast.bob, cast.lena, cast.eve))

    assert (alice["checkins"], bob["checkins"], lena["checkins"], eve["checkins"]) == (1, 1, 0, 0)
    assert (alice["reflections"], bob["reflections"]) == (1, 0)
    assert (alice["feedback_received"], alice["feedback_given"]) == (1, 0)
    assert (bob["feedback_received"], bob["feedback_given"]) == (0, 1)
    assert (eve["feedback_received"], eve["feedback_given"]) == (0, 0)
    assert (alice["recognition_given"], alice["recognition_received"]) == (1, 0)
    assert (bob["recognition_received"], lena["recognition_received"]) == (1, 1)
    assert (alice["memberships"], alice["account"], eve["memberships"]) == (1, 1, 1)
    assert cast.ada.pk and counts(cast.ada)["memberships"] == 0


def test_the_page_shows_every_kind_with_its_count_in_danish(cast, client_for):
    CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=4)

    response = client_for(cast.alice).get(MY_DATA)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Mine data</h1>" in page
    assert re.search(r"<title>Mine data[^<]*</title>", page)
    assert "Dine trivselssvar er ikke her" in page
    data = for_my_data(cast.alice)
    # Alice's check-in, her place in her team and her account; everything else is none.
    assert [area.label for area in data.areas] == [
        "Din konto",
        "Din plads i organisationen",
        "Check-ins og refleksioner",
    ]
    assert [kind.key for area in data.areas for kind in area.kinds] == [
        "account",
        "memberships",
        "checkins",
    ]
    assert len(data.kinds) == len(list(personal_data.all_kinds()))
    for kind in data.kinds:
        assert f'id="kind-{kind.key}"' in page
    assert '<a href="/checkins/">Check-ins</a>' in page
    row = re.search(r'id="kind-checkins">(.*?)</tr>', page, re.S)
    assert row and re.search(r">\s*1\s*</td>", row.group(1))


def test_the_page_reads_one_count_per_kind(cast, client_for, django_assert_num_queries):
    client = client_for(cast.alice)
    client.get(MY_DATA)
    kinds = len(list(personal_data.all_kinds()))
    # What every page reads (the session with its person and their unread notifications), one
    # count per kind, the person's newest copy of it all, and the deadlines.
    with django_assert_num_queries(1 + kinds + 2):
        client.get(MY_DATA)


def test_logged_out_the_page_asks_for_a_login(client):
    response = client.get(MY_DATA)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
