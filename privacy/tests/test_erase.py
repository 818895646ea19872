"""Deleting one's own content by kind, from the page about one's data: asked first, done on
POST, only the person's own rows, with what belongs to them alone."""

from __future__ import annotations

import pytest
from django.core import checks
from django.urls import reverse

from checkins.models import CheckIn, Reflection, Reply, Thread
from core import personal_data
from core.personal_data import Kind, check_personal_data, delete_rows
from feedback.models import Feedback
from privacy.services import kind_erase
from recognition.models import Recognition

ERASE = reverse("privacy:erase")


def test_a_person_deletes_all_her_reflections_and_nothing_of_anyone_elses(cast, client_for):
    Reflection.objects.create(owner=cast.alice, text="Første")
    Reflection.objects.create(owner=cast.alice, text="Anden")
    bobs = Reflection.objects.create(owner=cast.bob, text="Bobs")
    client = client_for(cast.alice)

    # Asked first: the page says how many, and nothing is deleted by looking.
    page = client.get(ERASE, {"kind": "reflections"})
    assert page.status_code == 200
    assert "2 slettes for altid" in page.content.decode()
    assert Reflection.objects.filter(owner=cast.alice).count() == 2

    response = client.post(ERASE, {"kind": "reflections"}, follow=True)

    assert "2 slettet: Refleksioner." in response.content.decode()
    assert list(Reflection.objects.all()) == [bobs]


def test_check_ins_are_not_deleted_in_bulk_by_their_owner(cast, client_for):
    """The replies on a check-in are its readers' words: only a deletion deadline the
    organisation has set deletes them with it."""
    mine = CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=3)
    Reply.objects.create(
        thread=Thread.objects.create(checkin=mine, reader=cast.lena), owner=cast.lena, text="Ja"
    )
    client = client_for(cast.alice)

    assert client.post(ERASE, {"kind": "checkins"}).status_code == 404
    assert Reply.objects.filter(owner=cast.lena).exists()


def test_feedback_received_is_the_receivers_to_delete(cast):
    Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well="Godt")
    Feedback.objects.create(owner=cast.bob, giver=cast.alice, works_well="Også godt")

    assert kind_erase(person=cast.alice, key="feedback_received") == 1
    # What she gave belongs to bob, who received it.
    assert list(Feedback.objects.values_list("owner", flat=True)) == [cast.bob.pk]


@pytest.mark.parametrize("key", ["feedback_given", "memberships", "conversations", "nonsense"])
def test_a_kind_that_is_not_the_persons_alone_cannot_be_deleted(key, cast, client_for):
    Feedback.objects.create(owner=cast.bob, giver=cast.alice, works_well="Godt")
    client = client_for(cast.alice)

    assert client.get(ERASE, {"kind": key}).status_code == 404
    assert client.post(ERASE, {"kind": key}).status_code == 404
    with pytest.raises(LookupError):
        kind_erase(person=cast.alice, key=key)
    assert Feedback.objects.count() == 1


def test_the_page_offers_deletion_only_of_what_is_the_persons_to_delete(cast, client_for):
    Reflection.objects.create(owner=cast.alice, text="Tanke")
    thanks = Recognition.objects.create(author=cast.alice, text="Tak")
    thanks.recipients.add(cast.bob)

    page = client_for(cast.alice).get(reverse("privacy:my_data")).content.decode()

    assert f"{ERASE}?kind=reflections" in page
    assert f"{ERASE}?kind=recognition_given" not in page


def test_only_a_kind_found_by_a_column_of_its_own_may_be_deleted_by_the_person(monkeypatch):
    registry = personal_data._Registry(
        list(personal_data._registry.areas),
        dict(personal_data._registry.not_personal),
        list(personal_data._registry.rules),
    )
    monkeypatch.setattr(personal_data, "_registry", registry)
    personal_data.register(
        "Prøve",
        Kind("given", "Givet", Recognition, "recipients", erase=delete_rows),
        Kind("around", "Omkring", Reply, "thread__reader", erase=delete_rows),
    )

    errors = [error for error in check_personal_data() if error.id == "sparring.E004"]
    assert [error.obj for error in errors] == [Recognition, Reply]
    assert all(isinstance(error, checks.Error) for error in errors)
