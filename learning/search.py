"""Search in learning entries, in Danish, on both databases, and only through the access layer:
a query never returns an entry its reader may not read.

- PostgreSQL: full-text search with the `danish` configuration over `search_document` (the
  entry's title and texts), with a GIN index on the same expression (migration 0002).
- SQLite: FTS5 over `search_stems`, the same words stemmed by Snowball's Danish stemmer,
  kept in step with the table by triggers (migration 0002).

Both stem, so "samarbejdet" finds "samarbejde"."""

from __future__ import annotations

import re

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.models import User
from core.access import Visibility, colleague_ids, id_list
from learning.models import Entry

_STEMMER = snowballstemmer.stemmer("danish")
_WORD = re.compile(r"\w+", re.UNICODE)
# A query's longest part that is searched (a longer one is cut, not refused).
QUERY_LENGTH = 200


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def stems_of(text: str) -> str:
    """The text's words, lower-case and stemmed, separated by spaces."""
    return " ".join(_STEMMER.stemWords(words_of(text)))


def document_of(*texts: str) -> str:
    return "\n".join(text for text in texts if text)


def _readable_at_all(user: User) -> Q:
    """A condition implied by `visible_to`, for PostgreSQL's planner: shared with more than
    the teams, or written by the reader or a colleague, with the colleagues as a list (one
    query). `visible_to` still decides; ANDed with it this changes no result, but lets the
    planner find a reader's team entries by their owner's index instead of reading every team
    entry that matches the words (on the municipal demo: 37 ms against 15 ms for the query)."""
    people = [user.pk, *id_list(colleague_ids(user))]
    shared_wider = [Visibility.ORGANISATION, Visibility.SHARED, Visibility.LEADER]
    return Q(visibility__in=shared_wider) | Q(owner_id__in=people)


def entries_found(user: User, query: str) -> QuerySet[Entry]:
    """The entries `user` may read whose words match every word of `query`, newest first;
    none for a query without words."""
    query = query[:QUERY_LENGTH]
    readable = Entry.objects.visible_to(user)
    if not words_of(query):
        return readable.none()
    if connection.vendor == "postgresql":
        matches = RawSQL(
            'to_tsvector(\'danish\'::regconfig, "learning_entry"."search_document") '
            "@@ plainto_tsquery('danish'::regconfig, %s)",
            [query],
            output_field=BooleanField(),
        )
        return readable.filter(matches).filter(_readable_at_all(user))
    expression = fts_expression(query)
    return readable.filter(fts_matches(expression, many=many_match(expression)))


def fts_expression(query: str) -> str:
    """SQLite: the query's words for FTS5, each stem a quoted string, so that no word is read as
    FTS5's own syntax (AND, NOT, NEAR, a column name), and all must be there; "" for none."""
    return " ".join(f'"{stem}"' for stem in stems_of(query[:QUERY_LENGTH]).split())


_ROWS = "SELECT rowid FROM learning_entry_fts WHERE learning_entry_fts MATCH %s"


def fts_matches(expression: str, *, many: bool) -> Q | RawSQL:
    """SQLite: the condition that an entry matches `expression`, for few matches or `many`."""
    if not many:
        return Q(pk__in=RawSQL(_ROWS, [expression]))  # noqa: S611 (no input)
    # The unary plus takes the list of matches out of SQLite's choice of index (its documented
    # way to), so that it reads the entries the reader may read along their indexes and tries
    # each against the matches.
    return RawSQL(  # noqa: S611 (no input in it: the words are a parameter)
        f'+"learning_entry"."id" IN ({_ROWS})', [expression], output_field=BooleanField()
    )


# Beyond this many matching entries, reading every match and trying the access rules on each
# costs more than reading what the reader may read and trying each against the matches: on the
# municipal demo, a word in 24,000 of 120,000 entries took 35 ms the first way and 15 ms the
# second, a word in none 3 ms and 10 ms.
MANY_MATCHES = 2000


def many_match(expression: str) -> bool:
    """SQLite: whether more than MANY_MATCHES entries match: counted up to one more, in a
    tenth of a millisecond."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM ({_ROWS} LIMIT %s)",  # noqa: S608 (no input in it)
            [expression, MANY_MATCHES + 1],
        )
        (found,) = cursor.fetchone()
    return bool(found > MANY_MATCHES)
