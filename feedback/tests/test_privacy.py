"""Feedback belongs to its receiver: only receiver and giver see it. alice's leader, her
colleague and the administrator never reach it, by any page, list, search, notification,
e-mail or export, until alice shares it onward; then exactly the shared item is seen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from conftest import FROZEN_AT
from core.access import Visibility
from feedback.models import Feedback
from feedback.services import feedback_give
from notifications.models import Notification, OutgoingEmail
from organisation.models import Membership
from tests.test_access_sweep import API, PUBLIC, ROUTES, api_post, api_token, url_for

PRIVATE_TEXT = "Privat-feedback-9c2e"
SHARED_TEXT = "Delt-feedback-51d0"


@pytest.fixture
def carl(cast):
    carl = User.objects.create_user("carl", "carl@example.org", "x", first_name="Carl")
    Membership.objects.create(user=carl, unit=cast.team)
    return carl


@pytest.fixture
def feedback(cast, carl):
    """Two pieces of feedback from bob to alice, both private to the two of them."""
    private = feedback_give(
        giver=cast.bob, receiver=cast.alice, works_well=PRIVATE_TEXT, even_better=PRIVATE_TEXT
    )
    to_share = feedback_give(
        giver=cast.bob, receiver=cast.alice, works_well=SHARED_TEXT, even_better=""
    )
    return private, to_share


def _pages():
    for name, params in ROUTES:
        if name in PUBLIC or name.startswith("oidc"):
            continue
        yield name, params


def _assert_unreachable(client, viewer, person, private, cast):
    # The API by the viewer's own token, which may read and write everything it has.
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token(person)[1]}"}
    for name, params in _pages():
        header = token if name.startswith(API) else {}
        url = url_for(name, params, cast)
        if "feedback_id" in params:
            url = reverse(name, kwargs={"feedback_id": private.pk})
        response = client.get(url, {"q": PRIVATE_TEXT[-8:], "page": "1"}, **header)
        assert PRIVATE_TEXT not in response.content.decode(), f"{viewer}: {url}"
        if "feedback_id" in params:
            # 405 (a method the view never takes) says nothing; the other method is 404.
            statuses = {response.status_code, api_post(client, name, url, **header).status_code}
            assert 404 in statuses and statuses <= {404, 405}, f"{viewer}: {url}"


@pytest.mark.parametrize("viewer", ["lena", "carl", "ada", "eve"])
def test_no_page_shows_feedback_to_anyone_but_receiver_and_giver(
    viewer, cast, carl, client_for, feedback
):
    private, _to_share = feedback
    person = carl if viewer == "carl" else getattr(cast, viewer)
    _assert_unreachable(client_for(person), viewer, person, private, cast)
    # Nobody else was told anything about it, in the app or by e-mail.
    for model, field in ((Notification, "recipient"), (OutgoingEmail, "recipient")):
        for row in model.objects.exclude(**{f"{field}__in": [cast.alice, cast.bob]}):
            text = " ".join(str(v) for v in vars(row).values())
            assert private.get_absolute_url() not in text and PRIVATE_TEXT not in text
    # Notifications and e-mails to alice name who and what about, never the feedback.
    for model in (Notification, OutgoingEmail):
        for row in model.objects.all():
            assert PRIVATE_TEXT not in " ".join(str(v) for v in vars(row).values())


def test_receiver_and_giver_both_read_it(cast, client_for, feedback):
    private, _ = feedback
    for person in (cast.alice, cast.bob):
        response = client_for(person).get(private.get_absolute_url())
        assert response.status_code == 200
        assert PRIVATE_TEXT in response.content.decode()
    assert (
        private.get_absolute_url()
        in client_for(cast.alice).get(reverse("feedback:received")).content.decode()
    )
    assert (
        private.get_absolute_url()
        in client_for(cast.bob).get(reverse("feedback:given")).content.decode()
    )
    # Only the receiver decides what happens to it.
    bob = client_for(cast.bob)
    for name in ("feedback:thank", "feedback:keep", "feedback:delete", "feedback:share"):
        assert bob.post(reverse(name, args=[private.pk])).status_code == 404, name


def test_shared_with_the_leader_the_leader_sees_exactly_that_item(cast, carl, client_for, feedback):
    private, to_share = feedback
    alice = client_for(cast.alice)
    response = alice.post(reverse("feedback:share", args=[to_share.pk]), {"visibility": "leader"})
    assert response.status_code == 302
    lena = client_for(cast.lena)
    html = lena.get(reverse("feedback:shared")).content.decode()
    assert to_share.get_absolute_url() in html
    assert private.get_absolute_url() not in html
    assert SHARED_TEXT in lena.get(to_share.get_absolute_url()).content.decode()
    assert lena.get(private.get_absolute_url()).status_code == 404
    # She was told, and only she.
    assert Notification.objects.filter(recipient=cast.lena, kind="feedback_shared").count() == 1
    assert not Notification.objects.filter(recipient=carl, kind="feedback_shared").exists()
    # The colleague and the administrator still see neither.
    for person in (carl, cast.ada):
        client = client_for(person)
        assert client.get(to_share.get_absolute_url()).status_code == 404
        assert (
            to_share.get_absolute_url()
            not in client.get(reverse("feedback:shared")).content.decode()
        )
    # The leader cannot change what is not hers.
    assert lena.post(reverse("feedback:share", args=[to_share.pk])).status_code == 404
    # Taking it back takes it away.
    alice.post(reverse("feedback:share", args=[to_share.pk]), {"visibility": "private"})
    assert lena.get(to_share.get_absolute_url()).status_code == 404


def test_shared_with_a_chosen_colleague(cast, carl, client_for, feedback):
    _private, to_share = feedback
    client_for(cast.alice).post(
        reverse("feedback:share", args=[to_share.pk]),
        {"visibility": "shared", "shared_with": [carl.pk]},
    )
    assert client_for(carl).get(to_share.get_absolute_url()).status_code == 200
    assert client_for(cast.lena).get(to_share.get_absolute_url()).status_code == 404


def test_shared_with_someone_in_another_unit_but_never_with_someone_who_left(
    cast, client_for, feedback
):
    from accounts.services import person_deactivate
    from core.access import SharingError
    from feedback.services import feedback_share

    _private, to_share = feedback
    url = reverse("feedback:share", args=[to_share.pk])
    client = client_for(cast.alice)
    client.post(url, {"visibility": "shared", "shared_with": [cast.eve.pk]})
    assert client_for(cast.eve).get(to_share.get_absolute_url()).status_code == 200
    person_deactivate(actor=None, person=cast.lena, now=FROZEN_AT)
    response = client.post(url, {"visibility": "shared", "shared_with": [cast.lena.pk]})
    assert response.status_code == 200 and "fratrådt" in response.content.decode()
    with pytest.raises(SharingError):
        feedback_share(
            feedback=to_share, by=cast.alice, visibility="shared", shared_with=[cast.alice]
        )
    to_share.refresh_from_db()
    assert list(to_share.shared_with.all()) == [cast.eve]


@pytest.mark.parametrize(
    "data",
    [
        {"visibility": "team"},
        {"visibility": "organisation"},
        {"visibility": "shared", "shared_with": []},
    ],
)
def test_feedback_is_never_shared_with_the_team_or_everyone(cast, client_for, feedback, data):
    _private, to_share = feedback
    response = client_for(cast.alice).post(reverse("feedback:share", args=[to_share.pk]), data)
    assert response.status_code == 200
    assert 'class="form-error-message"' in response.content.decode()
    to_share.refresh_from_db()
    assert to_share.visibility == Visibility.PRIVATE
    assert Feedback.objects.visible_to(cast.lena).count() == 0


def test_shared_with_me_is_exactly_what_others_let_one_read(cast, carl, feedback):
    """The shared list reads the sharing in its own, faster way; it must agree with the
    access layer for every person."""
    _private, to_share = feedback
    feedback_give(giver=carl, receiver=cast.bob, works_well="Til Bob", even_better="")
    to_share.visibility = Visibility.LEADER
    to_share.save()
    named = feedback_give(giver=cast.lena, receiver=cast.bob, works_well="Delt", even_better="")
    named.visibility = Visibility.SHARED
    named.save()
    named.shared_with.set([cast.alice, carl])
    for person in (cast.alice, cast.bob, carl, cast.lena, cast.ada, cast.eve):
        expected = set(
            Feedback.objects.visible_to(person).exclude(owner=person).exclude(giver=person)
        )
        assert set(Feedback.objects.shared_with_me(person)) == expected, person
    assert set(Feedback.objects.shared_with_me(cast.lena)) == {to_share}
    assert set(Feedback.objects.shared_with_me(carl)) == {named}
