"""A course's application draft to Den Kommunale Kompetencefond: the fund's share and the
workplace's come from the terms in settings; the draft warns when the course starts too soon
or too far ahead for the fund; bad input is refused in Danish and English and changes nothing;
and only the plan's owner and those the plan is shared with read the draft, only the owner
changes it."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from conftest import FROZEN_AT, Cast
from core.access import Visibility
from development.fund import (
    FundTerms,
    estimate,
    first_day_to_apply,
    months_later,
    terms_from_settings,
    timing_warnings,
)
from development.fund_services import Draft, FundError, fund_application_save
from development.models import Activity, ActivityKind, DevelopmentPlan, FundApplication

# Views read the frozen clock (conftest.py): Tuesday 1 December 2026, 10:00 in Copenhagen.
pytestmark = pytest.mark.usefixtures("clock")

TODAY = FROZEN_AT.date()
TERMS = FundTerms(
    share_percent=80,
    max_amount=30000,
    covers=frozenset({"course_fee", "transport", "materials"}),
    warn_days_before=14,
    months_ahead=9,
)


def course_of(
    owner: User,
    *,
    kind: str = ActivityKind.COURSE,
    visibility: str = Visibility.PRIVATE,
    starts_in_days: int = 30,
    cost: int | None = 12500,
) -> Activity:
    plan = DevelopmentPlan.objects.create(
        owner=owner, title="Min udviklingsplan", visibility=visibility
    )
    starts_on = TODAY + timedelta(days=starts_in_days)
    return Activity.objects.create(
        plan=plan,
        kind=kind,
        title="Interviewteknik",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=2),
        cost=cost,
    )


def url_of(activity: Activity) -> str:
    return reverse("development:fund_application", args=[activity.pk])


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Interviewteknik i praksis",
        "education_kind": "akademi",
        "provider": "Erhvervsakademi Aarhus",
        "provider_url": "https://example.org/interviewteknik",
        "starts_on": (TODAY + timedelta(days=30)).isoformat(),
        "ends_on": (TODAY + timedelta(days=32)).isoformat(),
        "course_fee": "12500",
        "transport": "600",
        "materials": "400",
        "agreement_area": "hk",
        "position": "Produktkonsulent",
        "workplace": "Sekretariatet, Kommunen",
        "workplace_number": "5798000000000",
        "notes": "Modul 1 af 3.",
    }
    return {**data, **changes}


def draft_of(**changes: Any) -> Draft:
    values: dict[str, Any] = {
        "title": "Interviewteknik",
        "education_kind": "kursus",
        "provider": "",
        "provider_url": "",
        "starts_on": TODAY + timedelta(days=30),
        "ends_on": TODAY + timedelta(days=32),
        "course_fee": 12500,
        "transport": 0,
        "materials": 0,
        "agreement_area": "",
        "position": "",
        "workplace": "",
        "workplace_number": "",
        "notes": "",
    }
    return Draft(**{**values, **changes})


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


# --- The estimate, from settings ------------------------------------------------------------


def test_the_fund_pays_its_share_of_the_covered_costs_and_the_workplace_the_rest() -> None:
    shared = estimate(costs={"course_fee": 12500, "transport": 600, "materials": 400}, terms=TERMS)
    assert (shared.total, shared.covered, shared.fund_share, shared.workplace_share) == (
        13500,
        13500,
        10800,
        2700,
    )
    assert not shared.capped
    # Never more than its share, in whole kroner: 80 % of 1.001 kr. is 800,80 kr.
    assert estimate(costs={"course_fee": 1001}, terms=TERMS).fund_share == 800
    assert estimate(costs={"course_fee": 1001}, terms=TERMS).workplace_share == 201


def test_the_fund_pays_no_more_than_its_most() -> None:
    shared = estimate(costs={"course_fee": 45000, "transport": 1000}, terms=TERMS)
    assert (shared.fund_share, shared.workplace_share, shared.capped) == (30000, 16000, True)
    exactly = estimate(costs={"course_fee": 37500}, terms=TERMS)
    assert (exactly.fund_share, exactly.capped) == (30000, False)


@override_settings(
    SPARRING_FUND_SHARE_PERCENT=50,
    SPARRING_FUND_MAX_AMOUNT=5000,
    SPARRING_FUND_COVERS=["course_fee"],
)
def test_the_terms_are_settings_not_code() -> None:
    terms = terms_from_settings()
    assert (terms.share_percent, terms.max_amount) == (50, 5000)
    assert terms.covers == frozenset({"course_fee"})
    # Transport and materials are the workplace's alone; half the fee, at most 5.000 kr.
    shared = estimate(costs={"course_fee": 8000, "transport": 600, "materials": 400}, terms=terms)
    assert (shared.fund_share, shared.workplace_share) == (4000, 5000)
    shared = estimate(costs={"course_fee": 12000}, terms=terms)
    assert (shared.fund_share, shared.workplace_share, shared.capped) == (5000, 7000, True)


def test_the_default_terms_are_the_funds_80_per_cent_up_to_30000_kroner() -> None:
    terms = terms_from_settings()
    assert terms == TERMS


@override_settings(SPARRING_FUND_SHARE_PERCENT=50)
def test_the_page_shows_the_shares_from_settings_in_danish_kroner(
    cast: Cast, client_for: Any
) -> None:
    course = course_of(cast.alice)
    response = client_for(cast.alice).get(url_of(course))
    text = text_of(response)
    assert response.status_code == 200
    # The estimated cost of the course in the plan is the first course fee: half of it each.
    assert "12.500 kr." in text
    assert text.count("6.250 kr.") == 2
    assert "fonden betaler 50 % af kursusgebyret, transport og materialer" in text
    assert "højst 30.000 kr. til én person inden for 12 måneder" in text
    assert "Tjek tallene med fonden, før du søger" in text


# --- When the course starts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "warned"),
    [(13, True), (14, False), (1, True), (60, False)],
)
def test_the_draft_warns_when_the_start_is_less_than_14_days_away(days: int, warned: bool) -> None:
    with translation.override("en"):
        warnings = timing_warnings(starts_on=TODAY + timedelta(days=days), today=TODAY, terms=TERMS)
    assert bool(warnings) is warned
    if warned:
        assert f"starts in {days} day" in warnings[0]
        assert "before the start" in warnings[0]


def test_the_draft_warns_when_the_start_is_more_than_9_months_away() -> None:
    nine_months = months_later(TODAY, 9)
    assert nine_months == date(2027, 9, 1)
    assert timing_warnings(starts_on=nine_months, today=TODAY, terms=TERMS) == []
    with translation.override("da"):
        (warning,) = timing_warnings(
            starts_on=nine_months + timedelta(days=1), today=TODAY, terms=TERMS
        )
    assert "mere end 9 måneder" in warning
    # From the day the fund takes it: 2 December 2026, tomorrow.
    assert "fra 2. december 2026" in warning


def test_a_course_that_has_started_or_has_no_start_is_warned_about() -> None:
    with translation.override("en"):
        (today,) = timing_warnings(starts_on=TODAY, today=TODAY, terms=TERMS)
        (past,) = timing_warnings(starts_on=TODAY - timedelta(days=3), today=TODAY, terms=TERMS)
        (none,) = timing_warnings(starts_on=None, today=TODAY, terms=TERMS)
    assert "by the day before" in today and "by the day before" in past
    assert "no start date" in none


@override_settings(SPARRING_FUND_WARN_DAYS_BEFORE=30, SPARRING_FUND_MONTHS_AHEAD=6)
def test_the_warnings_follow_the_settings_too() -> None:
    terms = terms_from_settings()
    assert timing_warnings(starts_on=TODAY + timedelta(days=29), today=TODAY, terms=terms)
    assert not timing_warnings(starts_on=TODAY + timedelta(days=30), today=TODAY, terms=terms)
    assert not timing_warnings(starts_on=months_later(TODAY, 6), today=TODAY, terms=terms)
    assert timing_warnings(
        starts_on=months_later(TODAY, 6) + timedelta(days=1), today=TODAY, terms=terms
    )


def test_months_later_keeps_to_the_end_of_a_shorter_month() -> None:
    assert months_later(date(2026, 5, 31), 9) == date(2027, 2, 28)
    assert months_later(date(2027, 5, 31), 9) == date(2028, 2, 29)
    assert months_later(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert months_later(date(2026, 12, 1), -12) == date(2025, 12, 1)


def test_the_first_day_to_apply_is_the_first_day_without_the_far_ahead_warning() -> None:
    """For every start over two years (month ends included): on the first day to apply the
    draft does not say "too far ahead", and on the day before it does."""
    start = date(2027, 1, 1)
    for offset in range(730):
        starts_on = start + timedelta(days=offset)
        first = first_day_to_apply(starts_on, TERMS)
        assert starts_on <= months_later(first, 9)
        assert starts_on > months_later(first - timedelta(days=1), 9)


def test_the_page_shows_the_warning_for_a_course_in_ten_days(cast: Cast, client_for: Any) -> None:
    course = course_of(cast.alice, starts_in_days=10)
    text = text_of(client_for(cast.alice).get(url_of(course)))
    assert "Uddannelsen starter om 10 dage. Søg med det samme" in text


# --- Saving, and bad input ------------------------------------------------------------------


def test_the_owner_saves_the_draft_and_reads_it_back(cast: Cast, client_for: Any) -> None:
    course = course_of(cast.alice)
    client = client_for(cast.alice)
    response = client.post(url_of(course), form_data())
    assert response.status_code == 302
    assert response["Location"] == url_of(course)
    saved = FundApplication.objects.get(activity=course)
    assert (saved.title, saved.education_kind, saved.provider) == (
        "Interviewteknik i praksis",
        "akademi",
        "Erhvervsakademi Aarhus",
    )
    assert (saved.course_fee, saved.transport, saved.materials) == (12500, 600, 400)
    assert saved.agreement_area == "hk"
    assert saved.created_at == saved.updated_at == FROZEN_AT
    text = text_of(client.get(url_of(course)))
    for shown in ("Erhvervsakademi Aarhus", "Akademiuddannelse", "HK Kommunal", "13.500 kr."):
        assert shown in text
    # 80 % of 13.500 kr., and the rest.
    assert "10.800 kr." in text and "2.700 kr." in text
    assert "Gemt 1. dec. 2026 kl. 10.00." in text


def test_the_first_draft_is_suggested_from_the_course_and_the_applicant(
    cast: Cast, client_for: Any
) -> None:
    course = course_of(cast.alice)
    response = client_for(cast.alice).get(url_of(course))
    form = response.context["form"]
    assert form.initial["title"] == "Interviewteknik"
    assert form.initial["starts_on"] == course.starts_on
    assert form.initial["course_fee"] == 12500
    assert form.initial["position"] == "Produktkonsulent"
    assert form.initial["workplace"] == "Sekretariatet, Kommunen"
    assert not FundApplication.objects.exists()


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    ("changes", "danish", "english"),
    [
        (
            {"course_fee": "-100"},
            "Et beløb kan ikke være negativt: skriv det i hele kroner, 0 eller mere.",
            "An amount cannot be negative: write it in whole kroner, 0 or more.",
        ),
        (
            {"transport": "-1"},
            "Et beløb kan ikke være negativt: skriv det i hele kroner, 0 eller mere.",
            "An amount cannot be negative: write it in whole kroner, 0 or more.",
        ),
        (
            {"ends_on": (TODAY + timedelta(days=29)).isoformat()},
            "Uddannelsen kan ikke slutte, før den starter.",
            "The education cannot end before it starts.",
        ),
        (
            {"education_kind": "phd"},
            "Marker en gyldig valgmulighed. phd er ikke en af de tilgængelige valgmuligheder.",
            "Select a valid choice. phd is not one of the available choices.",
        ),
        (
            {"course_fee": "ca. 12000"},
            "Indtast et heltal.",
            "Enter a whole number.",
        ),
    ],
    ids=["negative-fee", "negative-transport", "end-before-start", "unknown-kind", "not-whole"],
)
def test_bad_input_says_why_in_the_persons_language_and_changes_nothing(
    cast: Cast, client_for: Any, language: str, changes: dict[str, str], danish: str, english: str
) -> None:
    cast.alice.language = language
    cast.alice.save(update_fields=["language"])
    course = course_of(cast.alice)
    client = client_for(cast.alice)
    assert client.post(url_of(course), form_data(course_fee="2000")).status_code == 302
    before = list(FundApplication.objects.values())

    response = client.post(url_of(course), form_data(**changes))

    assert response.status_code == 200
    text = text_of(response)
    assert (danish if language == "da" else english) in text
    assert 'data-module="error-summary"' in text
    assert list(FundApplication.objects.values()) == before


def test_the_service_refuses_a_negative_amount_and_an_end_before_the_start(cast: Cast) -> None:
    course = course_of(cast.alice)
    with translation.override("en"):
        with pytest.raises(FundError, match="cannot be negative") as negative:
            fund_application_save(
                activity=course, by=cast.alice, draft=draft_of(materials=-5), now=FROZEN_AT
            )
        with pytest.raises(FundError, match="cannot end before it starts") as backwards:
            fund_application_save(
                activity=course,
                by=cast.alice,
                draft=draft_of(ends_on=TODAY + timedelta(days=1)),
                now=FROZEN_AT,
            )
    assert (negative.value.field, backwards.value.field) == ("materials", "ends_on")
    assert not FundApplication.objects.exists()


def test_only_the_owner_changes_the_draft_and_only_of_a_course(cast: Cast) -> None:
    course = course_of(cast.alice, visibility=Visibility.LEADER)
    sparring = course_of(cast.alice, kind=ActivityKind.SPARRING)
    with translation.override("en"):
        with pytest.raises(FundError, match="Only the owner of the plan"):
            fund_application_save(activity=course, by=cast.lena, draft=draft_of(), now=FROZEN_AT)
        with pytest.raises(FundError, match="Only a course"):
            fund_application_save(activity=sparring, by=cast.alice, draft=draft_of(), now=FROZEN_AT)
    assert not FundApplication.objects.exists()


# --- Who reads it ---------------------------------------------------------------------------


def test_an_activity_that_is_not_a_course_has_no_draft(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.alice)
    for kind in (ActivityKind.CONFERENCE, ActivityKind.SPARRING, ActivityKind.MENTOR):
        activity = course_of(cast.alice, kind=kind)
        assert client.get(url_of(activity)).status_code == 404
        assert client.post(url_of(activity), form_data()).status_code == 404
    assert not FundApplication.objects.exists()


def test_a_missing_course_is_404(cast: Cast, client_for: Any) -> None:
    course = course_of(cast.alice)
    response = client_for(cast.alice).get(
        reverse("development:fund_application", args=[course.pk + 100])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("viewer", ["bob", "lena", "ada", "eve"])
def test_a_private_plans_draft_is_404_for_everyone_but_its_owner(
    cast: Cast, client_for: Any, viewer: str
) -> None:
    course = course_of(cast.alice)
    fund_application_save(activity=course, by=cast.alice, draft=draft_of(), now=FROZEN_AT)
    client = client_for(getattr(cast, viewer))
    assert client.get(url_of(course)).status_code == 404
    assert client.post(url_of(course), form_data(provider="Forsøg")).status_code == 404
    assert FundApplication.objects.get().provider == ""


def test_the_leader_reads_the_draft_only_once_the_plan_is_shared_with_leaders(
    cast: Cast, client_for: Any
) -> None:
    course = course_of(cast.alice)
    fund_application_save(
        activity=course, by=cast.alice, draft=draft_of(provider="Komponent"), now=FROZEN_AT
    )
    lena = client_for(cast.lena)
    assert lena.get(url_of(course)).status_code == 404

    DevelopmentPlan.objects.filter(pk=course.plan_id).update(visibility=Visibility.LEADER)
    response = lena.get(url_of(course))
    assert response.status_code == 200
    text = text_of(response)
    assert "Komponent" in text
    assert "Kun Alice Andersen kan ændre kladden." in text
    assert response.context["form"] is None
    # Reading is not changing: her post is the same 404 as a stranger's.
    assert lena.post(url_of(course), form_data(provider="Lenas udbyder")).status_code == 404
    assert FundApplication.objects.get().provider == "Komponent"
    # A colleague of the team still reads nothing.
    assert client_for(cast.bob).get(url_of(course)).status_code == 404


def test_a_person_the_plan_is_shared_with_reads_the_draft(cast: Cast, client_for: Any) -> None:
    course = course_of(cast.alice, visibility=Visibility.SHARED)
    course.plan.shared_with.add(cast.bob)
    assert client_for(cast.bob).get(url_of(course)).status_code == 200
    assert client_for(cast.eve).get(url_of(course)).status_code == 404


# --- Printing -------------------------------------------------------------------------------


def test_the_print_version_has_the_draft_and_three_signature_lines_but_no_form(
    cast: Cast, client_for: Any
) -> None:
    course = course_of(cast.alice)
    response = client_for(cast.alice).get(url_of(course) + "?print=1")
    text = text_of(response)
    assert response.context["form"] is None
    assert '<form method="post" novalidate' not in text
    assert "data-print" in text
    assert text.count('class="fund-signature"') == 3
    for role in ("Medarbejder (ansøger)", "Leder", "Tillidsrepræsentant"):
        assert role in text
    # The names Sparring knows, on their lines: the applicant and her one leader.
    assert '<div class="fund-signature-line">Alice Andersen</div>' in text
    assert '<div class="fund-signature-line">Lena Lund</div>' in text


def test_the_page_reads_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    course = course_of(cast.alice)
    client = client_for(cast.alice)
    client.get(url_of(course))
    fund_application_save(activity=course, by=cast.alice, draft=draft_of(), now=FROZEN_AT)
    # The session with its person and unread notifications, the course with its plan and owner,
    # the draft and the leaders; the workplace is read only for a first draft.
    with django_assert_num_queries(4):
        assert client.get(url_of(course)).status_code == 200


def test_in_english_the_amounts_read_as_kroner_too(cast: Cast, client_for: Any) -> None:
    cast.alice.language = "en"
    cast.alice.save(update_fields=["language"])
    course = course_of(cast.alice)
    text = text_of(client_for(cast.alice).get(url_of(course)))
    assert "Application to Den Kommunale Kompetencefond" in text
    assert "DKK 12,500" in text and "DKK 10,000" in text and "DKK 2,500" in text
    assert "the fund pays 80 % of the course fee, transport and materials" in text
