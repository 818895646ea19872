"""The framework's first version is the handbook's six focus areas, in Danish and English,
each with a description of behaviour for the four levels; and what a person assesses is theirs
alone until they share it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from development.models import Rating, SelfAssessment
from development.services import framework_current


def test_the_first_framework_is_the_six_focus_areas_of_the_handbook(db) -> None:
    framework = framework_current()

    areas = list(framework.areas.all())
    assert framework.version == 1
    with translation.override("da"):
        assert [area.name for area in areas] == [
            "Projekt- og proceskompetencer",
            "Open source og digital forvaltning",
            "Kommunikation og samarbejde",
            "Strategisk og analytisk tænkning",
            "Innovation og læring i praksis",
            "Personlig udvikling og trivsel",
        ]
        assert areas[2].description == (
            "Tydelig, tillidsfuld og respektfuld dialog på tværs af fagligheder."
        )
    with translation.override("en"):
        assert areas[0].name == "Project and process skills"
    for area in areas:
        assert len(area.levels_da) == len(area.levels_en) == 4
        assert all(level.strip() for level in [*area.levels_da, *area.levels_en])
    assert framework_current() == framework


def test_a_level_outside_the_scale_is_refused_by_the_database(cast: Cast) -> None:
    framework = framework_current()
    area = framework.areas.all()[0]
    assessment = SelfAssessment.objects.create(
        owner=cast.alice, framework=framework, assessed_at=FROZEN_AT
    )
    for level in (0, 5):
        with transaction.atomic(), pytest.raises(IntegrityError):
            Rating.objects.create(assessment=assessment, area=area, level=level)


def test_a_self_assessment_is_its_owners_until_shared_with_her_leaders(cast: Cast) -> None:
    framework = framework_current()
    assessment = SelfAssessment.objects.create(
        owner=cast.alice, framework=framework, assessed_at=FROZEN_AT
    )
    Rating.objects.create(assessment=assessment, area=framework.areas.all()[0], level=3)

    def readers() -> set[str]:
        return {
            person.username
            for person in (cast.alice, cast.bob, cast.lena, cast.eve, cast.ada)
            if SelfAssessment.objects.visible_to(person).filter(pk=assessment.pk).exists()
            and Rating.objects.visible_to(person).filter(assessment=assessment).exists()
        }

    assert readers() == {cast.alice.username}
    SelfAssessment.objects.filter(pk=assessment.pk).update(visibility=Visibility.LEADER)
    assert readers() == {cast.alice.username, cast.lena.username}
