"""Min side as the week at a glance: the member's week for everyone, the leader's week for
whoever leads a unit now, each showing only what its reader may read, in a number of queries
that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkins.models import CheckIn, week_of
from checkins.services import reply_create
from core.access import Visibility
from home.selectors import for_leaders_week, for_member_week
from organisation.models import Membership, Value
from pulse.tests.conftest import answer_all
from recognition.models import Recognition
from teamwork.models import Goal, HelpRequest, Team

pytestmark = pytest.mark.usefixtures("clock")


def _goal(cast, title, *, owner, days, status=Goal.Status.ON_TRACK, unit=None, clock):
    team = Team.objects.for_unit(unit or cast.team)
    return Goal.objects.create(
        team=team,
        title=title,
        owner=owner,
        due_date=clock.today() + timedelta(days=days),
        status=status,
    )


def _html(client_for, person):
    response = client_for(person).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_sees_the_goals_they_own_that_are_due(cast, clock):
    _goal(cast, "Soon", owner=cast.alice, days=3, clock=clock)
    _goal(cast, "Overdue", owner=cast.alice, days=-2, clock=clock)
    _goal(cast, "Later", owner=cast.alice, days=30, clock=clock)
    _goal(cast, "Done", owner=cast.alice, days=1, status=Goal.Status.DONE, clock=clock)
    _goal(cast, "Bob's", owner=cast.bob, days=1, clock=clock)
    week = for_member_week(cast.alice, clock.now())
    assert [goal.title for goal in week.goals_due] == ["Overdue", "Soon"]


def test_due_is_counted_from_the_time_given(cast, clock):
    _goal(cast, "In three weeks", owner=cast.alice, days=21, clock=clock)
    assert for_member_week(cast.alice, clock.now()).goals_due == []
    later = for_member_week(cast.alice, clock.now() + timedelta(days=8))
    assert [goal.title for goal in later.goals_due] == ["In three weeks"]


def test_a_member_sees_thanks_received_and_the_checkin_of_the_week(cast, client_for, clock):
    thanks = Recognition.objects.create(author=cast.bob, text="Tak for hjælpen", unit=cast.team)
    thanks.recipients.set([cast.alice])
    thanks.values.set([Value.objects.get_or_create(name="Nærvær")[0]])
    CheckIn.objects.create(
        owner=cast.alice,
        week=week_of(clock.today()),
        went_well="Workshoppen",
        is_hard="Budgettet",
        priorities="Releasen",
    )
    html = _html(client_for, cast.alice)
    assert "Tak for hjælpen" in html and "Nærvær" in html
    for text in ("Workshoppen", "Budgettet", "Releasen"):
        assert text in html
    # Bob wrote the thanks; it is not his to have received.
    assert "Tak for hjælpen" not in _html(client_for, cast.bob).split('id="thanks-heading"')[1]


def test_every_empty_state_says_what_to_do_next(cast, client_for):
    html = _html(client_for, cast.alice)
    for link in ("/checkins/new/", "/feedback/ask/", "/recognition/new/", "/teams/"):
        assert f'href="{link}"' in html, link


def test_every_empty_state_of_the_leaders_week_says_what_to_do_next(cast, client_for):
    html = _html(client_for, cast.lena)
    week = html.split('id="leaders-week-heading"')[1].split('id="checkins-heading"')[0]
    unit = cast.team.pk
    for link in (
        "/checkins/shared/",
        "/pulse/",
        f"/teams/{unit}/help/",
        f"/teams/{unit}/goals/",
        f"/teams/{unit}/agreements/",
    ):
        assert f'href="{link}"' in week, link


def test_the_leaders_week_is_for_leaders_only(cast, client_for, clock):
    _goal(cast, "Teamets mål", owner=cast.bob, days=5, clock=clock)
    HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="Hjælp med budgettet")
    team = Team.objects.for_unit(cast.team)
    team.agreements_revisit_on = clock.today() + timedelta(days=2)
    team.save()
    leader = _html(client_for, cast.lena)
    assert "leaders-week-heading" in leader
    week = leader.split('id="leaders-week-heading"')[1].split('id="checkins-heading"')[0]
    assert "Teamets mål" in week
    assert "Hjælp med budgettet" in week
    assert f"/teams/{cast.team.pk}/agreements/" in week
    # Not twice: the request in her unit is in her week, not again among colleagues' requests.
    assert leader.count("Hjælp med budgettet") == 1
    for person in (cast.alice, cast.eve, cast.ada):
        assert "leaders-week-heading" not in _html(client_for, person), person
    assert for_leaders_week(cast.alice, clock.now()) is None


def test_a_former_leader_and_a_stranger_see_nothing_of_the_units_week(cast, client_for, clock):
    _goal(cast, "Teamets mål", owner=cast.bob, days=5, clock=clock)
    HelpRequest.objects.create(asker=cast.bob, unit=cast.team, text="Hjælp med budgettet")
    Membership.objects.filter(user=cast.lena).delete()
    for person in (cast.lena, cast.eve):
        html = _html(client_for, person)
        assert "Teamets mål" not in html and "Hjælp med budgettet" not in html, person
        assert for_leaders_week(person, clock.now()) is None


def test_the_leaders_week_keeps_other_units_out(cast, clock):
    HelpRequest.objects.create(asker=cast.eve, unit=cast.other_team, text="Økonomis")
    _goal(cast, "Økonomis mål", owner=cast.eve, days=1, unit=cast.other_team, clock=clock)
    week = for_leaders_week(cast.lena, clock.now())
    assert week is not None
    assert week.help_requests == [] and week.goals_due == []


def _queries(client):
    client.get("/")  # warm: the session's once-a-minute renewal is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def _a_week_of_everything(cast, person, clock, n):
    week = week_of(clock.today()) - timedelta(weeks=n)
    CheckIn.objects.create(owner=person, week=week, went_well="x", visibility=Visibility.TEAM)
    HelpRequest.objects.create(asker=person, unit=cast.team, text=f"hjælp {n}")
    _goal(cast, f"mål {n}", owner=person, days=n % 10, clock=clock)
    thanks = Recognition.objects.create(author=cast.bob, text=f"tak {n}", unit=cast.team)
    thanks.recipients.set([cast.alice, cast.lena, person])
    thanks.values.set([Value.objects.get_or_create(name=f"Værdi {n % 3}")[0]])


def _shared_and_answered(cast, person, clock):
    """`person` shares this week's check-in with lena, who replies, and answers her back; a
    colleague replies to alice's check-in of the same week."""
    checkin = CheckIn.objects.create(
        owner=person, week=week_of(clock.today()), went_well="x", visibility=Visibility.LEADER
    )
    reply = reply_create(checkin=checkin, author=cast.lena, text="Tak")
    reply_create(checkin=checkin, author=person, text="Selv tak", thread=reply.thread)
    mine = CheckIn.objects.filter(owner=cast.alice, week=week_of(clock.today())).first()
    if mine is not None and mine.visibility == Visibility.TEAM:
        reply_create(checkin=mine, author=person, text="Godt gået")


def test_query_counts_are_pinned_and_do_not_grow(cast, client_for, clock):
    from accounts.models import User

    member, leader = client_for(cast.alice), client_for(cast.lena)
    _a_week_of_everything(cast, cast.alice, clock, 0)
    _shared_and_answered(cast, cast.bob, clock)
    before = [_queries(member), _queries(leader)]
    for n in range(1, 25):
        person = User.objects.create(username=f"extra{n}", first_name=f"Extra {n}")
        Membership.objects.create(user=person, unit=cast.team)
        _a_week_of_everything(cast, person, clock, n)
        _shared_and_answered(cast, person, clock)
        _a_week_of_everything(cast, cast.alice, clock, n)
        team = Team.objects.for_unit(cast.team)
        team.agreements_revisit_on = clock.today()
        team.save()
    after = [_queries(member), _queries(leader)]
    assert before == after
    # Pinned so a new query on Min side is a conscious choice. Both: the session with its person and
    # unread notifications, the person's teams, notes, check-ins, replies waiting (two queries: both
    # have some), the open wellbeing round, feedback and sparring waiting, colleagues' and their own
    # help requests, goals due (whether they own any, and for alice, who does, the goals with the
    # units whose goals she may read), thanks received with their values, and their conversations
    # (the next ones and those asked of them, and their open actions). A leader adds the check-ins
    # shared with her this week with their reply counts, help requests, goals and agreements in her
    # units, the wellbeing rounds open in them, each unit's latest energy and results as the
    # anonymity engine shows them, and how many of her people had no MUS in the last year.
    assert after == [18, 23], after


def test_the_leader_sees_what_was_shared_with_her_this_week_with_every_field(
    cast, client_for, clock
):
    this_week = week_of(clock.today())
    CheckIn.objects.create(
        owner=cast.alice,
        week=this_week,
        went_well="Delt godt",
        is_hard="Delt svært",
        priorities="Delt prioritet",
        help_needed="Delt hjælp",
        visibility=Visibility.LEADER,
    )
    CheckIn.objects.create(owner=cast.bob, week=this_week, went_well="Bobs private")
    CheckIn.objects.create(
        owner=cast.eve, week=this_week, went_well="Eves team", visibility=Visibility.TEAM
    )
    CheckIn.objects.create(
        owner=cast.alice,
        week=this_week - timedelta(weeks=1),
        went_well="Sidste uges",
        visibility=Visibility.LEADER,
    )
    week = for_leaders_week(cast.lena, clock.now())
    assert week is not None
    (shared,) = week.shared_checkins
    assert (shared.went_well, shared.is_hard, shared.priorities, shared.help_needed) == (
        "Delt godt",
        "Delt svært",
        "Delt prioritet",
        "Delt hjælp",
    )
    html = _html(client_for, cast.lena)
    for text in ("Delt godt", "Delt svært", "Delt prioritet", "Delt hjælp"):
        assert text in html
    for text in ("Bobs private", "Eves team", "Sidste uges"):
        assert text not in html


def test_a_checkin_shared_with_the_team_is_for_the_current_team_only(cast, clock):
    CheckIn.objects.create(
        owner=cast.alice,
        week=week_of(clock.today()),
        went_well="Til teamet",
        visibility=Visibility.TEAM,
    )
    week = for_leaders_week(cast.lena, clock.now())
    assert week is not None and [c.went_well for c in week.shared_checkins] == ["Til teamet"]
    # Lena leads another unit now, not alice's.
    Membership.objects.filter(user=cast.lena).update(unit=cast.other_team)
    week = for_leaders_week(cast.lena, clock.now())
    assert week is not None and week.shared_checkins == []


def test_replies_wait_for_the_one_who_has_to_answer(cast, clock):
    checkin = CheckIn.objects.create(
        owner=cast.alice, week=week_of(clock.today()), visibility=Visibility.LEADER
    )
    reply = reply_create(checkin=checkin, author=cast.lena, text="Hvordan går det?")
    waiting = for_member_week(cast.alice, clock.now()).replies_waiting
    assert [r.other_name for r in waiting] == ["Lena Lund"]
    leader = for_leaders_week(cast.lena, clock.now())
    assert leader is not None and leader.replies_waiting == []
    reply_create(checkin=checkin, author=cast.alice, text="Fint", thread=reply.thread)
    assert for_member_week(cast.alice, clock.now()).replies_waiting == []
    leader = for_leaders_week(cast.lena, clock.now())
    assert leader is not None and [r.other_name for r in leader.replies_waiting] == [
        "Alice Andersen"
    ]


def test_the_open_round_is_answered_from_min_side_and_counted_for_the_leader(
    cast, client_for, clock, pulse
):
    round_, six, _four, _small, _five = pulse
    html = _html(client_for, cast.alice)
    assert f'href="{round_.get_absolute_url()}"' in html
    answer_all(round_, six[:4], 4)
    # Four of seven have answered: too few to say how many.
    leader = for_leaders_week(cast.lena, clock.now())
    assert leader is not None
    [found] = leader.participation
    assert [(unit.asked, unit.answered) for unit in found.units] == [(7, None)]
    assert "4 af 7" not in _html(client_for, cast.lena)
    answer_all(round_, six[4:], 4)
    assert "6 af 7 har svaret" in _html(client_for, cast.lena)
    # Alice answered: her page thanks her instead of asking again.
    html = _html(client_for, cast.alice)
    assert f'href="{round_.get_absolute_url()}"' not in html
    # A member sees no counts.
    assert "af 7" not in html
