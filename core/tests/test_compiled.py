"""Queries compiled once a process give what the ORM gives for every call's values, and refuse
to be compiled where a later call could get another call's values or the wrong SQL."""

from __future__ import annotations

import gc
import threading
import weakref
from contextlib import nullcontext
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from conftest import FROZEN_AT, Cast
from core.compiled import LONGEST_LIST, CompiledQuery, compiled_query
from organisation.models import Membership, Unit


def _memberships(user_id: int, joined_after: datetime) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            Q(user_id=user_id)
            | Q(unit__memberships__user_id=user_id, unit__memberships__role="leader"),
            user__date_joined__gt=joined_after,
        )
        .select_related("user", "unit")
        .order_by("pk")
        .distinct()
    )


def _memberships_in(unit_ids: list[int], user_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(unit_id__in=unit_ids).exclude(user_id=user_id).order_by("pk")


def _named(usernames: list[str]) -> QuerySet[User, str]:
    return (
        User.objects.filter(username__in=usernames)
        .order_by("username")
        .values_list("username", flat=True)
    )


memberships = compiled_query(_memberships)
memberships_in = compiled_query(_memberships_in)
named = compiled_query(_named)


def _joined(cast: Cast, **days_before: int) -> None:
    for username, days in days_before.items():
        User.objects.filter(username=username).update(date_joined=FROZEN_AT - timedelta(days=days))


def test_each_call_gets_its_own_values_with_the_related_rows(cast: Cast) -> None:
    _joined(cast, alice=10, bob=3, lena=30, eve=1)
    for user, after in [
        (cast.alice, FROZEN_AT - timedelta(days=20)),
        (cast.lena, FROZEN_AT - timedelta(days=20)),
        (cast.lena, FROZEN_AT - timedelta(days=40)),
        (cast.eve, FROZEN_AT - timedelta(days=2)),
        (cast.ada, FROZEN_AT),
    ]:
        got = memberships(user_id=user.pk, joined_after=after)
        assert got == list(_memberships(user.pk, after)), (user, after)
        # Each row's values converted as Django converts them (a date and time with its zone),
        # on the later calls too, which take the converters the first call worked out.
        assert [(m.user.username, m.user.date_joined, m.unit.name) for m in got] == [
            (m.user.username, m.user.date_joined, m.unit.name) for m in _memberships(user.pk, after)
        ]
        assert all(timezone.is_aware(m.user.date_joined) for m in got)
    led = memberships(user_id=cast.lena.pk, joined_after=FROZEN_AT - timedelta(days=40))
    assert {m.user.username for m in led} == {"alice", "bob", "lena"}


def test_a_value_the_statement_cannot_take_as_django_would_is_put_together_by_django(
    cast: Cast,
) -> None:
    _joined(cast, alice=10, bob=3, lena=30, eve=1)
    naive = FROZEN_AT.replace(tzinfo=None) - timedelta(days=20)
    for user_id, after in [
        (2**40, FROZEN_AT - timedelta(days=400)),  # beyond a 32-bit column
        (True, FROZEN_AT - timedelta(days=400)),  # a bool for a number
        (cast.lena.pk, naive),  # a date and time without its zone
    ]:
        with pytest.warns(RuntimeWarning) if after is naive else nullcontext():
            got = memberships(user_id=user_id, joined_after=after)
        with pytest.warns(RuntimeWarning) if after is naive else nullcontext():
            assert got == list(_memberships(user_id, after)), (user_id, after)
    assert named(usernames=["alice", None]) == ["alice"]


_BUILT: list[int] = []


def _counting(user_id: int, joined_after: datetime) -> QuerySet[Membership]:
    _BUILT.append(user_id)
    return _memberships(user_id, joined_after)


def test_a_call_runs_one_query_and_builds_nothing(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    _BUILT.clear()
    query = CompiledQuery(_counting)
    for user in (cast.alice, cast.bob, cast.eve):
        with django_assert_num_queries(1):
            query(user_id=user.pk, joined_after=FROZEN_AT - timedelta(days=400))
    # The model once, then the two builds that prepare the statement; no call after builds.
    assert len(_BUILT) == 3


def test_a_list_of_ids_is_compiled_for_each_length(cast: Cast) -> None:
    units = [cast.team.pk, cast.other_team.pk, cast.organisation.pk]
    for unit_ids in ([], units[:1], units[1:2], units, [*units, cast.team.pk], units[::-1]):
        for user in (cast.alice, cast.eve):
            got = memberships_in(unit_ids=unit_ids, user_id=user.pk)
            assert got == list(_memberships_in(unit_ids, user.pk)), (unit_ids, user)
    assert [m.user.username for m in memberships_in(unit_ids=units, user_id=cast.bob.pk)] == [
        "alice",
        "lena",
        "eve",
    ]
    # Past the longest list compiled, the query is put together as Django does.
    many = [*units, *range(-LONGEST_LIST, 0)]
    assert memberships_in(unit_ids=many, user_id=cast.bob.pk) == list(
        _memberships_in(many, cast.bob.pk)
    )
    assert {key[1] for key in memberships_in._statements} == {(0,), (1,), (3,), (4,)}
    for usernames in ([], ["eve"], ["lena", "alice", "nobody"], ["bob", "bob"]):
        assert named(usernames=usernames) == list(_named(usernames)), usernames
    assert named(usernames=["lena", "alice", "nobody"]) == ["alice", "lena"]


def _units_at(depth: int) -> QuerySet[Unit]:
    return Unit.objects.filter(depth=depth).order_by("pk")


units_at = compiled_query(_units_at)


def test_a_value_for_a_small_integer_column_is_compiled(cast: Cast) -> None:
    # Django compiles a comparison with a number beyond the column's range to nothing: the
    # values a query is built with must fit the smallest integer column.
    for depth in (0, 1, 2):
        assert units_at(depth=depth) == list(_units_at(depth))
    assert units_at(depth=1) == [cast.team, cast.other_team]


def _in_nothing(unit_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(pk=unit_id, depth__in=[])


def test_a_query_that_compiles_to_nothing_is_refused(db: None) -> None:
    # It would answer nothing for every later call; only an empty list given may do that.
    with pytest.raises(ImproperlyConfigured):
        CompiledQuery(_in_nothing)(unit_id=1)


def test_a_call_names_exactly_the_values(cast: Cast) -> None:
    with pytest.raises(TypeError):
        memberships(user_id=cast.alice.pk)
    with pytest.raises(TypeError):
        memberships(user_id=cast.alice.pk, joined_after=FROZEN_AT, role="member")


def _worked_out(user_id: int, now: datetime) -> QuerySet[User]:
    return User.objects.filter(pk=user_id, date_joined__gte=now - timedelta(days=7))


def _pattern(name: str) -> QuerySet[User]:
    return User.objects.filter(first_name__icontains=name)


def _list_of(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(range(len(str(user_id)))))


def _shape(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id) if user_id % 2 else User.objects.exclude(pk=user_id)


def _reads(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(User.objects.filter(pk=user_id)))


def _exactly_but_case(name: str) -> QuerySet[User]:
    return User.objects.filter(first_name__iexact=name.strip())


def _in_the_readers_zone(day: date) -> QuerySet[User]:
    return User.objects.filter(date_joined__date=day)


def _today(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id, date_joined__date__lte=timezone.localdate())


def _in_the_language(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id, job_title=gettext("Only me"))


@pytest.mark.parametrize(
    "build",
    [
        _worked_out,
        _pattern,
        _list_of,
        _shape,
        _reads,
        _exactly_but_case,
        _in_the_readers_zone,
        _today,
        _in_the_language,
    ],
)
def test_a_value_worked_out_or_changing_the_sql_is_refused(db: None, build: object) -> None:
    query: CompiledQuery[Any] = CompiledQuery(build)  # type: ignore[arg-type]
    values: dict[str, Any] = {name: FROZEN_AT if name == "now" else 1 for name in query._names}
    if "name" in values:
        values["name"] = "al"
    if "day" in values:
        values["day"] = FROZEN_AT.date()
    with pytest.raises(ImproperlyConfigured):
        query(**values)


def test_only_a_module_level_function_with_typed_values_is_compiled() -> None:
    user_id = 1

    def closure() -> QuerySet[User]:
        return User.objects.filter(pk=user_id)

    def untyped(user_id):
        return User.objects.filter(pk=user_id)

    for build in (closure, untyped, lambda: User.objects.all()):
        with pytest.raises(ImproperlyConfigured):
            compiled_query(build)


@pytest.mark.django_db(transaction=True)  # what the test wrote, the other thread reads
def test_a_statement_prepared_in_one_thread_runs_in_another(cast: Cast) -> None:
    # A server with threads prepares a statement in one and runs it in every other, each
    # with its own connection.
    _joined(cast, alice=10)
    memberships(user_id=cast.alice.pk, joined_after=FROZEN_AT - timedelta(days=400))
    found: list[object] = []

    def elsewhere() -> None:
        try:
            found.append(
                memberships(user_id=cast.alice.pk, joined_after=FROZEN_AT - timedelta(days=20))
            )
        except Exception as error:
            found.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    expected = list(_memberships(cast.alice.pk, FROZEN_AT - timedelta(days=20)))
    assert found == [expected]
    assert len(expected) == 1
    # Converted by the thread's own connection, as Django would.
    assert found[0][0].user.date_joined == expected[0].user.date_joined  # type: ignore[index]


@pytest.mark.django_db(transaction=True)
def test_a_threads_connection_and_what_it_keeps_go_with_the_thread(cast):
    # The converters a connection worked out for a statement are kept on it (on SQLite, its
    # backend's methods for dates and times): nothing outside keeps the connection alive.
    _joined(cast, alice=10)
    kept: list[weakref.ref[object]] = []

    def elsewhere() -> None:
        memberships(user_id=cast.alice.pk, joined_after=FROZEN_AT - timedelta(days=20))
        memberships(user_id=cast.alice.pk, joined_after=FROZEN_AT - timedelta(days=20))
        kept.append(weakref.ref(connections["default"]))
        connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert kept and kept[0]() is None


def _awkward_constants(user_id: int) -> QuerySet[User, str]:
    # Constants of every kind the statement may write into its SQL: a text with a quote, a
    # percent sign and a backslash, a LIKE pattern, a negative number, a truth value.
    return (
        User.objects.filter(Q(pk=user_id) | Q(last_name="O'Brien 100% \\ sure"))
        .filter(is_active=True, username__contains="a", pk__gt=-5)
        .exclude(first_name__startswith="%_")
        .order_by("username")
        .values_list("username", flat=True)
    )


awkward_constants = compiled_query(_awkward_constants)


def test_the_constants_of_a_statement_are_written_into_its_sql_on_postgresql(
    cast: Cast,
) -> None:
    User.objects.create(username="obrian", last_name="O'Brien 100% \\ sure")
    User.objects.create(username="obrian2", last_name="O'Brien 100% \\ sure", is_active=False)
    User.objects.create(username="percent", first_name="%_x", last_name="O'Brien 100% \\ sure")
    for user in (cast.alice, cast.bob, cast.lena):
        assert awkward_constants(user_id=user.pk) == list(_awkward_constants(user.pk))
    assert awkward_constants(user_id=cast.alice.pk) == ["alice", "obrian"]
    [statement] = awkward_constants._statements.values()
    if connections[statement.alias].vendor == "postgresql":
        # PostgreSQL's generic plan for a prepared statement sees what is written in its SQL,
        # not its parameters: only the call's value is one.
        assert len(statement.params) == 1
        assert "'O''Brien 100%% \\ sure'" in statement.sql and "(-5)" in statement.sql
    else:
        assert len(statement.params) > 1
