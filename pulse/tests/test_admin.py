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
