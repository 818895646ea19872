from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import User
from checkins.forms import EMPTY_CHECKIN, NO_TEAM_TO_ASK
from checkins.models import CheckIn, current_week
from checkins.selectors import week_checkin
from checkins.services import checkin_write
from checkins.views import too_late_message
from core.access import Visibility
from notifications.models import Notification
from teamwork.models import HelpRequest

# Dates in these tests are the frozen clock's (conftest.py), so they pass on any day.
pytestmark = pytest.mark.usefixtures("clock")

NEW = reverse("checkins:new")


def form(**fields):
    data = {
        "energy": "",
        "went_well": "",
        "is_hard": "",
        "priorities": "",
        "help_needed": "",
        "visibility": "private",
    }
    data.update(fields)
    return data


def speaking(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def in_language(message, language):
    with translation.override(language):
        return escape(str(message))


def checkin(owner, weeks_ago=0, visibility=Visibility.PRIVATE, shared_with=(), **texts):
    texts.setdefault("went_well", "Godt")
    c = CheckIn.objects.create(
        owner=owner,
        week=current_week() - timedelta(weeks=weeks_ago),
        visibility=visibility,
        **texts,
    )
    c.shared_with.set(shared_with)
    return c


def test_a_checkin_is_private_by_default(cast, client_for):
    response = client_for(cast.alice).post(NEW, form(went_well="Demo gik godt", energy="4"))
    c = CheckIn.objects.get(owner=cast.alice)
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    assert (c.week, c.energy, c.went_well, c.visibility) == (
        current_week(),
        4,
        "Demo gik godt",
        Visibility.PRIVATE,
    )
    assert c.week.weekday() == 0
    for person in (cast.bob, cast.lena, cast.ada, cast.eve):
        assert client_for(person).get(c.get_absolute_url()).status_code == 404
    assert client_for(cast.alice).get(c.get_absolute_url()).status_code == 200


def test_one_checkin_a_week_writing_again_changes_it(cast, client_for):
    client = client_for(cast.alice)
    client.post(NEW, form(went_well="Først"))
    c = CheckIn.objects.get(owner=cast.alice)
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("checkins:edit", kwargs={"checkin_id": c.pk})
    # A second "new" for the same week (say, from a second tab) changes the same check-in.
    client.post(NEW, form(went_well="Så"))
    assert list(CheckIn.objects.filter(owner=cast.alice).values_list("went_well", flat=True)) == [
        "Så"
    ]


@pytest.mark.parametrize("language", ["da", "en"])
def test_an_empty_checkin_gets_a_clear_message_and_saves_nothing(cast, client_for, language):
    client = speaking(client_for(cast.alice), language)
    response = client.post(NEW, form(energy="3", went_well="   "))
    assert response.status_code == 200
    assert in_language(EMPTY_CHECKIN, language) in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("language", ["da", "en"])
def test_an_overlong_text_gets_a_clear_message_and_saves_nothing(cast, client_for, language):
    client = speaking(client_for(cast.alice), language)
    response = client.post(NEW, form(went_well="x" * 2001, help_needed="Hjælp"))
    assert response.status_code == 200
    with translation.override(language):
        try:
            MaxLengthValidator(2000)("x" * 2001)
        except ValidationError as error:
            message = escape(error.messages[0])
    assert message in response.content.decode()
    assert not CheckIn.objects.exists() and not HelpRequest.objects.exists()


def test_sharing_with_my_leader_shares_with_the_leaders_of_my_teams(cast, client_for):
    client_for(cast.alice).post(NEW, form(went_well="Til Lena", visibility="leader"))
    c = CheckIn.objects.get(owner=cast.alice)
    assert c.visibility == Visibility.LEADER
    assert client_for(cast.lena).get(c.get_absolute_url()).status_code == 200
    shared = client_for(cast.lena).get(reverse("checkins:shared")).content.decode()
    assert c.get_absolute_url() in shared
    for person in (cast.bob, cast.ada, cast.eve):
        assert client_for(person).get(c.get_absolute_url()).status_code == 404
        html = client_for(person).get(reverse("checkins:shared")).content.decode()
        assert c.get_absolute_url() not in html


def test_sharing_with_my_team(cast, client_for):
    client_for(cast.alice).post(NEW, form(went_well="Til teamet", visibility="team"))
    c = CheckIn.objects.get(owner=cast.alice)
    for person, status in ((cast.bob, 200), (cast.lena, 200), (cast.ada, 404), (cast.eve, 404)):
        assert client_for(person).get(c.get_absolute_url()).status_code == status, person


def test_a_person_without_a_leader_cannot_choose_my_leader(cast, client_for):
    # eve's team has no leader: the choice is not offered, and a forged one is refused.
    response = client_for(cast.eve).get(NEW)
    assert 'value="leader"' not in response.content.decode()
    response = client_for(cast.eve).post(NEW, form(went_well="x", visibility="leader"))
    assert response.status_code == 200
    assert not CheckIn.objects.exists()


def test_energy_is_only_ever_shown_to_the_owner(cast, client_for):
    c = checkin(cast.alice, energy=2, visibility=Visibility.LEADER)
    with translation.override("da"):
        label = escape(str(c.get_energy_display()))
        heading = escape(str(CheckIn._meta.get_field("energy").verbose_name.capitalize()))
    lena = client_for(cast.lena).get(c.get_absolute_url()).content.decode()
    assert heading not in lena and label not in lena
    alice = client_for(cast.alice).get(c.get_absolute_url()).content.decode()
    assert label in alice


def test_a_need_for_help_becomes_a_help_request_to_the_team(cast, client_for):
    client_for(cast.alice).post(
        NEW, form(went_well="Hemmeligt godt", help_needed="Review af min PR", visibility="private")
    )
    c = CheckIn.objects.select_related("help_request").get(owner=cast.alice)
    request = c.help_request
    assert request is not None
    assert (request.asker, request.unit, request.scope, request.text) == (
        cast.alice,
        cast.team,
        HelpRequest.Scope.TEAM,
        "Review af min PR",
    )
    # Colleagues are told of the request, never of the private check-in it came from.
    told = Notification.objects.filter(kind="help_request")
    assert {n.recipient for n in told} == {cast.bob, cast.lena}
    for n in told:
        assert n.url == request.get_absolute_url()
        assert "Hemmeligt" not in n.text and c.get_absolute_url() not in n.url
    # The request page does not lead colleagues to the private check-in.
    html = client_for(cast.bob).get(request.get_absolute_url()).content.decode()
    assert "Review af min PR" in html and c.get_absolute_url() not in html
    # The owner's check-in links to the request, and the request back, for her alone.
    html = client_for(cast.alice).get(c.get_absolute_url()).content.decode()
    assert request.get_absolute_url() in html
    html = client_for(cast.alice).get(request.get_absolute_url()).content.decode()
    assert c.get_absolute_url() in html


def test_changing_the_need_changes_the_open_request_without_a_second_one(cast, client_for):
    client = client_for(cast.alice)
    client.post(NEW, form(help_needed="Hjælp med A"))
    c = CheckIn.objects.get(owner=cast.alice)
    client.post(reverse("checkins:edit", kwargs={"checkin_id": c.pk}), form(help_needed="B"))
    assert list(HelpRequest.objects.values_list("text", flat=True)) == ["B"]
    assert Notification.objects.filter(kind="help_request").count() == 2  # bob and lena, once


@pytest.mark.parametrize("language", ["da", "en"])
def test_asking_for_help_without_a_team_gets_a_clear_message(cast, client_for, language):
    client = speaking(client_for(cast.ada), language)
    response = client.post(NEW, form(help_needed="Hjælp"))
    assert response.status_code == 200
    assert in_language(NO_TEAM_TO_ASK, language) in response.content.decode()
    assert not CheckIn.objects.exists() and not HelpRequest.objects.exists()


def test_a_checkin_can_be_changed_for_a_while_and_then_stays(cast, client_for, settings):
    settings.SPARRING_CHECKIN_EDIT_DAYS = 7
    c = checkin(cast.alice, went_well="Som skrevet")
    edit = reverse("checkins:edit", kwargs={"checkin_id": c.pk})
    client = client_for(cast.alice)
    CheckIn.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(days=6))
    assert client.get(edit).status_code == 200

    CheckIn.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(days=8))
    response = client.post(edit, form(went_well="Ændret"), follow=True)
    c.refresh_from_db()
    assert c.went_well == "Som skrevet"
    assert response.redirect_chain[-1][0] == c.get_absolute_url()
    html = response.content.decode()
    assert escape(too_late_message()) in html
    assert reverse("checkins:edit", kwargs={"checkin_id": c.pk}) not in html
    assert client.get(edit).status_code == 302


def test_only_the_owner_may_change_a_checkin(cast, client_for):
    c = checkin(cast.alice, visibility=Visibility.TEAM)
    edit = reverse("checkins:edit", kwargs={"checkin_id": c.pk})
    for person in (cast.bob, cast.lena):
        assert client_for(person).get(edit).status_code == 404
        assert client_for(person).post(edit, form(went_well="Ikke din")).status_code == 404
    c.refresh_from_db()
    assert c.went_well == "Godt"


def test_the_timeline_is_mine_newest_first_and_paginated(cast, client_for):
    for weeks_ago in range(12):
        checkin(cast.alice, weeks_ago=weeks_ago, went_well=f"uge-{weeks_ago}")
    checkin(cast.bob, visibility=Visibility.TEAM, went_well="bobs-uge")
    html = client_for(cast.alice).get(reverse("checkins:list")).content.decode()
    assert html.index("uge-0") < html.index("uge-1") < html.index("uge-9")
    assert "uge-10" not in html and "bobs-uge" not in html
    html = client_for(cast.alice).get(reverse("checkins:list") + "?page=2").content.decode()
    assert "uge-10" in html and "uge-11" in html


def test_min_side_offers_this_weeks_checkin(cast, client_for):
    client = client_for(cast.alice)
    assert f'href="{NEW}"' in client.get("/").content.decode()
    c = checkin(cast.alice)
    html = client.get("/").content.decode()
    assert reverse("checkins:edit", kwargs={"checkin_id": c.pk}) in html
    assert f'href="{NEW}"' not in html


def test_shared_with_my_leader_follows_who_leads_the_team(cast, client_for):
    from organisation.models import Membership

    client_for(cast.alice).post(NEW, form(went_well="Til min leder", visibility="leader"))
    c = CheckIn.objects.get(owner=cast.alice)
    assert client_for(cast.lena).get(c.get_absolute_url()).status_code == 200
    # Lena hands the team over to bob: the check-in goes with the role, not the name.
    Membership.objects.filter(user=cast.lena, unit=cast.team).delete()
    Membership.objects.filter(user=cast.bob, unit=cast.team).update(role="leader")
    assert client_for(cast.lena).get(c.get_absolute_url()).status_code == 404
    assert client_for(cast.bob).get(c.get_absolute_url()).status_code == 200


def test_taking_back_a_help_need_withdraws_the_open_request(cast, client_for):
    client = client_for(cast.alice)
    client.post(NEW, form(went_well="x", help_needed="Et hemmeligt behov"))
    c = CheckIn.objects.get(owner=cast.alice)
    assert c.help_request is not None and c.help_request.is_open
    client.post(reverse("checkins:edit", kwargs={"checkin_id": c.pk}), form(went_well="x"))
    c.help_request.refresh_from_db()
    assert not c.help_request.is_open
    assert "Et hemmeligt behov" not in client_for(cast.bob).get("/").content.decode()


def test_the_weeks_first_checkin_is_one_insert_and_a_change_one_update(cast):
    def write(energy, went_well):
        with CaptureQueriesContext(connection) as queries:
            checkin = checkin_write(
                owner=cast.alice,
                week=current_week(),
                energy=energy,
                went_well=went_well,
                is_hard="Svært",
                priorities="Budget",
                help_needed="",
                visibility=Visibility.LEADER,
            )
        written = [
            q["sql"].split()[0]
            for q in queries
            if q["sql"].startswith(("INSERT", "UPDATE")) and '"checkins_checkin"' in q["sql"]
        ]
        checkin.refresh_from_db()
        return checkin, written

    c, written = write(4, " Godt ")
    assert written == ["INSERT"]
    assert (c.energy, c.went_well, c.is_hard, c.priorities, c.visibility) == (
        4,
        "Godt",
        "Svært",
        "Budget",
        Visibility.LEADER,
    )
    told = Notification.objects.filter(recipient=cast.lena, kind="checkin_shared")
    assert told.count() == 1
    c, written = write(2, "Bedre")
    assert written == ["UPDATE"]
    assert (c.energy, c.went_well) == (2, "Bedre")
    assert told.count() == 1, "shared with the leader before: nothing new to tell"


@pytest.mark.django_db(transaction=True)
def test_the_locked_read_of_a_weeks_checkin_asks_for_a_transaction():
    owner = User(pk=1)
    # Compiled inside a transaction first: Django checks it then, and only then.
    with transaction.atomic():
        assert week_checkin(owner, date(2026, 11, 30), for_update=True) is None
    with pytest.raises(TransactionManagementError):
        week_checkin(owner, date(2026, 11, 30), for_update=True)
    assert week_checkin(owner, date(2026, 11, 30)) is None
