"""A private check-in is alice's alone: her leader, her colleague and the administrator never
reach it, by any page of the product, any list, the team page, Min side, a search or a
notification. What she shares with her leader, her leader sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from checkins.models import CheckIn, current_week
from core.access import Visibility
from notifications.models import Notification, OutgoingEmail
from tests.test_access_sweep import API, PUBLIC, ROUTES, api_token, url_for

PRIVATE_TEXT = "Privat-markør-7f3a"
SHARED_TEXT = "Delt-med-lena-42b1"


@pytest.fixture
def checkins(cast, client_for):
    """A private check-in of alice's from last week, with a need for help (which becomes a
    team help request), and one she shares with lena this week."""
    private = CheckIn.objects.create(
        owner=cast.alice,
        week=current_week() - timedelta(weeks=1),
        went_well=PRIVATE_TEXT,
        is_hard=PRIVATE_TEXT,
    )
    client_for(cast.alice).post(
        reverse("checkins:new"),
        {
            "went_well": SHARED_TEXT,
            "help_needed": "Et review, tak",
            "visibility": "leader",
            "energy": "2",
        },
    )
    shared = CheckIn.objects.get(owner=cast.alice, week=current_week())
    assert shared.visibility == Visibility.LEADER and shared.help_request is not None
    return private, shared


def _get_pages():
    for name, params in ROUTES:
        if name in PUBLIC or name.startswith("oidc"):
            continue
        yield name, params


@pytest.mark.parametrize("viewer", ["lena", "bob", "ada"])
def test_no_page_shows_a_private_checkin_to_anyone_but_its_owner(
    viewer, cast, client_for, checkins
):
    private, _shared = checkins
    client = client_for(getattr(cast, viewer))
    # The API by the viewer's own token, which may read and write everything it has.
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token(getattr(cast, viewer))[1]}"}
    for name, params in _get_pages():
        # Every page, with every object it names being alice's or her team's, and with the
        # private check-in wherever a page names a check-in.
        url = url_for(name, params, cast)
        if "checkin_id" in params:
            url = reverse(name, kwargs={"checkin_id": private.pk})
        # A search for part of the text (a search form shows what was searched for).
        response = client.get(
            url, {"q": PRIVATE_TEXT[-9:], "page": "1"}, **(token if name.startswith(API) else {})
        )
        assert PRIVATE_TEXT not in response.content.decode(), f"{viewer}: {url}"
        if "checkin_id" in params:
            assert response.status_code == 404, f"{viewer}: {url}"
    for model in (Notification, OutgoingEmail):
        for row in model.objects.all():
            text = " ".join(str(v) for v in vars(row).values())
            assert PRIVATE_TEXT not in text and private.get_absolute_url() not in text


def test_the_leader_sees_what_was_shared_and_never_the_private_one(cast, client_for, checkins):
    private, shared = checkins
    lena = client_for(cast.lena)
    for url in (cast.team.get_absolute_url(), reverse("checkins:shared")):
        html = lena.get(url).content.decode()
        assert shared.get_absolute_url() in html, url
        assert private.get_absolute_url() not in html, url
    html = lena.get(shared.get_absolute_url()).content.decode()
    assert SHARED_TEXT in html
    assert lena.get(private.get_absolute_url()).status_code == 404
    # Min side shows the leader their own week and colleagues' help requests; alice's
    # check-ins are on neither.
    html = lena.get("/").content.decode()
    assert private.get_absolute_url() not in html and PRIVATE_TEXT not in html


def test_the_team_sees_neither_the_private_nor_the_leaders_checkin(cast, client_for, checkins):
    private, shared = checkins
    for person in (cast.bob, cast.ada):
        html = client_for(person).get(cast.team.get_absolute_url()).content.decode()
        assert private.get_absolute_url() not in html
        assert shared.get_absolute_url() not in html
        assert SHARED_TEXT not in html
