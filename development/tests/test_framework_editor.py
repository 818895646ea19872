"""Administrators edit the competence framework: its areas, and four levels' descriptions per
area, in Danish and English. Adding, removing and moving an area saves nothing; each save is a
new version, and a self-assessment keeps the version it was made with."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from development.models import AREAS_ADVISED, Framework, SelfAssessment
from development.selectors import for_assessment_page, for_framework_editor
from development.services import (
    AreaText,
    DevelopmentError,
    RatingGiven,
    assessment_save,
    framework_current,
    framework_new_version,
)

pytestmark = pytest.mark.usefixtures("clock")

URL = reverse("development_admin:framework")
LEVELS_DA = ["Begynder", "Selvstændig", "Erfaren", "Går forrest"]
LEVELS_EN = ["Beginner", "Independent", "Experienced", "Leads the way"]


def _area(name_da: str, name_en: str, key: str = "") -> AreaText:
    return AreaText(
        key=key,
        name_da=name_da,
        name_en=name_en,
        description_da=f"Om {name_da.lower()}.",
        description_en=f"About {name_en.lower()}.",
        levels_da=LEVELS_DA,
        levels_en=LEVELS_EN,
    )


AREAS = [
    _area("Faglighed", "Professional skill"),
    _area("Samarbejde", "Collaboration"),
    _area("Læring", "Learning"),
]


def _form(rows: list[AreaText], action: str) -> dict[str, object]:
    data: dict[str, object] = {
        "key": [row.key for row in rows],
        "name_da": [row.name_da for row in rows],
        "name_en": [row.name_en for row in rows],
        "description_da": [row.description_da for row in rows],
        "description_en": [row.description_en for row in rows],
        "action": action,
    }
    for level in range(1, 5):
        data[f"level_{level}_da"] = [row.levels_da[level - 1] for row in rows]
        data[f"level_{level}_en"] = [row.levels_en[level - 1] for row in rows]
    return data


def _names(response: Any) -> list[str]:
    return [row.area.name_da for row in response.context["rows"]]


def test_the_editor_opens_on_the_current_framework(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.ada).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 1, 0 selvvurderinger bruger den." in page
    assert "Projekt- og proceskompetencer" in page
    assert html.escape("Jeg leder komplekse samarbejder") in page
    assert len(response.context["rows"]) == 6
    # The administration's sub-navigation marks where we are.
    assert f'href="{URL}" aria-current="page"' in page


def test_only_administrators_reach_the_editor(cast: Cast, client_for: Any) -> None:
    for person in (cast.alice, cast.lena):
        assert client_for(person).get(URL).status_code == 404
        assert client_for(person).post(URL, _form(AREAS, "save")).status_code == 404
    assert Framework.objects.count() == 0
    with pytest.raises(DevelopmentError):
        framework_new_version(areas=AREAS, by=cast.lena)


def test_adding_moving_and_removing_areas_saves_nothing(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.ada)

    added = client.post(URL, _form(AREAS, "add"))
    assert added.status_code == 200
    assert _names(added) == ["Faglighed", "Samarbejde", "Læring", ""]
    assert _names(client.post(URL, _form(AREAS, "down-0"))) == [
        "Samarbejde",
        "Faglighed",
        "Læring",
    ]
    assert _names(client.post(URL, _form(AREAS, "up-2"))) == ["Faglighed", "Læring", "Samarbejde"]
    removed = client.post(URL, _form(AREAS, "remove-1"))
    assert _names(removed) == ["Faglighed", "Læring"]
    # Moving past either end, or an area that is not there, changes nothing.
    assert _names(client.post(URL, _form(AREAS, "up-0"))) == ["Faglighed", "Samarbejde", "Læring"]
    assert _names(client.post(URL, _form(AREAS, "remove-9"))) == [
        "Faglighed",
        "Samarbejde",
        "Læring",
    ]
    assert "Dine ændringer er ikke gemt endnu." in removed.content.decode()
    # Only the first version, which the editor opened on.
    assert list(Framework.objects.values_list("version", flat=True)) == [1]


def test_saving_makes_a_new_version_and_an_older_assessment_keeps_its_own(
    cast: Cast, client_for: Any
) -> None:
    first = framework_current()
    older = assessment_save(
        owner=cast.alice,
        framework=first,
        ratings=[RatingGiven(area_id=area.pk, level=3) for area in first.areas.all()],
        note="",
        visibility=Visibility.PRIVATE,
        now=FROZEN_AT,
    )

    response = client_for(cast.ada).post(URL, _form(AREAS, "save"))

    assert response.status_code == 302 and response["Location"] == URL
    current = Framework.objects.get(is_current=True)
    assert current.version == 2 and current.created_by == cast.ada
    assert [a.name_da for a in current.areas.all()] == ["Faglighed", "Samarbejde", "Læring"]
    assert [a.key for a in current.areas.all()] == ["faglighed", "samarbejde", "laering"]
    assert current.areas.all()[2].levels_en == LEVELS_EN
    # alice's assessment keeps the six areas it was made with, and reads as it did.
    older.refresh_from_db()
    assert older.framework == first
    page = for_assessment_page(cast.alice, older.pk)
    assert page.ratings[0].area.name_da == "Projekt- og proceskompetencer"
    assert len(page.ratings) == 6
    shown = client_for(cast.ada).get(URL).content.decode()
    assert "Version 2, 0 selvvurderinger bruger den." in shown
    assert for_framework_editor().rows[0].key == "faglighed"


def test_an_area_keeps_its_key_when_renamed_and_moved(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.ada)
    client.post(URL, _form(AREAS, "save"))
    rows = for_framework_editor().rows
    renamed = [
        rows[2],
        AreaText(**{**rows[0].__dict__, "name_da": "Fagligt overblik"}),
        rows[1],
    ]

    assert client.post(URL, _form(renamed, "save")).status_code == 302

    current = Framework.objects.get(is_current=True)
    assert current.version == 3
    assert [(a.key, a.name_da) for a in current.areas.all()] == [
        ("laering", "Læring"),
        ("faglighed", "Fagligt overblik"),
        ("samarbejde", "Samarbejde"),
    ]


@pytest.mark.parametrize(
    ("rows", "danish", "english", "marked"),
    [
        (
            [AreaText("", "Faglighed", "", "Om", "About", LEVELS_DA, LEVELS_EN)],
            "Hvert fokusområde skal have sit navn, sin beskrivelse og en beskrivelse af hvert "
            "niveau, på dansk og på engelsk.",
            "Every focus area needs its name, its description and a description of each level, "
            "in Danish and in English.",
            1,
        ),
        (
            [AreaText("", "Faglighed", "Skill", "Om", "About", LEVELS_DA, ["", "", "", "x"])],
            "Hvert fokusområde skal have sit navn, sin beskrivelse og en beskrivelse af hvert "
            "niveau, på dansk og på engelsk.",
            "Every focus area needs its name, its description and a description of each level, "
            "in Danish and in English.",
            3,
        ),
        (
            [AreaText("", "", "", "", "", ["", "", "", ""], ["", "", "", ""])],
            "En kompetenceramme skal have mindst ét fokusområde.",
            "A competence framework needs at least one focus area.",
            0,
        ),
        (
            [_area("x" * 201, "Skill")],
            "Et fokusområdes navn må højst være på 200 tegn.",
            "A focus area's name is at most 200 characters.",
            0,
        ),
    ],
)
@pytest.mark.parametrize("language", ["da", "en"])
def test_bad_input_says_why_and_saves_nothing(
    cast: Cast, client_for: Any, rows, danish, english, marked, language
) -> None:
    cast.ada.language = language
    cast.ada.save(update_fields=["language"])

    response = client_for(cast.ada).post(URL, _form(rows, "save"))

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert (danish if language == "da" else english) in page
    # An area begun but not filled in is marked where a text is missing.
    assert page.count('aria-invalid="true"') == marked
    assert Framework.objects.count() == 1  # only the first version, read to compare with


def test_saving_the_same_framework_makes_no_new_version(cast: Cast) -> None:
    framework_new_version(areas=AREAS, by=cast.ada)
    same = for_framework_editor().rows
    with pytest.raises(DevelopmentError):
        framework_new_version(areas=same, by=cast.ada)
    assert Framework.objects.count() == 2


def test_more_areas_than_advised_are_saved_with_a_warning(cast: Cast, client_for: Any) -> None:
    many = [_area(f"Område {n}", f"Area {n}") for n in range(1, AREAS_ADVISED + 2)]
    client = client_for(cast.ada)

    shown = client.post(URL, _form(many, "add")).content.decode()
    assert "Mere end 15 fokusområder" in shown

    response = client.post(URL, _form(many, "save"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gemt som version 2." in page
    assert "Kompetencerammen har mere end 15 fokusområder." in page
    assert Framework.objects.get(is_current=True).areas.count() == AREAS_ADVISED + 1
    assert SelfAssessment.objects.count() == 0
