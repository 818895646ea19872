from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.services import person_deactivate
from conftest import FROZEN_AT
from core.access import Visibility
from profiles.models import ProfileNote


def strip_next(response):
    # The page's own address (in the language links) and CSRF tokens differ by design.
    return re.sub(r'next=[^"]*|value="[^"]*"', "", response.content.decode())


def note(owner, visibility, shared_with=()):
    n = ProfileNote.objects.create(owner=owner, title="t", body="b", visibility=visibility)
    n.shared_with.set(shared_with)
    return n


@pytest.mark.parametrize(
    ("visibility", "who_sees"),
    [
        (Visibility.PRIVATE, {"alice"}),
        (Visibility.SHARED, {"alice", "lena"}),
        (Visibility.TEAM, {"alice", "bob", "lena"}),
        (Visibility.ORGANISATION, {"alice", "bob", "lena", "ada", "eve"}),
    ],
)
def test_visible_to_follows_visibility(cast, visibility, who_sees):
    n = note(cast.alice, visibility, shared_with=[cast.lena])
    for person in (cast.alice, cast.bob, cast.lena, cast.ada, cast.eve):
        visible = ProfileNote.objects.visible_to(person).filter(pk=n.pk).exists()
        assert visible == (person.username in who_sees), person.username


def test_private_note_is_404_for_everyone_else_and_the_same_as_missing(cast, client_for):
    n = note(cast.alice, Visibility.PRIVATE)
    for person in (cast.bob, cast.lena, cast.ada, cast.eve):
        client = client_for(person)
        forbidden = client.get(reverse("profiles:detail", kwargs={"note_id": n.pk}))
        missing = client.get(reverse("profiles:detail", kwargs={"note_id": n.pk + 1000}))
        assert forbidden.status_code == missing.status_code == 404
        # Identical but for the page's own address (in the language links).
        assert strip_next(forbidden) == strip_next(missing)
    assert client_for(cast.alice).get(n.get_absolute_url()).status_code == 200


def test_leader_sees_only_what_was_shared_with_them(cast, client_for):
    shared = note(cast.alice, Visibility.SHARED, shared_with=[cast.lena])
    private = note(cast.alice, Visibility.PRIVATE)
    response = client_for(cast.lena).get(reverse("profiles:list"))
    assert shared.get_absolute_url() in response.content.decode()
    assert private.get_absolute_url() not in response.content.decode()


def test_only_the_owner_may_edit(cast, client_for):
    n = note(cast.alice, Visibility.TEAM)
    url = reverse("profiles:edit", kwargs={"note_id": n.pk})
    assert client_for(cast.bob).get(url).status_code == 404
    response = client_for(cast.bob).post(url, {"title": "x", "body": "y", "visibility": "team"})
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.title == "t"


def test_a_note_is_shared_only_with_the_people_named(cast, client_for):
    client = client_for(cast.alice)
    url = reverse("profiles:new")
    data = {"title": "t", "body": "b", "visibility": "shared"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Vælg mindst én person" in response.content.decode()
    # Nobody who left, not oneself, and no id that names nobody, not even by a crafted POST;
    # the service's message names nobody.
    person_deactivate(actor=None, person=cast.bob, now=FROZEN_AT)
    for people, message in (
        ([cast.bob.pk], "er fratrådt"),
        ([cast.alice.pk], "Du kan ikke dele med dig selv."),
        ([987654], "kunne ikke findes"),
    ):
        response = client.post(url, {**data, "shared_with": people})
        html = response.content.decode()
        assert response.status_code == 200 and message in html, people
        assert "Bob Bertelsen" not in html.split("<main", 1)[1]
    assert not ProfileNote.objects.exists()
    # Anyone active in the organisation can be named, in another unit too.
    assert 'role="combobox"' in client.get(url).content.decode()
    response = client.post(url, {**data, "shared_with": [cast.lena.pk, cast.eve.pk]})
    assert response.status_code == 302
    assert set(ProfileNote.objects.get().shared_with.all()) == {cast.lena, cast.eve}
