from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification
from teamwork.models import HelpOffer, HelpRequest
from teamwork.tests.helpers import speaking, too_long


def ask(client, unit, text="Kan nogen læse min PR?", scope="team"):
    return client.post(
        reverse("teamwork:help_new", kwargs={"unit_id": unit.pk}), {"text": text, "scope": scope}
    )


def told(kind):
    return sorted(
        n.recipient.username
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    )


def test_alice_asks_bob_offers_alice_accepts_and_resolves(cast, client_for):
    alice, bob = client_for(cast.alice), client_for(cast.bob)
    response = ask(alice, cast.team)
    request = HelpRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert (request.asker, request.unit, request.is_open) == (cast.alice, cast.team, True)
    assert told("help_request") == ["bob", "lena"]

    # Colleagues see it on Min side and on the team page.
    for person in (cast.bob, cast.lena):
        client = client_for(person)
        assert request.get_absolute_url() in client.get("/").content.decode()
        assert (
            request.get_absolute_url() in client.get(cast.team.get_absolute_url()).content.decode()
        )
    # The asker sees it as her own on Min side.
    assert request.get_absolute_url() in alice.get("/").content.decode()

    offer_url = reverse("teamwork:help_offer", kwargs={"help_request_id": request.pk})
    bob.post(offer_url, {"message": "Jeg kigger på den i eftermiddag."})
    offer = HelpOffer.objects.get()
    assert (offer.helper, offer.accepted) == (cast.bob, False)
    assert told("help_offer") == ["alice"]
    # Once is enough; the asker does not offer to help herself.
    bob.post(offer_url, {"message": "Igen"})
    alice.post(offer_url, {"message": "Mig selv"})
    assert HelpOffer.objects.count() == 1

    accept_url = reverse("teamwork:help_accept", kwargs={"help_request_id": request.pk})
    assert bob.post(accept_url, {"offer": offer.pk}).status_code == 404
    alice.post(accept_url, {"offer": offer.pk})
    offer.refresh_from_db()
    assert offer.accepted
    assert told("help_offer") == ["alice", "bob"]

    resolve_url = reverse("teamwork:help_resolve", kwargs={"help_request_id": request.pk})
    assert bob.post(resolve_url).status_code == 404
    alice.post(resolve_url)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.RESOLVED and request.resolved_at is not None
    # Resolved: no longer open on Min side, and no more offers.
    assert request.get_absolute_url() not in client_for(cast.lena).get("/").content.decode()
    client_for(cast.lena).post(offer_url, {"message": "For sent"})
    assert HelpOffer.objects.count() == 1


@pytest.mark.parametrize(
    ("scope", "who_sees"),
    [
        ("team", {"alice", "bob", "lena"}),
        ("organisation", {"alice", "bob", "lena", "ada", "eve"}),
    ],
)
def test_who_sees_a_help_request(cast, scope, who_sees, client_for):
    request = HelpRequest.objects.create(asker=cast.alice, unit=cast.team, scope=scope, text="x")
    for person in (cast.alice, cast.bob, cast.lena, cast.ada, cast.eve):
        visible = HelpRequest.objects.visible_to(person).filter(pk=request.pk).exists()
        assert visible == (person.username in who_sees), person
        status = client_for(person).get(request.get_absolute_url()).status_code
        assert status == (200 if visible else 404), person


def test_only_people_of_the_team_ask_it_for_help(cast, client_for):
    url = reverse("teamwork:help_new", kwargs={"unit_id": cast.team.pk})
    for person in (cast.eve, cast.ada):
        assert client_for(person).get(url).status_code == 404
        assert ask(client_for(person), cast.team).status_code == 404
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("language", ["da", "en"])
def test_an_empty_or_overlong_request_gets_a_clear_message(cast, client_for, language):
    from django import forms

    from teamwork.tests.helpers import in_language

    client = speaking(client_for(cast.alice), language)
    html = ask(client, cast.team, text="x" * 1001).content.decode()
    assert too_long(1000, language) in html
    html = ask(client, cast.team, text="").content.decode()
    assert in_language(forms.Field.default_error_messages["required"], language) in html
    assert not HelpRequest.objects.exists() and not Notification.objects.exists()


def test_accepting_an_offer_of_another_request_is_404(cast, client_for):
    mine = HelpRequest.objects.create(asker=cast.alice, unit=cast.team, text="a")
    other = HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="b")
    offer = HelpOffer.objects.create(request=other, helper=cast.lena)
    url = reverse("teamwork:help_accept", kwargs={"help_request_id": mine.pk})
    for value in (offer.pk, "", "x"):
        assert client_for(cast.alice).post(url, {"offer": value}).status_code == 404
    offer.refresh_from_db()
    assert not offer.accepted
