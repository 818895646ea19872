"""Administrators compose surveys from the question bank; bad input changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from pulse.models import Question, Survey


@pytest.fixture
def data(cast):
    questions = list(Question.objects.all()[:3])
    return {
        "name": "Trivsel i Sekretariatet",
        "units": [cast.team.pk],
        "survey_questions": [q.pk for q in questions],
        "every_weeks": "2",
        "round_days": "5",
        "starts_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "k": "5",
        "comments": "on",
        "is_active": "on",
    }


def test_an_administrator_composes_a_survey(cast, client_for, data):
    ada = client_for(cast.ada)
    assert ada.get(reverse("pulse_admin:survey_new")).status_code == 200
    response = ada.post(reverse("pulse_admin:survey_new"), data)
    assert response["Location"] == reverse("pulse_admin:surveys")
    survey = Survey.objects.get()
    assert list(survey.units.all()) == [cast.team]
    assert [item.question_id for item in survey.items.all()] == data["survey_questions"]
    assert not survey.confidential and survey.k == 5
    assert AuditEntry.objects.filter(action="pulse_survey.create").exists()
    # Editing shows the chosen questions and keeps them.
    html = ada.get(reverse("pulse_admin:survey_edit", args=[survey.pk])).content.decode()
    assert re.search(rf'value="{data["survey_questions"][0]}"\s+checked', html)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"k": "2"}, "k"),
        ({"units": []}, "units"),
        ({"survey_questions": []}, "survey_questions"),
        ({"round_days": "14"}, "round_days"),
        ({"starts_on": "2020-01-01"}, "starts_on"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_changes_nothing(cast, client_for, data, change, field):
    response = client_for(cast.ada).post(reverse("pulse_admin:survey_new"), data | change)
    assert response.status_code == 200
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not Survey.objects.exists()


def test_the_question_bank(cast, client_for):
    ada = client_for(cast.ada)
    response = ada.post(
        reverse("pulse_admin:question_new"),
        {
            "theme": "clarity",
            "text_da": "Jeg ved, hvad der er vigtigst lige nu.",
            "text_en": "I know what matters most right now.",
            "position": "20",
            "is_active": "on",
        },
    )
    assert response["Location"] == reverse("pulse_admin:questions")
    assert Question.objects.filter(text_en="I know what matters most right now.").exists()
    for person in (cast.alice, cast.lena):
        assert client_for(person).get(reverse("pulse_admin:questions")).status_code == 404


def test_a_new_survey_starts_on_the_next_monday(clock, cast, client_for):
    from datetime import date

    from pulse.forms import SurveyForm, next_monday

    assert next_monday(date(2026, 12, 1)) == date(2026, 12, 7)  # a Tuesday
    assert next_monday(date(2026, 12, 7)) == date(2026, 12, 14)  # a Monday: the one after
    assert next_monday(date(2026, 12, 6)) == date(2026, 12, 7)  # a Sunday
    assert SurveyForm(today=clock.today())["starts_on"].value() == date(2026, 12, 7)
    html = client_for(cast.ada).get(reverse("pulse_admin:survey_new")).content.decode()
    assert 'value="2026-12-07"' in html


def test_units_are_chosen_from_a_tree_that_says_how_many_are_asked(
    clock, cast, client_for, data, django_assert_num_queries
):
    ada = client_for(cast.ada)
    html = ada.get(reverse("pulse_admin:survey_new")).content.decode()
    # The team sits inside the organisation's branch, each unit a checkbox of its own.
    organisation = html.index(f'id="id_units_{cast.organisation.pk}"')
    branch = html.index("<details", organisation)
    assert branch < html.index(f'id="id_units_{cast.team.pk}"')
    assert "Vælg enhederne for at se, hvor mange personer der bliver spurgt." in html
    # htmx asks how many as the choice changes: alice, bob and lena; the organisation's five.
    url = reverse("pulse_admin:survey_audience")
    # Session and person, then two reads: the chosen units' paths, and the count.
    with django_assert_num_queries(3):
        answer = ada.get(url, {"units": [cast.team.pk]}).content.decode()
    assert "3 personer bliver spurgt." in answer
    both = {"units": [cast.organisation.pk, cast.team.pk]}
    assert "4 personer bliver spurgt." in ada.get(url, both).content.decode()
    # Without script, "count again" says the same and saves nothing; a save says it too.
    preview = ada.post(reverse("pulse_admin:survey_new"), data | {"preview": "1"})
    assert preview.status_code == 200 and not Survey.objects.exists()
    assert "3 personer bliver spurgt." in preview.content.decode()
    assert re.search(rf'value="{cast.team.pk}"\s+checked', preview.content.decode())
    # A branch with a chosen unit in it starts open.
    assert f'id="id_units_{cast.team.pk}"' in preview.content.decode()
    # Someone not an administrator gets 404, as for every administration page.
    assert client_for(cast.lena).get(url, {"units": [cast.team.pk]}).status_code == 404
