"""A person assesses themselves on every focus area whenever they like; the assessment is theirs
alone until they share it with their leaders or people they name; their history follows each
area through the versions of the framework. Bad input says why, in Danish and in English, and
saves nothing."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from conftest import FROZEN_AT, Cast
from core.access import Visibility
from development.models import Area, Framework, Rating, SelfAssessment
from development.selectors import for_development_page
from development.services import (
    AreaText,
    AssessmentError,
    RatingGiven,
    assessment_save,
    assessment_share,
    framework_current,
    framework_new_version,
)

# Views read the frozen clock (conftest.py): Tuesday 1 December 2026, 10:00 in Copenhagen.
pytestmark = pytest.mark.usefixtures("clock")

NOW = FROZEN_AT
URL = reverse("development:assess")


def _ratings(framework: Framework, *levels: int) -> list[RatingGiven]:
    areas = list(framework.areas.all())
    levels = levels or tuple(2 for _area in areas)
    return [
        RatingGiven(area_id=area.pk, level=level) for area, level in zip(areas, levels, strict=True)
    ]


def _save(owner: User, *levels: int, when=NOW, visibility=Visibility.PRIVATE, people=()) -> Any:
    framework = framework_current()
    return assessment_save(
        owner=owner,
        framework=framework,
        ratings=_ratings(framework, *levels),
        note="",
        visibility=visibility,
        shared_with=people,
        now=when,
    )


def _form(
    framework: Framework, levels: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """The form as a browser posts it: every area at level 2, unless `levels` says otherwise
    (by area key; None leaves the area without a level)."""
    data: dict[str, Any] = {"framework": str(framework.version), "visibility": "private"}
    for area in framework.areas.all():
        level = (levels or {}).get(area.key, 2)
        if level is not None:
            data[f"level_{area.pk}"] = str(level)
    return data | extra


def _language(user: User, code: str) -> None:
    user.language = code
    user.save(update_fields=["language"])


def _counts() -> tuple[int, int]:
    return SelfAssessment.objects.count(), Rating.objects.count()


# --- Saving ------------------------------------------------------------------------------------


def test_alice_assesses_herself_through_the_form_and_it_is_private(
    cast: Cast, client_for: Any
) -> None:
    framework = framework_current()
    areas = list(framework.areas.all())
    client = client_for(cast.alice)
    page = client.get(URL).content.decode()
    # Each area a group of its own, each level labelled with its behaviour; private said.
    assert page.count('<fieldset class="assessment-area') == len(areas)
    assert html.escape(areas[0].levels_da[2]) in page
    assert "Din selvvurdering er privat" in page

    data = _form(
        framework,
        {areas[0].key: 3, areas[1].key: 1},
        **{
            f"develop_{areas[1].pk}": "on",
            f"teach_{areas[0].pk}": "on",
            f"note_{areas[1].pk}": "Open source-governance vil jeg lære mere om",
            "note": "Klar til MUS",
        },
    )
    response = client.post(URL, data)

    assessment = SelfAssessment.objects.get(owner=cast.alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("development:assessment", args=[assessment.pk])
    assert assessment.visibility == Visibility.PRIVATE
    assert assessment.assessed_at == NOW and assessment.framework == framework
    assert assessment.note == "Klar til MUS"
    ratings = {r.area.key: r for r in assessment.ratings.select_related("area")}
    assert len(ratings) == len(areas)
    assert (ratings[areas[0].key].level, ratings[areas[0].key].could_teach) == (3, True)
    assert ratings[areas[1].key].wants_to_develop
    assert ratings[areas[1].key].note == "Open source-governance vil jeg lære mere om"
    read = client.get(response["Location"]).content.decode()
    assert "Open source-governance vil jeg lære mere om" in read
    assert "Kun du ser denne selvvurdering." in read


def test_the_form_starts_from_the_newest_assessment_and_saving_adds_one(
    cast: Cast, client_for: Any
) -> None:
    _save(cast.alice, 1, 2, 3, 4, 1, 2)
    framework = framework_current()
    first = framework.areas.all()[0]

    form = client_for(cast.alice).get(URL).context["form"]
    assert form.initial[f"level_{first.pk}"] == 1
    # Private again, whoever the last one was shared with.
    assert form.initial["visibility"] == Visibility.PRIVATE

    client_for(cast.alice).post(URL, _form(framework))
    assert SelfAssessment.objects.filter(owner=cast.alice).count() == 2


def test_sharing_with_the_leader_lets_her_read_it_and_nobody_else(
    cast: Cast, client_for: Any
) -> None:
    framework = framework_current()
    response = client_for(cast.alice).post(
        URL, _form(framework, note="Til min leder", visibility="leader")
    )
    assessment = SelfAssessment.objects.get(owner=cast.alice)
    url = response["Location"]

    assert assessment.visibility == Visibility.LEADER
    page = client_for(cast.lena).get(url)
    assert page.status_code == 200
    assert "Til min leder" in page.content.decode()
    assert "Alice Andersens selvvurdering" in page.content.decode()
    # lena finds it on her own page, under what is shared with her.
    index = client_for(cast.lena).get(reverse("development:index")).content.decode()
    assert url in index
    for person in (cast.bob, cast.eve, cast.ada):
        assert client_for(person).get(url).status_code == 404
    # Only the owner changes who reads it.
    sharing = reverse("development:assessment_sharing", args=[assessment.pk])
    assert client_for(cast.lena).get(sharing).status_code == 404
    assert client_for(cast.lena).post(sharing, {"visibility": "private"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.visibility == Visibility.LEADER


def test_the_owner_shares_with_named_people_and_takes_it_back(cast: Cast, client_for: Any) -> None:
    assessment = _save(cast.alice)
    url = reverse("development:assessment", args=[assessment.pk])
    sharing = reverse("development:assessment_sharing", args=[assessment.pk])
    client = client_for(cast.alice)

    response = client.post(sharing, {"visibility": "shared", "shared_with": [cast.bob.pk]})
    assert response.status_code == 302 and response["Location"] == url
    assert client_for(cast.bob).get(url).status_code == 200
    assert client_for(cast.lena).get(url).status_code == 404
    assert "Bob Bertelsen" in client.get(url).content.decode()

    client.post(sharing, {"visibility": "private"})
    assessment.refresh_from_db()
    assert assessment.visibility == Visibility.PRIVATE
    assert not assessment.shared_with.exists()
    assert client_for(cast.bob).get(url).status_code == 404


def test_only_the_owner_shares_in_the_service_too(cast: Cast) -> None:
    assessment = _save(cast.alice)
    with pytest.raises(AssessmentError):
        assessment_share(assessment=assessment, by=cast.lena, visibility=Visibility.LEADER)
    assessment.refresh_from_db()
    assert assessment.visibility == Visibility.PRIVATE


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ("level 0", "Choose a level from 1 to 4 in “Project and process skills”."),
        ("level 5", "Choose a level from 1 to 4 in “Project and process skills”."),
        ("missing area", "Choose your level in “Personal development and wellbeing”."),
        ("missing level", "Choose your level in “Project and process skills”."),
        ("foreign area", "A focus area you rated is not in the competence framework."),
    ],
)
def test_the_service_refuses_a_bad_rating_and_saves_nothing(
    cast: Cast, ratings: str, message: str
) -> None:
    from django.utils import translation

    framework = framework_current()
    given = _ratings(framework)
    first = given[0]
    if ratings == "level 0":
        given[0] = RatingGiven(area_id=first.area_id, level=0)
    elif ratings == "level 5":
        given[0] = RatingGiven(area_id=first.area_id, level=5)
    elif ratings == "missing area":
        given = given[:-1]
    elif ratings == "missing level":
        given[0] = RatingGiven(area_id=first.area_id, level=None)
    else:
        other = Framework.objects.create(version=99, is_current=False)
        stray = Area.objects.create(
            framework=other,
            key="x",
            position=1,
            name_da="x",
            name_en="x",
            description_da="x",
            description_en="x",
            levels_da=["a", "b", "c", "d"],
            levels_en=["a", "b", "c", "d"],
        )
        given.append(RatingGiven(area_id=stray.pk, level=2))

    with translation.override("en"), pytest.raises(AssessmentError) as raised:
        assessment_save(
            owner=cast.alice,
            framework=framework,
            ratings=given,
            note="",
            visibility=Visibility.PRIVATE,
            now=NOW,
        )
    assert str(raised.value) == message
    assert _counts() == (0, 0)


def test_a_framework_that_is_no_longer_current_is_refused(cast: Cast) -> None:
    old = framework_current()
    ratings = _ratings(old)
    _new_version(cast)
    old.refresh_from_db()
    with pytest.raises(AssessmentError):
        assessment_save(
            owner=cast.alice,
            framework=old,
            ratings=ratings,
            note="",
            visibility=Visibility.PRIVATE,
            now=NOW,
        )
    assert _counts() == (0, 0)


BAD_POSTS: dict[str, tuple[dict[str, Any], str, str]] = {
    "a level off the scale": (
        {"level": "7"},
        "Vælg et niveau fra 1 til 4 i “Projekt- og proceskompetencer”.",
        "Choose a level from 1 to 4 in “Project and process skills”.",
    ),
    "a level that is no number": (
        {"level": "tre"},
        "Vælg et niveau fra 1 til 4 i “Projekt- og proceskompetencer”.",
        "Choose a level from 1 to 4 in “Project and process skills”.",
    ),
    "an area without a level": (
        {"level": None},
        "Vælg dit niveau i “Projekt- og proceskompetencer”.",
        "Choose your level in “Project and process skills”.",
    ),
    "shared with nobody": (
        {"visibility": "shared"},
        "Vælg mindst én person at dele med.",
        "Choose at least one person to share with.",
    ),
    "shared with oneself": (
        {"visibility": "shared", "shared_with": "alice"},
        "Du kan ikke dele med dig selv.",
        "You cannot share with yourself.",
    ),
    "a note too long": (
        {"note": "x" * 4001},
        "En note må højst være på 4000 tegn.",
        "A note is at most 4000 characters.",
    ),
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("name", list(BAD_POSTS))
def test_bad_input_through_the_form_says_why_and_saves_nothing(
    cast: Cast, client_for: Any, name: str, language: str
) -> None:
    change, danish, english = BAD_POSTS[name]
    framework = framework_current()
    first = framework.areas.all()[0]
    data = _form(framework, {first.key: change.get("level", 2)})
    if "visibility" in change:
        data["visibility"] = change["visibility"]
    if change.get("shared_with") == "alice":
        data["shared_with"] = [cast.alice.pk]
    if "note" in change:
        data["note"] = change["note"]
    _language(cast.alice, language)

    response = client_for(cast.alice).post(URL, data)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert (danish if language == "da" else english) in page
    assert _counts() == (0, 0)
    if "level" in change:
        # The area is marked where the level is chosen, and the summary links to it.
        assert f'href="#id_level_{first.pk}"' in page
        assert f'aria-describedby="id_level_{first.pk}-hint id_level_{first.pk}-error"' in page


def test_a_form_filled_in_on_an_older_framework_is_shown_again_on_the_new_one(
    cast: Cast, client_for: Any
) -> None:
    old = framework_current()
    kept = old.areas.all()[1]
    data = _form(old, {kept.key: 4}, note="Min note")
    _new_version(cast)

    response = client_for(cast.alice).post(URL, data)

    assert response.status_code == 400
    assert "Kompetencerammen blev ændret" in response.content.decode()
    form = response.context["form"]
    moved = Area.objects.get(framework__is_current=True, key=kept.key)
    # What alice chose is kept where the area still is.
    assert form.initial[f"level_{moved.pk}"] == 4
    assert form.initial["note"] == "Min note"
    assert _counts() == (0, 0)


# --- History ------------------------------------------------------------------------------------


def _new_version(cast: Cast) -> Framework:
    """The framework with the first area renamed (its key kept), the last removed and a new
    one added."""
    current = framework_current()
    areas = list(current.areas.all())
    rows = [
        AreaText(
            key=area.key,
            name_da=area.name_da + (" (nyt navn)" if i == 0 else ""),
            name_en=area.name_en,
            description_da=area.description_da,
            description_en=area.description_en,
            levels_da=list(area.levels_da),
            levels_en=list(area.levels_en),
        )
        for i, area in enumerate(areas[:-1])
    ]
    rows.append(
        AreaText(
            key="",
            name_da="Økonomi og jura",
            name_en="Finance and law",
            description_da="Om penge og regler.",
            description_en="About money and rules.",
            levels_da=["1", "2", "3", "4"],
            levels_en=["1", "2", "3", "4"],
        )
    )
    return framework_new_version(areas=rows, by=cast.ada)


def test_history_follows_each_area_by_its_key_across_versions(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    framework_current()
    _save(cast.alice, 1, 1, 2, 2, 3, 3, when=NOW - timedelta(days=60))
    new = _new_version(cast)
    _save(cast.alice, 2, 1, 3, 2, 4, 1, when=NOW)
    _save(cast.bob, 4, 4, 4, 4, 4, 4, when=NOW)

    with django_assert_num_queries(5):
        page = for_development_page(cast.alice)

    assert len(page.assessments) == 2
    by_key = {area.key: area for area in page.areas}
    first_key = new.areas.all()[0].key
    assert by_key[first_key].levels == [1, 2]
    assert by_key[first_key].name == "Projekt- og proceskompetencer (nyt navn)"
    # The new area has no level at the first assessment; the removed one none at the second.
    assert by_key["oekonomi-og-jura"].levels == [None, 1]
    assert by_key["personlig-udvikling-og-trivsel"].levels == [3, None]
    assert not by_key["personlig-udvikling-og-trivsel"].in_framework
    # The current framework's areas first, in its order; then what only older versions had.
    assert [area.key for area in page.areas][-2:] == [
        "oekonomi-og-jura",
        "personlig-udvikling-og-trivsel",
    ]
    # The table: newest first.
    assert page.rows[0].assessment == page.assessments[-1]
    assert page.rows[0].cells[0] == ("Projekt- og proceskompetencer (nyt navn)", 2)


def test_the_history_page_has_a_chart_and_a_table_per_area(cast: Cast, client_for: Any) -> None:
    _save(cast.alice, 1, 2, 3, 4, 1, 2, when=NOW - timedelta(days=30))
    _save(cast.alice, 2, 2, 3, 4, 2, 3, when=NOW)

    page = client_for(cast.alice).get(reverse("development:index")).content.decode()

    assert page.count('<svg class="trend-chart level-chart"') == 6
    described = 'aria-label="Linjediagram over dit niveau i Projekt- og proceskompetencer'
    assert described in page
    assert '<table class="table table--compact table--responsive-headers history-table">' in page
    assert "1. dec. 2026" in page and "1. nov. 2026" in page
    # Without self-assessments there is nothing to chart.
    empty = client_for(cast.bob).get(reverse("development:index")).content.decode()
    assert "level-chart" not in empty and "Du har ikke vurderet dig selv endnu." in empty


def test_the_page_reads_the_same_number_of_queries_however_long_the_history(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for days in range(12):
        _save(cast.alice, when=NOW - timedelta(days=30 * days))
    _save(cast.bob, visibility=Visibility.SHARED, people=[cast.alice])
    client = client_for(cast.alice)
    client.get(reverse("development:index"))
    with django_assert_max_num_queries(12) as counted:
        client.get(reverse("development:index"))
    twelve = len(counted.captured_queries)
    _save(cast.alice, when=NOW + timedelta(minutes=1))
    with django_assert_max_num_queries(twelve):
        client.get(reverse("development:index"))


# --- Telling the readers ------------------------------------------------------------------------


def test_who_can_now_read_it_is_told_once_and_never_what_it_says(
    cast: Cast, client_for: Any
) -> None:
    from notifications.models import Notification, OutgoingEmail

    framework = framework_current()
    secret = "Det-her-er-kun-til-min-leder"
    client = client_for(cast.alice)
    client.post(URL, _form(framework, note=secret))
    assessment = SelfAssessment.objects.get(owner=cast.alice)
    assert not Notification.objects.filter(kind="assessment_shared").exists()
    sharing = reverse("development:assessment_sharing", args=[assessment.pk])

    client.post(sharing, {"visibility": "leader"})
    client.post(sharing, {"visibility": "private"})
    client.post(sharing, {"visibility": "leader"})

    told = Notification.objects.get(kind="assessment_shared")
    assert told.recipient == cast.lena
    assert told.url == reverse("development:assessment", args=[assessment.pk])
    assert "Alice Andersen" in told.text and secret not in told.text
    email = OutgoingEmail.objects.get(kind="assessment_shared")
    assert email.recipient == cast.lena
    assert "Alice Andersen" in email.subject and secret not in email.subject + email.body

    # Shared with bob by name, he is told too; lena is not told again.
    client.post(sharing, {"visibility": "shared", "shared_with": [cast.bob.pk]})
    assert sorted(
        Notification.objects.filter(kind="assessment_shared").values_list(
            "recipient__username", flat=True
        )
    ) == ["bob", "lena"]


def test_the_chart_has_a_point_per_level_a_gap_where_there_is_none_and_few_dates() -> None:
    from django.utils import translation

    from development.selectors import AreaHistory
    from development.templatetags.development_charts import level_chart

    dates = [NOW - timedelta(days=30 * n) for n in (6, 5, 4, 3, 2, 1)]
    area = AreaHistory(
        key="k",
        name="Faglighed",
        in_framework=True,
        levels=[1, 2, None, 3, 3, 4],
        wants_to_develop=False,
    )
    with translation.override("da"):
        svg = str(level_chart(area, dates))

    assert svg.count("<circle") == 5
    # The line breaks where an assessment did not have the area.
    assert svg.count("<polyline") == 2
    # Six dates, four written under the line: the first, the last and two between.
    assert svg.count('class="chart-label" text-anchor="start"') == 1
    assert svg.count('class="chart-label" text-anchor="end">') == 5  # four levels, last date
    assert "4. juni 2026" in svg and "1. nov. 2026" in svg
    assert 'aria-label="Linjediagram over dit niveau i Faglighed' in svg
