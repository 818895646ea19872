"""Queries compiled once a process, for the reads a busy page repeats on every request.

Django builds a query (`filter`, `Q`, the access layer's conditions) and compiles it to SQL
afresh every time it runs. On the pages that gather, that is more of the request than the
database's work and more than the template's: on the leader's week, its 39 queries were half
of the profile in building and compiling alone. A query whose SQL is the same on every request,
only its values changing, is built and compiled here once a process and database, and each
request puts its values into the statement and runs it. On PostgreSQL the statement's
constants are written into its SQL, and only the values are parameters, so that the plan the
server keeps for a prepared statement knows them.

    @compiled_query
    def _shared_in_week(reader_id: int, week: date) -> QuerySet[CheckIn]:
        return CheckIn.objects.visible_to(reader(reader_id)).filter(week=week)

    checkins = _shared_in_week(reader_id=user.pk, week=week)  # a list

The build function takes only values, each typed `int`, `str`, `date`, `datetime`,
`list[int]` or `list[str]` (for `__in`: one statement for each length, up to LONGEST_LIST),
and returns a queryset; calling the compiled query with those values returns the list the
queryset would give. What may change from one call to the next must be one of those values:
the query is built twice, from two sets of values as unlike each other as values can be, and
the preparation fails when the SQL is not the same both times (an `if` on a value) or when
a parameter differs between the two builds and is not one of the values as the database
takes it (a value worked out from one: `now - timedelta(...)`, a `LIKE` pattern). Work such
values out before the call and pass them in. A value the function finds anywhere else would
be kept for every later call: the function must be a plain module-level function (not a
closure), may not run a query, and is built in two time zones and languages (the product's
two), which is checked. It must not read the clock either, which is not checked: under a
test's frozen clock the two builds read the same moment and the statement keeps it, in
production they differ and the query is refused on its first call. Nor may it read a
module-level variable that changes.

A call's value the statement cannot take as Django would (None, a number beyond 32 bits, a
date and time without its zone, a longer list) is put together by Django as usual.

The access layer's `visible_to(user)` depends on the reader's id alone, for a reader who may
read at all (`core.access.can_read`); `reader(id)` is such a reader for a build function, and
the caller checks `can_read` for the person it stands for. `organisation`'s units, whose
visibility depends on being an administrator, are not for this."""

from __future__ import annotations

import copy
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone, translation

T = TypeVar("T")

# Two values of each kind for the `k`th value, unlike each other in every way a build might
# work something out from one: odd and even, four digits and five, spaced by another step (so
# that `value + 1` is never another value), text of other lengths and cases with what LIKE
# and escaping change, another year, month, weekday and hour, and a date never the day of a
# date and time. Yet of the kind a real call passes (ids above zero, dates of this century),
# so that a build takes the branches a real call takes. Numbers stay within a small integer
# column's range: Django compiles a comparison with a number beyond a column's range to
# nothing. The builds are compiled, never run: no row is looked for with them.
_SENTINELS: dict[type, tuple[Callable[[int], Any], Callable[[int], Any]]] = {
    int: (lambda k: 1001 + 2 * k, lambda k: 16002 + 6 * k),
    str: (lambda k: f" Compiled_%\\Æ-{k} ", lambda k: f"ØTHER%_\\x-{k}-B"),
    date: (
        lambda k: date(2031, 5, 14) + timedelta(days=k),
        lambda k: date(2044, 11, 26) + timedelta(days=3 * k),
    ),
    datetime: (
        lambda k: datetime(2033, 2, 9, 8, 17, 23, 456789, tzinfo=UTC) + timedelta(hours=k),
        lambda k: datetime(2046, 8, 3, 21, 42, 5, 123456, tzinfo=UTC) + timedelta(hours=5 * k),
    ),
}
# Each build runs in a time zone and a language of its own (the zones a day apart whenever it
# is built), so that a build whose query depends on the zone or the language gives a value
# that differs between the two and is refused, rather than one kept for good.
_SETTINGS = (("Pacific/Pago_Pago", "da"), ("Pacific/Kiritimati", "en"))
# The most values a query takes, so that the numbers stay in range (k below 2,750).
MOST_VALUES = 50


# The kinds by the names a module with `from __future__ import annotations` gives them. A list
# (`list[int]`, `list[str]`, for `__in`) is compiled once for each length it comes in.
_ITEMS: dict[Any, type] = {
    "list[int]": int,
    list[int]: int,
    "list[str]": str,
    list[str]: str,
}
_KINDS: dict[Any, type] = (
    {kind.__name__: kind for kind in _SENTINELS}
    | {kind: kind for kind in _SENTINELS}
    | dict.fromkeys(_ITEMS, list)
)
# A longer list is not compiled but put together as Django does, so that the statements kept
# stay few.
LONGEST_LIST = 49


def _fits(kind: type, value: Any) -> bool:
    """Whether a call's value is one the compiled statement takes as Django would: exactly of
    its kind, an int in a 32-bit column's range, a date and time with its zone. Anything else
    (None, a date and time for a date, a bool for a number, a naive date and time) is put
    together by Django as usual, which converts or refuses it."""
    if kind is int:
        return type(value) is int and -(2**31) <= value < 2**31
    if kind is datetime:
        return type(value) is datetime and value.utcoffset() is not None
    return type(value) is kind


# How the backend writes a date or a date and time (text on SQLite, unchanged on PostgreSQL):
# the name of its method, looked up on each call's own connection.
_ADAPTERS = {date: "adapt_datefield_value", datetime: "adapt_datetimefield_value"}


def _adapters(kind: type) -> list[str | None]:
    """The ways a value of `kind` may reach the database's parameters: as it is (None), or as
    the backend writes it."""
    return [None, _ADAPTERS[kind]] if kind in _ADAPTERS else [None]


def _adapted(alias: str, adapter: str | None, value: Any) -> Any:
    return value if adapter is None else getattr(connections[alias].ops, adapter)(value)


@dataclass(frozen=True)
class _Statement:
    alias: str
    queryset: QuerySet[Any]
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    # Where each value goes: (index in the parameters, the value's name, its place in the
    # value when the value is a list, how the backend writes it).
    slots: tuple[tuple[int, str, int | None, str | None], ...]
    # The SQL matches nothing (an empty list for `__in`): Django runs no query for it.
    empty: bool = False


class CompiledQuery(Generic[T]):
    """A query built and compiled once a process and database; see the module's docstring."""

    def __init__(self, build: Callable[..., QuerySet[Any, T]]) -> None:
        if build.__closure__ or "<locals>" in build.__qualname__:
            raise ImproperlyConfigured(
                f"{build.__qualname__}: a compiled query's function must be module-level, so "
                "that no variable of a caller goes into it."
            )
        parameters = inspect.signature(build).parameters
        if len(parameters) > MOST_VALUES:
            raise ImproperlyConfigured(f"{build.__qualname__}: at most {MOST_VALUES} values.")
        self._names = tuple(parameters)
        self._kinds: dict[str, type] = {}
        self._items: dict[str, type] = {}
        for name, parameter in parameters.items():
            kind = _KINDS.get(parameter.annotation)
            if kind is None:
                raise ImproperlyConfigured(
                    f"{build.__qualname__}: the value {name!r} must be typed int, str, date, "
                    "datetime, list[int] or list[str]."
                )
            self._kinds[name] = kind
            if kind is list:
                self._items[name] = _ITEMS[parameter.annotation]
        self._build = build
        self._model: Any = None
        self._lists = tuple(name for name in self._names if self._kinds[name] is list)
        self._statements: dict[tuple[str, tuple[int, ...]], _Statement] = {}
        self._lock = threading.Lock()
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__

    def __call__(self, **values: Any) -> list[T]:
        if set(values) != set(self._names):
            raise TypeError(f"{self.__name__} takes exactly {', '.join(self._names)}")
        if not all(self._takes(name, value) for name, value in values.items()):
            return list(self._build(**values))
        lengths = tuple(len(values[name]) for name in self._lists)
        if self._model is None:
            with self._guarded(0):
                self._model = self._built(0, dict.fromkeys(self._lists, 1)).model
        alias = router.db_for_read(self._model)
        statement = self._statement(alias, lengths)
        if statement.empty:
            return []
        params = list(statement.params)
        for index, name, place, adapter in statement.slots:
            value = values[name] if place is None else values[name][place]
            params[index] = _adapted(alias, adapter, value)
        return list(_run(statement, tuple(params)))

    def _takes(self, name: str, value: Any) -> bool:
        kind = self._kinds[name]
        if kind is not list:
            return _fits(kind, value)
        return (
            type(value) is list
            and len(value) <= LONGEST_LIST
            and all(_fits(self._items[name], item) for item in value)
        )

    def _statement(self, alias: str, lengths: tuple[int, ...]) -> _Statement:
        key = (alias, lengths)
        statement = self._statements.get(key)
        if statement is None:
            with self._lock:
                statement = self._statements.get(key) or self._prepare(
                    alias, dict(zip(self._lists, lengths, strict=True))
                )
                self._statements[key] = statement
        return statement

    def _sentinel(self, which: int, n: int, name: str, lengths: dict[str, int]) -> Any:
        """The `which` (0 or 1) build's value for the `n`th value, `name`."""
        kind = self._kinds[name]
        if kind is list:
            make = _SENTINELS[self._items[name]][which]
            return [make(MOST_VALUES * (n + 1) + place) for place in range(lengths[name])]
        return _SENTINELS[kind][which](n)

    def _built(self, which: int, lengths: dict[str, int]) -> QuerySet[Any, T]:
        return self._build(
            **{name: self._sentinel(which, n, name, lengths) for n, name in enumerate(self._names)}
        )

    def _compiled(
        self, which: int, alias: str, lengths: dict[str, int]
    ) -> tuple[QuerySet[Any, T], Any, tuple[str, tuple[Any, ...]] | None]:
        """The `which` build, its compiler and what it compiles to (None for nothing), built
        and compiled in the build's own time zone and language, with no query allowed."""
        with self._guarded(which):
            queryset = self._built(which, lengths).using(alias)
            compiler = queryset.query.get_compiler(using=alias)
            return queryset, compiler, _as_sql(compiler)

    @contextmanager
    def _guarded(self, which: int) -> Iterator[None]:
        """While the `which` build is made and compiled: its own time zone and language, and
        no query."""
        zone, language = _SETTINGS[which]
        with ExitStack() as stack:
            stack.enter_context(timezone.override(zone))
            stack.enter_context(translation.override(language))
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(self._no_query))
            yield

    def _no_query(self, *args: Any) -> Any:
        # What a build reads from the database would be kept for every later call.
        raise ImproperlyConfigured(
            f"{self.__name__}: the function ran a query while building its own; a compiled "
            "query's function only puts one together."
        )

    def _prepare(self, alias: str, lengths: dict[str, int]) -> _Statement:
        (queryset, compiler, compiled), (_, _, other) = (
            self._compiled(which, alias, lengths) for which in (0, 1)
        )
        # The statement keeps no connection: each call runs it on its own thread's.
        compiler.connection = None
        if compiled is None and other is None and 0 in lengths.values():
            # Django runs no query for an empty list to look in.
            return _Statement(alias, queryset, compiler, "", (), (), empty=True)
        if compiled is None or other is None:
            # For anything else, the statement would answer nothing for every later call.
            raise ImproperlyConfigured(
                f"{self.__name__}: the query compiles to nothing for the values it was built "
                "with; only an empty list may make it so."
            )
        (sql, params), (other_sql, other_params) = compiled, other
        if sql != other_sql:
            raise ImproperlyConfigured(
                f"{self.__name__}: the SQL changes with the values; only what the SQL compares "
                "with may change between calls."
            )
        slots = []
        for index, (one, another) in enumerate(zip(params, other_params, strict=True)):
            if one == another:
                continue
            slot = self._slot(alias, lengths, one, another)
            if slot is None:
                raise ImproperlyConfigured(
                    f"{self.__name__}: parameter {index} ({one!r}) is worked out from a value; "
                    "work it out before the call and pass it in."
                )
            slots.append((index, *slot))
        if _quotes_as_written(alias):
            sql, params, slots = _constants_written(sql, params, slots)
        return _Statement(alias, queryset, compiler, sql, params, tuple(slots))

    def _slot(
        self, alias: str, lengths: dict[str, int], one: Any, other: Any
    ) -> tuple[str, int | None, str | None] | None:
        """Which value (and which of a list's) a parameter is, and how the database takes it,
        or None."""
        for n, name in enumerate(self._names):
            first, second = (self._sentinel(which, n, name, lengths) for which in (0, 1))
            if self._kinds[name] is list:
                for place, (a, b) in enumerate(zip(first, second, strict=True)):
                    if a == one and b == other:
                        return name, place, None
                continue
            for adapter in _adapters(self._kinds[name]):
                written = (_adapted(alias, adapter, first), _adapted(alias, adapter, second))
                if written == (one, other):
                    return name, None, adapter
        return None


def _constants_written(
    sql: str, params: tuple[Any, ...], slots: list[tuple[int, str, int | None, str | None]]
) -> tuple[str, tuple[Any, ...], list[tuple[int, str, int | None, str | None]]]:
    """The statement with its constants (what the build function wrote itself: a status, a
    role, a visibility, `1` for "exists") written into its SQL, so that the plan PostgreSQL
    keeps for a prepared statement knows them. Given as parameters, a constant is a value
    PostgreSQL's generic plan cannot see: it estimated "status = $3" as any status, judged
    the generic plan dearer than planning for the values, and planned the statement anew on
    every run (0.2 to 0.6 ms each on Min side's reads). Only the call's values stay
    parameters. Django writes a parameter as %s and a percent sign as %%."""
    if sum(match.group(0) == "%s" for match in _PLACEHOLDER.finditer(sql)) != len(params):
        return sql, params, slots
    variable = {slot[0] for slot in slots}
    kept: list[Any] = []
    moved: dict[int, int] = {}
    parts = iter(range(len(params)))

    def placeholder(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%%"
        index = next(parts)
        written = None if index in variable else _literal(params[index])
        if written is None:
            moved[index] = len(kept)
            kept.append(params[index])
            return "%s"
        return written.replace("%", "%%")

    written = _PLACEHOLDER.sub(placeholder, sql)
    return written, tuple(kept), [(moved[slot[0]], *slot[1:]) for slot in slots]


_PLACEHOLDER = re.compile("%%|%s")


def _quotes_as_written(alias: str) -> bool:
    """Whether the database is PostgreSQL reading a quoted text as it is written, backslashes
    too (`standard_conforming_strings`, on unless an operator turns it off): only then are
    constants written into the SQL."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    status = connection.connection.info.parameter_status("standard_conforming_strings")
    return bool(status == "on")


def _literal(value: Any) -> str | None:
    """A constant as PostgreSQL's SQL writes it, or None for one left a parameter (a date, a
    number with decimals, a list: kinds whose type a literal would have to spell out). A text
    is quoted with its quotes doubled, its backslashes as they are (`_quotes_as_written`); a
    NUL character PostgreSQL refuses either way. A choice (a text or number enum) is written
    as its value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        number = int(value)
        return str(number) if number >= 0 else f"({number})"
    if isinstance(value, str):
        return "'" + str.__str__(value).replace("'", "''") + "'"
    return None


def _as_sql(compiler: Any) -> tuple[str, tuple[Any, ...]] | None:
    """The compiler's SQL and parameters, or None for a query Django runs no SQL for."""
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


# The attribute of a connection that keeps its converters for each statement (by its id: the
# statements live as long as the process).
_CONVERTERS = "_sparring_compiled_converters"


def _run(statement: _Statement, params: tuple[Any, ...]) -> QuerySet[Any]:
    """The prepared queryset, evaluated by Django's own iterables (model instances with their
    related rows, values, flat values), from the statement with this call's parameters.

    Each call gets its own queryset (for its results) and compiler (for its connection and
    parameters), both shallow copies: the iterables only read the query they share, and
    Django's chaining would have copied its every part. The result is only ever listed
    (`CompiledQuery.__call__`). The converters of the rows' values, which Django worked out
    afresh for each run, are kept on the connection for each statement: they are its own
    (methods of its backend), and go with it."""
    template = statement.queryset
    connection = connections[statement.alias]  # Django's connections are one a thread
    compiler = copy.copy(statement.compiler)
    compiler.connection = connection
    compiler.as_sql = lambda *args, **kwargs: (statement.sql, params)
    django_converters = compiler.get_converters

    def converters(expressions: list[Any]) -> Any:
        kept = connection.__dict__.setdefault(_CONVERTERS, {})
        known = kept.get(id(statement))
        if known is None:
            # Django's own for the rest of this run (it asks itself again for the columns of
            # a composite key).
            compiler.get_converters = django_converters
            known = kept[id(statement)] = django_converters(expressions)
        return known

    compiler.get_converters = converters
    query = copy.copy(template.query)
    query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
    # A queryset as `_chain` makes one, but for the query: the statement's queryset is never
    # evaluated, so it holds no results to copy.
    queryset: QuerySet[Any] = object.__new__(type(template))
    queryset.__dict__ = {**template.__dict__, "_query": query}
    return queryset


def compiled_query(build: Callable[..., QuerySet[Any, T]]) -> CompiledQuery[T]:
    """Compiles the query `build` makes once a process and database; see the module."""
    return CompiledQuery(build)
