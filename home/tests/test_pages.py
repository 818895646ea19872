"""The pages that gather: Min side and the team page show each app's part, only what the
viewer may read, in a number of queries that does not grow with the data."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.services import unit_create


def test_team_page_visibility(cast, client_for):
    url = reverse("home:team", kwargs={"unit_id": cast.team.pk})
    for person, status in [
        (cast.alice, 200),  # member
        (cast.lena, 200),  # leader
        (cast.ada, 200),  # administrator
        (cast.eve, 404),  # another unit
    ]:
        assert client_for(person).get(url).status_code == status, person
    # A leader of a unit sees the units below it.
    sub = unit_create(actor=None, name="Team under", parent=cast.team)
    sub_url = reverse("home:team", kwargs={"unit_id": sub.pk})
    assert client_for(cast.lena).get(sub_url).status_code == 200
    assert client_for(cast.alice).get(sub_url).status_code == 404


def test_team_page_links_only_the_units_around_it_one_may_open(cast, client_for):
    """The units above are named, linked where one may open them; below, only the units in use
    that one may open are listed."""
    from django.utils import timezone

    below = unit_create(actor=None, name="Team under", parent=cast.team)
    archived = unit_create(actor=None, name="Lukket team", parent=cast.team)
    archived.archived_at = timezone.now()
    archived.save()
    deeper = unit_create(actor=None, name="Team deeper", parent=below)

    def around(person, unit):
        from home.selectors import for_team_page

        page = for_team_page(unit_id=unit.pk, user=person)
        return [(a.name, open_) for a, open_ in page.ancestors], [c.name for c in page.children]

    # A member opens her team, not the organisation above it nor the unit below it.
    assert around(cast.alice, cast.team) == ([("Kommunen", False)], [])
    # Its leader opens what is below it, in use; the organisation above it stays closed.
    assert around(cast.lena, cast.team) == ([("Kommunen", False)], ["Team under"])
    assert around(cast.lena, deeper) == (
        [("Kommunen", False), ("Sekretariatet", True), ("Team under", True)],
        [],
    )
    # An administrator opens every unit.
    assert around(cast.ada, below) == (
        [("Kommunen", True), ("Sekretariatet", True)],
        ["Team deeper"],
    )
    html = client_for(cast.lena).get(deeper.get_absolute_url()).content.decode()
    assert f'href="{below.get_absolute_url()}"' in html
    assert f'href="{cast.organisation.get_absolute_url()}"' not in html


def test_team_page_lists_people_and_leaders(cast, client_for):
    cast.bob.job_title = "Arkitekt <b>& co</b>"
    cast.bob.last_name = "<i>B</i>"
    cast.bob.save()
    html = client_for(cast.alice).get(cast.team.get_absolute_url()).content.decode()
    rows = re.findall(
        r"<tr><td><span[^>]*>(\w+)</span>([^<]*)</td><td>([^<]*)</td><td>(\w+)</td>", html
    )
    # The leader first, then the members; every text escaped.
    assert rows == [
        ("LL", "Lena Lund", "Sekretariatschef", "Leder"),
        ("AA", "Alice Andersen", "Produktkonsulent", "Medarbejder"),
        ("BO", "Bob &lt;i&gt;B&lt;/i&gt;", "Arkitekt &lt;b&gt;&amp; co&lt;/b&gt;", "Medarbejder"),
    ]
    assert "Eve" not in html
    empty = unit_create(actor=None, name="Tomt team", parent=cast.team)
    html = client_for(cast.ada).get(empty.get_absolute_url()).content.decode()
    assert '<tr><td colspan="3">Der er ingen i enheden endnu.</td></tr>' in html


def _queries(client, url):
    client.get(url)  # warm: the session's once-a-minute renewal is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _daily_rhythm(person, unit, weeks_ago):
    """A week of someone's daily rhythm: a check-in shared with the team, a help request, a
    goal, an agreement and a thanks on the team's feed, with a value and a reaction."""
    from datetime import timedelta

    from checkins.models import CheckIn, current_week
    from core.access import Visibility
    from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement

    CheckIn.objects.create(
        owner=person,
        week=current_week() - timedelta(weeks=weeks_ago),
        went_well="x",
        visibility=Visibility.TEAM,
    )
    HelpRequest.objects.create(asker=person, unit=unit, text="x")
    team = Team.objects.for_unit(unit)
    Goal.objects.create(team=team, title="x", owner=person)
    WorkingAgreement.objects.create(team=team, text="x")
    from organisation.models import Value
    from recognition.models import Reaction, Recognition

    thanks = Recognition.objects.create(author=person, text="Tak", unit=unit)
    thanks.recipients.set([person])
    thanks.values.set([Value.objects.get_or_create(name="Åbenhed")[0]])
    Reaction.objects.create(recognition=thanks, user=person, kind=Reaction.Kind.HEART)


def test_query_counts_do_not_grow_with_the_team(cast, client_for):
    from accounts.models import User
    from organisation.models import Membership

    client = client_for(cast.alice)
    urls = [
        "/",
        cast.team.get_absolute_url(),
        "/teams/",
        "/notes/",
        "/checkins/",
        "/checkins/shared/",
        "/reflections/",
    ]
    for person in (cast.alice, cast.bob):
        _daily_rhythm(person, cast.team, weeks_ago=0)
    before = [_queries(client, url) for url in urls]
    for i in range(30):
        person = User.objects.create(username=f"extra{i}", first_name=f"Extra {i}")
        Membership.objects.create(user=person, unit=cast.team)
        # More people, each with check-ins, and alice with a check-in a week for 30 weeks.
        _daily_rhythm(person, cast.team, weeks_ago=i)
        _daily_rhythm(cast.alice, cast.team, weeks_ago=i + 1)
    after = [_queries(client, url) for url in urls]
    assert before == after
    # Pinned so a new query per page is a conscious choice. Every page reads the session with
    # its person and their unread notifications in one statement. Min side: the week's
    # check-ins, replies waiting, the open wellbeing round,
    # colleagues' and one's own help requests, feedback and sparring waiting for an answer,
    # whether one owns a goal that is due (alice owns none here) and thanks received with their
    # values, the conversations and actions from them (more in test_week.py); the team page:
    # the unit with the units around it, each marked with whether one may open it (one
    # reading of what one may open),
    # shared check-ins, help requests, goals, agreements (the team's settings come with the
    # unit) and the team's recognition one may read, with its people, values and reactions;
    # the check-ins shared with one: the check-ins with the replies to each, and their count.
    assert after == [15, 14, 2, 3, 4, 3, 3], after


def test_team_page_shows_only_what_was_shared_with_the_team(cast, client_for):
    from core.access import Visibility
    from profiles.models import ProfileNote

    titles = {}
    for visibility in Visibility:
        note = ProfileNote.objects.create(
            owner=cast.alice, title=f"note-{visibility.value}", body="x", visibility=visibility
        )
        note.shared_with.set([cast.lena])
        titles[visibility] = note.title
    for viewer, sees_team_notes in ((cast.bob, True), (cast.lena, True), (cast.ada, False)):
        html = client_for(viewer).get(cast.team.get_absolute_url()).content.decode()
        assert titles[Visibility.ORGANISATION] in html
        # The administrator may open every team page, but is not in the team.
        assert (titles[Visibility.TEAM] in html) == sees_team_notes
        assert titles[Visibility.PRIVATE] not in html
        assert titles[Visibility.SHARED] not in html, "shared with lena, but not with the team"
