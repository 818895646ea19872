"""Overviews without content: a leader sees for each of their people when they last talked,
when they talk next, how many actions are open and whether a MUS or GRUS was held in the
last 365 days; an administrator sees per unit only counts and shares. Never what was said."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import Conversation, DevelopmentRecord, DevelopmentTotal, Item, Kind
from conversations.selectors import (
    CLOCKS_APART,
    DEVELOPMENT_WINDOW,
    TOTAL_COUNTED_EVERY,
    TOTAL_KEPT_FOR,
    for_administrators_csv,
    for_administrators_overview,
    for_leaders_overview,
    without_development_count,
)
from conversations.tasks import run_development_total
from organisation.models import Membership, Unit
from organisation.services import unit_create

NOW = FROZEN_AT
# Text written in every place a conversation holds content: none of it may reach an overview.
MARKER = "Hemmelig-7f3a"


def _held(
    cast: Cast, people: list[User], kind: str, held_at: datetime, *, by: User | None = None
) -> Conversation:
    """A conversation of `kind` that `by` (lena) held with `people`, marked held at
    `held_at`."""
    leader = by or cast.lena
    starts_at = held_at - timedelta(hours=1)
    conversation = services.conversation_plan(
        by=leader,
        people=people,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=60,
        now=starts_at - timedelta(days=1),
    )
    return services.conversation_hold(conversation=conversation, by=leader, now=held_at)


def _planned(cast: Cast, person: User, kind: str, starts_at: datetime) -> Conversation:
    return services.conversation_plan(
        by=cast.lena,
        people=[person],
        kind=kind,
        starts_at=starts_at,
        duration_minutes=30,
        now=NOW,
    )


def _people(unit: Unit, count: int, prefix: str) -> list[User]:
    people = [
        User.objects.create(username=f"{prefix}{n}", first_name=prefix.title(), last_name=str(n))
        for n in range(count)
    ]
    Membership.objects.bulk_create(Membership(user=person, unit=unit) for person in people)
    return people


# --- The leader's overview ------------------------------------------------------------------


def test_the_leader_sees_dates_and_counts_for_each_person(cast: Cast) -> None:
    one_on_one = _held(cast, [cast.alice], Kind.ONE_ON_ONE, NOW - timedelta(days=40))
    services.item_add(
        conversation=_planned(cast, cast.alice, Kind.FREE, NOW + timedelta(days=2)),
        by=cast.alice,
        text="Not counted: a talking point",
        now=NOW,
    )
    mus = _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=10))
    for text in ("Course in user research", "Fewer meetings"):
        services.item_add(
            conversation=_planned(cast, cast.alice, Kind.ONE_ON_ONE, NOW + timedelta(days=7)),
            by=cast.lena,
            text=text,
            type=Item.Type.ACTION,
            owner=cast.alice,
            now=NOW,
        )
    # A conversation of the two of them with a third is not their thread.
    _held(cast, [cast.alice, cast.bob, cast.eve], Kind.FREE, NOW - timedelta(days=1))

    overview = for_leaders_overview(cast.lena, NOW)

    assert overview is not None
    alice, bob = overview.people
    assert (alice.name, bob.name) == ("Alice Andersen", "Bob Bertelsen")
    assert alice.thread_id == one_on_one.thread_id == mus.thread_id
    assert alice.last_held_on == (NOW - timedelta(days=10, hours=1)).date()
    assert alice.last_held_kind == "MUS"
    assert alice.next_at == NOW + timedelta(days=2)
    assert alice.open_actions == 2
    assert alice.development_held
    assert (bob.thread_id, bob.last_held_on, bob.next_at, bob.open_actions) == (None, None, None, 0)
    assert not bob.development_held
    assert overview.without_development == 1
    assert without_development_count(cast.lena, NOW) == 1


def test_a_grus_counts_and_a_mus_with_another_leader_does_not(cast: Cast) -> None:
    carol = _people(cast.team, 1, "carol")[0]
    _held(cast, [cast.alice, cast.bob, carol], Kind.GRUS, NOW - timedelta(days=100))
    other = User.objects.create(username="otto", first_name="Otto")
    Membership.objects.create(user=other, unit=cast.team, role=Membership.Role.LEADER)
    # Otto leads the team too: the MUS he held with dave is his, not lena's.
    dave = _people(cast.team, 1, "dave")[0]
    _held(cast, [dave], Kind.MUS, NOW - timedelta(days=5), by=other)

    overview = for_leaders_overview(cast.lena, NOW)

    assert overview is not None
    held = {row.name: row.development_held for row in overview.people}
    assert held["Alice Andersen"] and held["Bob Bertelsen"] and held["Carol 0"]
    assert not held["Dave 0"]
    # Otto is no one's employee in the team he leads with lena.
    assert "Otto" not in held
    assert without_development_count(cast.lena, NOW) == 1


def test_the_year_is_365_days_up_to_now(cast: Cast) -> None:
    _held(cast, [cast.alice], Kind.MUS, NOW - DEVELOPMENT_WINDOW)
    _held(cast, [cast.bob], Kind.MUS, NOW - DEVELOPMENT_WINDOW + timedelta(seconds=1))

    overview = for_leaders_overview(cast.lena, NOW)

    assert overview is not None
    assert [row.development_held for row in overview.people] == [False, True]
    [_organisation, team, _other] = for_administrators_overview(NOW).units
    assert (team.people, team.development_held) == (3, 1)
    # A day later bob's MUS is a year old too.
    assert without_development_count(cast.lena, NOW + timedelta(days=1)) == 2
    # Held after `now` (a clock moved back) is not in the year up to now either.
    assert without_development_count(cast.lena, NOW - timedelta(days=366)) == 2


def test_someone_who_leads_nothing_has_no_overview(cast: Cast, client_for) -> None:
    assert for_leaders_overview(cast.alice, NOW) is None
    assert client_for(cast.alice).get(reverse("conversations:people")).status_code == 404
    assert client_for(cast.ada).get(reverse("conversations:people")).status_code == 404


def test_the_leaders_page_links_each_thread_in_danish(cast: Cast, client_for, clock) -> None:
    mus = _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=3))

    response = client_for(cast.lena).get(reverse("conversations:people"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("conversations:thread", args=[mus.thread_id]) in html
    assert "Bob Bertelsen" in html
    assert "1 af dine medarbejdere har ikke haft MUS eller GRUS med dig" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_leaders_overview_takes_the_same_queries_for_3_and_30_people(
    cast: Cast, count: int, django_assert_num_queries
) -> None:
    for person in _people(cast.team, count, "p"):
        _held(cast, [person], Kind.MUS, NOW - timedelta(days=20))
        _planned(cast, person, Kind.ONE_ON_ONE, NOW + timedelta(days=3))

    with django_assert_num_queries(3):
        overview = for_leaders_overview(cast.lena, NOW)

    assert overview is not None
    assert len(overview.people) == count + 2
    assert overview.without_development == 2


# --- The administrator's overview -----------------------------------------------------------


def test_the_administrator_sees_counts_and_shares_per_unit(cast: Cast) -> None:
    with_summary = _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=30))
    services.summary_save(conversation=with_summary, by=cast.lena, text="Plan", now=NOW)
    for person in (cast.lena, cast.alice):
        services.summary_approve(conversation=with_summary, by=person, revision=1, now=NOW)
    unapproved = _held(cast, [cast.bob], Kind.MUS, NOW - timedelta(days=30))
    services.summary_save(conversation=unapproved, by=cast.lena, text="Plan", now=NOW)
    services.summary_approve(conversation=unapproved, by=cast.lena, revision=1, now=NOW)
    # Eve's 1:1 is no development conversation; a cancelled MUS is not held.
    eves_leader = User.objects.create(username="erik", first_name="Erik")
    Membership.objects.create(user=eves_leader, unit=cast.other_team, role="leader")
    _held(cast, [cast.eve], Kind.ONE_ON_ONE, NOW - timedelta(days=2), by=eves_leader)

    overview = for_administrators_overview(NOW)

    rows = {unit.name: unit for unit in overview.units}
    assert [unit.name for unit in overview.units] == ["Kommunen", "Sekretariatet", "Økonomi"]
    assert [unit.depth for unit in overview.units] == [0, 1, 1]
    team = rows["Sekretariatet"]
    # The leader held the MUS: lena counts among the people, not among those who had one.
    assert (team.people, team.development_held, team.approved) == (3, 2, 1)
    assert (team.held_share, team.approved_share) == (67, 50)
    other = rows["Økonomi"]
    assert (other.people, other.development_held, other.held_share) == (2, 0, 0)
    assert other.approved_share is None
    assert rows["Kommunen"].held_share is None
    assert (overview.total.people, overview.total.development_held) == (5, 2)
    assert overview.total.approved == 1


@pytest.mark.parametrize("units", [3, 60])
def test_the_administrators_overview_takes_the_same_queries_however_many_units(
    cast: Cast, units: int, django_assert_num_queries
) -> None:
    for n in range(units):
        unit = unit_create(actor=None, name=f"Enhed {n}", parent=cast.team)
        [person] = _people(unit, 1, f"u{n}-")
        Membership.objects.create(user=cast.lena, unit=unit, role="leader")
        _held(cast, [person], Kind.MUS, NOW - timedelta(days=10))

    # The units, the counts of those shown, and the worker's count of the whole organisation.
    run_development_total(NOW - timedelta(minutes=1))
    with django_assert_num_queries(3):
        overview = for_administrators_overview(NOW)
    assert len(overview.units) == units + 3
    assert overview.total.development_held == units
    # Without a count of the worker's, one more: the page counts the whole organisation.
    DevelopmentTotal.objects.all().delete()
    with django_assert_num_queries(4):
        assert for_administrators_overview(NOW).total.development_held == units
    # The CSV has no line for the whole organisation, and counts none.
    with django_assert_num_queries(2):
        assert len(for_administrators_csv(NOW)) == units + 3


def test_the_worker_counts_the_whole_organisation_and_the_page_shows_that_count(
    cast: Cast, client_for, clock
) -> None:
    """The worker counts every five minutes; the page takes its count while it is at most a
    quarter of an hour old, says when it was counted, and counts itself when it is older."""
    _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=30))
    counted_at = NOW - timedelta(minutes=10)
    run_development_total(counted_at)
    kept = DevelopmentTotal.objects.get()
    assert (kept.counted_at, kept.people, kept.held, kept.approved) == (counted_at, 4, 1, 0)
    # Not again within five minutes; again after them, in the same row.
    run_development_total(counted_at + TOTAL_COUNTED_EVERY - timedelta(seconds=1))
    assert DevelopmentTotal.objects.get().counted_at == counted_at
    # bob's MUS is held after the count: the page shows the count, and when it was made.
    _held(cast, [cast.bob], Kind.MUS, NOW - timedelta(minutes=5))

    overview = for_administrators_overview(NOW)
    assert (overview.total.people, overview.total.development_held) == (4, 1)
    assert overview.total_counted_at == counted_at
    html = client_for(cast.ada).get(reverse("conversations_admin:overview")).content.decode()
    assert "I hele organisationen: 1 af 4 personer." in html
    assert "Optalt 1. dec. 2026 kl. 09.50." in html

    # The next count has bob's.
    run_development_total(counted_at + TOTAL_COUNTED_EVERY)
    assert DevelopmentTotal.objects.get().held == 2
    # A count older than a quarter of an hour, or from more than a minute ahead, is not shown.
    DevelopmentTotal.objects.update(held=99, counted_at=NOW - TOTAL_KEPT_FOR)
    overview = for_administrators_overview(NOW)
    assert (overview.total.development_held, overview.total_counted_at) == (2, None)
    DevelopmentTotal.objects.update(counted_at=NOW + CLOCKS_APART + timedelta(seconds=1))
    assert for_administrators_overview(NOW).total.development_held == 2
    # A worker whose clock is a little ahead: its count is taken, and not made again.
    DevelopmentTotal.objects.update(counted_at=NOW + CLOCKS_APART)
    assert for_administrators_overview(NOW).total.development_held == 99
    run_development_total(NOW)
    assert DevelopmentTotal.objects.get().held == 99
    # A clock set back further: the worker counts again.
    DevelopmentTotal.objects.update(counted_at=NOW + CLOCKS_APART + timedelta(seconds=1))
    run_development_total(NOW)
    assert (DevelopmentTotal.objects.get().held, DevelopmentTotal.objects.get().counted_at) == (
        2,
        NOW,
    )


def test_the_administration_pages_are_for_administrators_only(cast: Cast, client_for) -> None:
    urls = [
        reverse("conversations_admin:overview"),
        reverse("conversations_admin:overview_csv"),
        reverse("conversations_admin:templates"),
        reverse("conversations_admin:template_edit", args=["mus"]),
    ]
    for person in (cast.alice, cast.lena, cast.eve):
        client = client_for(person)
        assert [client.get(url).status_code for url in urls] == [404] * 4
    client = client_for(cast.ada)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    assert client.get(reverse("conversations_admin:template_edit", args=["x"])).status_code == 404


def test_the_csv_has_the_same_counts(cast: Cast, client_for, clock) -> None:
    _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=30))

    response = client_for(cast.ada).get(reverse("conversations_admin:overview_csv"))

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Enhed;Niveau;Personer;")
    assert "Sekretariatet;2;3;1;0" in lines
    assert "Alice" not in response.content.decode()
    # A unit's name is text in a spreadsheet, never a formula.
    Unit.objects.filter(pk=cast.other_team.pk).update(name="=HYPERLINK(1)")
    response = client_for(cast.ada).get(reverse("conversations_admin:overview_csv"))
    assert "'=HYPERLINK(1);2;1;0;0" in response.content.decode("utf-8-sig").splitlines()


def test_no_content_and_no_names_reach_the_overviews(cast: Cast, client_for, clock) -> None:
    """Marker text in every kind of content: the agenda, a shared note, a private note, the
    preparation (shared and not), the summary and an addendum. It appears in neither
    overview, and the administrator's names nobody."""
    now = clock.now()
    planned = _planned(cast, cast.alice, Kind.MUS, now + timedelta(days=1))
    services.item_add(
        conversation=planned,
        by=cast.alice,
        text=f"{MARKER} agenda",
        type=Item.Type.ACTION,
        owner=cast.alice,
        now=now,
    )
    services.shared_note_add(conversation=planned, by=cast.lena, text=f"{MARKER} note", now=now)
    services.private_note_save(conversation=planned, by=cast.lena, text=f"{MARKER} private")
    [first, second, *_] = planned.template.questions.all()
    services.preparation_save(
        conversation=planned,
        by=cast.alice,
        answers={first.pk: f"{MARKER} shared", second.pk: f"{MARKER} own"},
        now=now,
    )
    services.preparation_share(
        conversation=planned, by=cast.alice, now=now, question_ids=[first.pk]
    )
    held = services.conversation_hold(conversation=planned, by=cast.lena, now=now)
    services.summary_save(conversation=held, by=cast.lena, text=f"{MARKER} summary", now=now)
    services.addendum_add(conversation=held, by=cast.alice, text=f"{MARKER} addendum", now=now)

    leaders = client_for(cast.lena).get(reverse("conversations:people")).content.decode()
    administrators = (
        client_for(cast.ada).get(reverse("conversations_admin:overview")).content.decode()
    )
    csv = client_for(cast.ada).get(reverse("conversations_admin:overview_csv")).content.decode()

    assert "Alice Andersen" in leaders
    for page in (leaders, administrators, csv):
        assert MARKER not in page
    for name in ("Alice", "Bob", "Lena", "Eve"):
        assert name not in administrators and name not in csv


def test_the_pages_take_as_many_queries_for_many_people_as_for_few(
    cast: Cast, client_for, clock
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader, administrator = client_for(cast.lena), client_for(cast.ada)
    pages = [
        (leader, reverse("conversations:people")),
        (administrator, reverse("conversations_admin:overview")),
    ]

    def queries() -> list[int]:
        counts = []
        for client, url in pages:
            client.get(url)  # the session's renewal is not the page's cost
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context.captured_queries))
        return counts

    # The worker has counted the whole organisation a minute ago.
    run_development_total(NOW - timedelta(minutes=1))
    before = queries()
    for person in _people(cast.team, 30, "p"):
        _held(cast, [person], Kind.MUS, NOW - timedelta(days=20))
        _planned(cast, person, Kind.ONE_ON_ONE, NOW + timedelta(days=3))
    after = queries()
    # Both: the session with its person and unread notifications. The leader's page:
    # whether she leads, her people, their threads with her; the administrator's: the units,
    # the counts of those shown, and the worker's count of the whole organisation.
    assert before == after == [4, 4], after


# --- The development records the administrator's overview counts ------------------------------


def _records() -> dict[int, tuple[datetime | None, datetime | None]]:
    return {
        record.user_id: (record.held_at, record.approved_at)
        for record in DevelopmentRecord.objects.all()
    }


def test_the_services_keep_the_records_that_a_rebuild_makes_from_the_conversations(
    cast: Cast,
) -> None:
    """A MUS approved by both, a later MUS without an approved summary, a GRUS, a 1:1 (which
    is no development conversation) and a free conversation of three without a leader: what
    the services recorded one by one is what a rebuild reads from the conversations."""
    carol = _people(cast.team, 1, "carol")[0]
    first = _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=200))
    services.summary_save(conversation=first, by=cast.lena, text="Plan", now=NOW)
    for person in (cast.lena, cast.alice):
        services.summary_approve(conversation=first, by=person, revision=1, now=NOW)
    _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=20))
    _held(cast, [cast.alice, cast.bob, carol], Kind.GRUS, NOW - timedelta(days=50))
    _held(cast, [cast.eve], Kind.ONE_ON_ONE, NOW - timedelta(days=2))

    kept = _records()

    alice_held = NOW - timedelta(days=20)
    assert kept == {
        cast.alice.pk: (alice_held, NOW - timedelta(days=200)),
        cast.bob.pk: (NOW - timedelta(days=50), None),
        carol.pk: (NOW - timedelta(days=50), None),
    }
    # The leader held them all: she had none as an employee.
    assert cast.lena.pk not in kept
    assert services.development_records_rebuild() == 3
    assert _records() == kept


def test_an_approved_summary_of_an_older_mus_does_not_move_the_record_back(cast: Cast) -> None:
    older = _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=300))
    newer = _held(cast, [cast.alice], Kind.MUS, NOW - timedelta(days=30))
    for conversation in (newer, older):
        services.summary_save(conversation=conversation, by=cast.lena, text="Plan", now=NOW)
        for person in (cast.lena, cast.alice):
            services.summary_approve(conversation=conversation, by=person, revision=1, now=NOW)

    assert _records() == {cast.alice.pk: (NOW - timedelta(days=30), NOW - timedelta(days=30))}
    services.development_records_rebuild()
    assert _records() == {cast.alice.pk: (NOW - timedelta(days=30), NOW - timedelta(days=30))}


# --- The administrator's tree ------------------------------------------------------------------


def _tree(cast: Cast) -> dict[str, Unit]:
    """Kommunen › Sekretariatet › Projekter › Team A › Gruppe 1: five levels."""
    projects = unit_create(actor=None, name="Projekter", parent=cast.team)
    team_a = unit_create(actor=None, name="Team A", parent=projects)
    group = unit_create(actor=None, name="Gruppe 1", parent=team_a)
    return {"projects": projects, "team_a": team_a, "group": group}


def test_the_tree_opens_on_the_top_unit_and_two_levels_below(cast: Cast) -> None:
    units = _tree(cast)
    [person] = _people(units["group"], 1, "g")
    _held(cast, [person], Kind.MUS, NOW - timedelta(days=3))

    overview = for_administrators_overview(NOW)

    assert [unit.name for unit in overview.units] == [
        "Kommunen",
        "Sekretariatet",
        "Projekter",
        "Økonomi",
    ]
    rows = {unit.name: unit for unit in overview.units}
    assert (rows["Kommunen"].children, rows["Kommunen"].open) == (2, True)
    assert (rows["Sekretariatet"].children, rows["Sekretariatet"].open) == (1, True)
    assert (rows["Projekter"].children, rows["Projekter"].open) == (1, False)
    assert (rows["Økonomi"].children, rows["Økonomi"].toggle) == (0, "")
    assert overview.count == 6
    # The whole organisation counts everyone, shown or not. Lena does not lead the group, so
    # the MUS had no leader and counts for both of them.
    assert (overview.total.people, overview.total.development_held) == (5, 2)

    opened = for_administrators_overview(
        NOW, open_ids={int(pk) for pk in rows["Projekter"].toggle.split(",")}
    )
    assert [unit.name for unit in opened.units][2:5] == ["Projekter", "Team A", "Økonomi"]
    deeper = for_administrators_overview(
        NOW, open_ids={cast.organisation.pk, cast.team.pk, units["projects"].pk, units["team_a"].pk}
    )
    group = next(unit for unit in deeper.units if unit.name == "Gruppe 1")
    assert (group.people, group.development_held, group.depth) == (1, 1, 4)


def test_closing_a_unit_closes_the_units_below_it(cast: Cast) -> None:
    units = _tree(cast)
    everything = {cast.organisation.pk, cast.team.pk, units["projects"].pk, units["team_a"].pk}

    overview = for_administrators_overview(NOW, open_ids=everything)

    rows = {unit.name: unit for unit in overview.units}
    assert rows["Sekretariatet"].toggle == str(cast.organisation.pk)
    assert rows["Kommunen"].toggle == ""
    # Nothing open: the top unit alone.
    assert [unit.name for unit in for_administrators_overview(NOW, open_ids=set()).units] == [
        "Kommunen"
    ]


def test_the_page_opens_and_closes_units_and_ignores_what_is_no_unit(
    cast: Cast, client_for, clock
) -> None:
    units = _tree(cast)
    client = client_for(cast.ada)
    url = reverse("conversations_admin:overview")

    page = client.get(url).content.decode()
    assert "Projekter" in page and "Team A" not in page
    assert 'aria-expanded="false"' in page
    assert "Organisationen har 6 enheder." in page

    opened = f"{cast.organisation.pk},{cast.team.pk},{units['projects'].pk}"
    page = client.get(url, {"open": opened}).content.decode()
    assert "Team A" in page and "Gruppe 1" not in page

    for nonsense in ("x", "-1", "99999", f"{units['group'].pk}", ",,;DROP", "1.5"):
        response = client.get(url, {"open": nonsense})
        assert response.status_code == 200
        assert "Sekretariatet" not in response.content.decode()


def test_the_csv_holds_every_unit_however_the_page_is_opened(cast: Cast, client_for, clock) -> None:
    units = _tree(cast)
    [person] = _people(units["group"], 1, "g")
    _held(cast, [person], Kind.MUS, NOW - timedelta(days=3))

    response = client_for(cast.ada).get(reverse("conversations_admin:overview_csv"))

    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 6
    assert "Gruppe 1;5;1;1;0" in lines
