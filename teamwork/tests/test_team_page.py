from __future__ import annotations

from django.urls import reverse

from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement
from teamwork.tests.helpers import speaking, too_long


def test_the_team_page_shows_purpose_help_goals_and_agreements(cast, client_for):
    team = Team.objects.for_unit(cast.team)
    team.purpose = "Vi gør digitalt fællesskab let."
    team.save()
    help_request = HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="Hjælp")
    done = HelpRequest.objects.create(
        asker=cast.bob, unit=cast.team, text="Løst", status=HelpRequest.Status.RESOLVED
    )
    goal = Goal.objects.create(team=team, title="Mål", owner=cast.alice)
    WorkingAgreement.objects.create(team=team, text="Vi deler viden åbent.")
    html = client_for(cast.lena).get(cast.team.get_absolute_url()).content.decode()
    for expected in (
        "Vi gør digitalt fællesskab let.",
        help_request.get_absolute_url(),
        goal.get_absolute_url(),
        "Vi deler viden åbent.",
        reverse("teamwork:agreements", kwargs={"unit_id": cast.team.pk}),
    ):
        assert expected in html
    assert done.get_absolute_url() not in html


def test_the_team_sets_its_purpose_and_check_in_day(cast, client_for):
    url = reverse("teamwork:purpose", kwargs={"unit_id": cast.team.pk})
    client_for(cast.bob).post(url, {"purpose": "Vi hjælper.", "checkin_weekday": "3"})
    team = Team.objects.get(unit=cast.team)
    assert (team.purpose, team.checkin_weekday) == ("Vi hjælper.", 3)
    for person in (cast.ada, cast.eve):
        assert (
            client_for(person).post(url, {"purpose": "Nej", "checkin_weekday": "0"}).status_code
            == 404
        )
    team.refresh_from_db()
    assert team.purpose == "Vi hjælper."


def test_an_overlong_purpose_is_refused(cast, client_for):
    url = reverse("teamwork:purpose", kwargs={"unit_id": cast.team.pk})
    for language in ("da", "en"):
        client = speaking(client_for(cast.alice), language)
        response = client.post(url, {"purpose": "x" * 501, "checkin_weekday": "1"})
        assert too_long(500, language) in response.content.decode()
    assert not Team.objects.exists()


def test_a_team_without_settings_checks_in_on_tuesday_and_a_page_view_writes_nothing(
    cast, client_for
):
    html = client_for(cast.alice).get(cast.team.get_absolute_url()).content.decode()
    assert "Tuesday" in html or "tirsdag" in html
    assert not Team.objects.exists()
