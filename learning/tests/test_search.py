"""Search in learning, on the database the suite runs on (CI runs it on SQLite and on
PostgreSQL): any form of a Danish word finds the others, a query is words and never syntax,
the index follows every change, and nothing a person may not read is ever returned."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from learning import search, services
from learning.models import Entry, EntryKind
from learning.search import entries_found
from learning.services import EntryText

pytestmark = pytest.mark.usefixtures("clock", "matches")


@pytest.fixture(params=["few", "many"])
def matches(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test with both of SQLite's ways to search: trying the access rules on every
    match (few matches), and the matches on every entry the reader may read (many)."""
    if request.param == "many":
        monkeypatch.setattr(search, "MANY_MATCHES", 0)


NOW = FROZEN_AT


def _entry(cast: Cast, learned: str, **extra: Any) -> Entry:
    owner = extra.pop("owner", cast.alice)
    return services.entry_create(
        owner=owner,
        text=EntryText(
            kind=EntryKind.SPARRING,
            title=extra.pop("title", "Sparring med Økonomi"),
            happened_on=NOW.date() - timedelta(days=1),
            learned=learned,
            **extra,
        ),
        now=NOW,
    )


def _found(person: Any, query: str) -> set[int]:
    return set(entries_found(person, query).values_list("pk", flat=True))


def test_any_form_of_a_danish_word_finds_the_others(cast: Cast) -> None:
    entry = _entry(cast, "Et godt samarbejde kræver, at man aftaler, hvem der gør hvad.")
    other = _entry(cast, "Budgettet for 2027.", title="Budget")
    assert _found(cast.alice, "samarbejdet") == {entry.pk}
    assert _found(cast.alice, "Samarbejder") == {entry.pk}
    assert _found(cast.alice, "aftalen") == {entry.pk}
    # Every word must be there.
    assert _found(cast.alice, "samarbejde budget") == set()
    assert _found(cast.alice, "budgetter") == {other.pk}
    # The title and what others can use are searched too.
    assert _found(cast.alice, "økonomi") == {entry.pk}


def test_nothing_the_reader_may_not_read_is_returned(cast: Cast) -> None:
    private = _entry(cast, "Samarbejde 1", visibility=Visibility.PRIVATE)
    team = _entry(cast, "Samarbejde 2", visibility=Visibility.TEAM)
    named = _entry(cast, "Samarbejde 3", visibility=Visibility.SHARED, shared_with=[cast.eve])
    everyone = _entry(cast, "Samarbejde 4", visibility=Visibility.ORGANISATION)
    expected = {
        cast.alice: {private.pk, team.pk, named.pk, everyone.pk},
        cast.bob: {team.pk, everyone.pk},
        cast.lena: {team.pk, everyone.pk},
        cast.eve: {named.pk, everyone.pk},
        cast.ada: {everyone.pk},
    }
    for person, entries in expected.items():
        assert _found(person, "samarbejdet") == entries, person.username
        # The same as the access layer's answer, whatever the query.
        readable = set(Entry.objects.visible_to(person).values_list("pk", flat=True))
        assert _found(person, "samarbejde") <= readable
    cast.bob.is_active = False
    cast.bob.save()
    assert _found(cast.bob, "samarbejde") == set()


@pytest.mark.parametrize(
    "query",
    [
        "samarbejde AND NOT x",
        'samarbejde "',
        "NEAR(samarbejde",
        "samarbejde*",
        "-samarbejde",
        "search_stems:samarbejde",
        "'; DROP TABLE learning_entry; --",
        "samarbejde " * 60,
    ],
)
def test_a_query_is_words_and_never_syntax(cast: Cast, query: str) -> None:
    entry = _entry(cast, "Samarbejde på tværs.")
    found = _found(cast.alice, query)
    assert found <= {entry.pk}
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("query", ["", "   ", "!!!", "—"])
def test_a_query_without_words_finds_nothing(cast: Cast, query: str) -> None:
    _entry(cast, "Samarbejde.")
    assert _found(cast.alice, query) == set()


def test_the_index_follows_every_change(cast: Cast) -> None:
    entry = _entry(cast, "Om samarbejde.")
    services.entry_update(
        entry=entry,
        by=cast.alice,
        text=EntryText(
            kind=EntryKind.SPARRING,
            title="Om budgetter",
            happened_on=entry.happened_on,
            learned="Budgettet.",
        ),
        now=NOW,
    )
    assert _found(cast.alice, "samarbejde") == set()
    assert _found(cast.alice, "budgetterne") == {entry.pk}
    services.entry_delete(entry=entry, by=cast.alice)
    assert _found(cast.alice, "budgetterne") == set()
    # Written past the services (an import, a script), the index follows too.
    made = Entry.objects.create(
        owner=cast.alice,
        kind=EntryKind.OTHER,
        title="Netværksmøde",
        happened_on=NOW.date(),
        learned="Netværket mødes kvartalsvis.",
    )
    assert _found(cast.alice, "netværket") == {made.pk}


def test_the_database_has_its_index(db: None) -> None:
    """The index search needs is there after every migration (on SQLite, a migration that
    rebuilds the table would drop its triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'learning_entry_search_danish'"
            )
            (definition,) = cursor.fetchone()
            assert "to_tsvector('danish'::regconfig, search_document)" in definition
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'learning_entry' "
                "AND type = 'trigger' ORDER BY name"
            )
            triggers = [row[0] for row in cursor.fetchall()]
            assert triggers == [
                "learning_entry_fts_delete",
                "learning_entry_fts_insert",
                "learning_entry_fts_update",
            ]


def test_the_search_page(cast: Cast, client_for: Any, django_assert_num_queries: Any) -> None:
    _entry(cast, "Et godt samarbejde.", title="Samarbejde med Økonomi")
    _entry(cast, "Kun til mig: samarbejde.", title="Privat", visibility=Visibility.PRIVATE)
    bob = client_for(cast.bob)
    url = reverse("learning:search")
    bob.get(url)
    page = html.unescape(bob.get(url, {"q": "samarbejdet"}).content.decode())
    assert "Samarbejde med Økonomi" in page
    assert "Fundet for “samarbejdet”, nyeste først" in page
    assert "Privat" not in page
    nothing = html.unescape(bob.get(url, {"q": "bordtennis"}).content.decode())
    assert "Intet fundet for “bordtennis”" in nothing
    # The session with its person and the menu's unread count, the ids of the newest entries
    # found (no count) and those entries, and the current framework's areas; also, for the
    # planner, the reader's colleagues on PostgreSQL (learning.search._readable_at_all) and on
    # SQLite whether many entries match (learning.search.many_match).
    with django_assert_num_queries(5):
        assert bob.get(url, {"q": "samarbejdet"}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_search_is_planned_for_its_words_each_time(cast: Cast, client_for: Any) -> None:
    """Other statements are prepared after five runs; the search's never is, so PostgreSQL
    never keeps a generic plan for it (core.planner)."""
    _entry(cast, "Et godt samarbejde.", title="Samarbejde med Økonomi")
    bob = client_for(cast.bob)
    for _ in range(7):
        assert bob.get(reverse("learning:search"), {"q": "samarbejdet"}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("accounts_session" in statement for statement in prepared)
    assert not any("to_tsvector" in statement for statement in prepared)
