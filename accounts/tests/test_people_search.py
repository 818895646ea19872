"""The people picker's directory: everyone active in the organisation, found by the start of
any word of their name, whatever the case or the Danish letters, and nothing they wrote."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import SEARCH_LIMIT, people_for_picker, search_words
from organisation.models import Membership

pytestmark = pytest.mark.django_db

SEARCH = reverse("accounts:people_search")


def person(username: str, first: str, last: str, **extra: object) -> User:
    return User.objects.create(username=username, first_name=first, last_name=last, **extra)


def names(found) -> list[str]:
    return [p.name for p in found]


def test_words_are_folded_like_the_stored_name():
    assert search_words("  SØREN  Ærø-Åberg ") == ["soren", "aero", "aberg"]


@pytest.mark.parametrize("typed", ["søren", "SØREN", "soren", "Sø", "ærø", "aero", "øst"])
def test_danish_letters_and_case_do_not_matter(cast, typed):
    person("soeren", "Søren", "Ærø Østergaard")
    assert names(people_for_picker(user=cast.alice, query=typed)) == ["Søren Ærø Østergaard"]


def test_every_word_typed_must_begin_a_word_of_the_name(cast):
    person("hh", "Hans-Henrik", "Holm")
    assert names(people_for_picker(user=cast.alice, query="henrik ho")) == ["Hans-Henrik Holm"]
    assert people_for_picker(user=cast.alice, query="enrik") == []
    assert people_for_picker(user=cast.alice, query="henrik x") == []


def test_someone_in_another_unit_is_found_with_job_title_and_unit(cast):
    (eve,) = people_for_picker(user=cast.alice, query="eve")
    assert (eve.pk, eve.name, eve.job_title, eve.unit) == (
        cast.eve.pk,
        "Eve Eriksen",
        "Controller",
        "Økonomi",
    )


def test_people_who_left_and_the_searcher_are_never_found(cast):
    cast.eve.is_active = False
    cast.eve.save()
    assert people_for_picker(user=cast.alice, query="eve") == []
    assert people_for_picker(user=cast.alice, query="alice") == []
    assert people_for_picker(user=cast.alice, query="") == []


def test_colleagues_come_first_then_names_in_order_and_at_most_ten(cast):
    for number in range(SEARCH_LIMIT + 5):
        person(f"b{number}", "Bo", f"Aagaard {number:02}")
    found = people_for_picker(user=cast.alice, query="b")
    assert len(found) == SEARCH_LIMIT
    assert found[0].name == "Bob Bertelsen"  # alice's colleague, before every Bo
    assert names(found[1:3]) == ["Bo Aagaard 00", "Bo Aagaard 01"]


def test_a_person_is_shown_in_their_home_unit_and_archived_units_are_left_out(cast, clock):
    Membership.objects.create(user=cast.eve, unit=cast.organisation, role="leader")
    (eve,) = people_for_picker(user=cast.alice, query="eve")
    assert eve.unit == "Økonomi"  # member before leader
    cast.other_team.archived_at = timezone.now()
    cast.other_team.save()
    (eve,) = people_for_picker(user=cast.alice, query="eve")
    assert eve.unit == "Kommunen"


def test_the_search_is_one_query_however_many_match(cast, django_assert_num_queries):
    for number in range(30):
        person(f"m{number}", "Mette", f"Madsen {number}", job_title="Pædagog")
    with django_assert_num_queries(1):
        assert len(people_for_picker(user=cast.alice, query="mette")) == SEARCH_LIMIT


def test_the_endpoint_returns_a_listbox_of_the_people_found(cast, client_for):
    response = client_for(cast.alice).get(SEARCH, {"q": "Eve", "listbox": "id_people-listbox"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert 'role="listbox"' in html
    assert f'id="id_people-listbox-{cast.eve.pk}"' in html
    assert "Eve Eriksen" in html and "Controller" in html and "Økonomi" in html
    assert "1 person found" in html or "1 person fundet" in html


def test_the_endpoint_says_when_nobody_is_found_and_is_quiet_before_anything_is_typed(
    cast, client_for
):
    client = client_for(cast.alice)
    html = client.get(SEARCH, {"q": "zzz", "listbox": "x"}).content.decode()
    assert 'role="option"' not in html and "data-picker-count" in html
    html = client.get(SEARCH, {"q": " ", "listbox": "x"}).content.decode()
    assert 'role="option"' not in html and "data-picker-count" not in html


def test_the_endpoint_only_echoes_a_plain_listbox_id(cast, client_for):
    html = client_for(cast.alice).get(SEARCH, {"q": "eve", "listbox": '"><b>x'}).content.decode()
    assert "<b>" not in html and 'id="people-listbox"' in html


def test_the_endpoint_is_for_logged_in_people_only(cast, client):
    response = client.get(SEARCH, {"q": "eve"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_endpoint_query_count_is_pinned(cast, client_for, django_assert_num_queries):
    client = client_for(cast.alice)
    client.get(SEARCH, {"q": "eve"})  # the session and the person, loaded once
    for number in range(30):
        person(f"e{number}", "Eva", f"Eg {number}")
    # The session, the person, the search.
    with django_assert_num_queries(2):
        client.get(SEARCH, {"q": "ev"})
