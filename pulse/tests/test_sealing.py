"""Sealing leaves no trace: after the worker seals a round, nothing in the database files
still orders or links its answers. Read from the raw bytes: SQLite's database and `-wal`
files with a second connection held open while people answer, and PostgreSQL's pages through
pageinspect. Every time is fixed; no test here reads the clock."""

from __future__ import annotations

import re
import sqlite3
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from accounts.models import User
from organisation.models import Membership
from pulse import tasks
from pulse.models import (
    Comment,
    OpenComment,
    OpenParticipation,
    OpenTally,
    Participation,
    Question,
    Round,
    RoundUnit,
    Survey,
    Tally,
)
from pulse.services import (
    PulseError,
    StorageBusyError,
    pulse_answer,
    round_open,
    round_seal,
)
from pulse.tasks import run_pulse_rounds

PEOPLE = 8
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday morning, while the round is open
SEALED_AT = NOW + timedelta(days=6)  # the round (five days) has closed; the worker ticks
OPEN_OTHER = 3  # answers to a second round, still open when the first is sealed


def _survey(name: str, unit, *, k: int = 5) -> Survey:
    # is_active off: the tick seals, but opens no round of its own on the survey's schedule.
    survey = Survey.objects.create(name=name, starts_on=date(2026, 3, 9), k=k, is_active=False)
    survey.units.set([unit])
    # Made here: tests that commit empty the tables, the question bank's included.
    for position, theme in enumerate(("trust", "meaning", "workload")):
        question = Question.objects.create(theme=theme, text_da=theme, text_en=theme)
        survey.items.create(question=question, position=position)
    return survey


def _answer_rounds(cast) -> tuple[Round, Round, list[User]]:
    """A round for the team answered by eight people one after the other, each in their own
    committed transaction with a comment that says which of them wrote it; and a second
    survey's round that stays open, answered by three of them."""
    round_ = round_open(survey=_survey("Trivsel", cast.team), opens_at=NOW - timedelta(hours=1))
    other = round_open(survey=_survey("Arbejdsmiljø", cast.team), opens_at=NOW + timedelta(days=4))
    people = []
    for i in range(PEOPLE):
        person = User.objects.create(username=f"p{i}")
        Membership.objects.create(user=person, unit=cast.team)
        people.append(person)
    questions = list(round_.questions.all())
    for i, person in enumerate(people):
        pulse_answer(
            round_=round_,
            user=person,
            answers={q.pk: 1 + (i % 5) for q in questions},
            comment=f"svar nummer {i}.",
            now=NOW + timedelta(minutes=i),
        )
    for i, person in enumerate(people[:OPEN_OTHER]):
        pulse_answer(
            round_=other,
            user=person,
            answers={q.pk: 4 for q in other.questions.all()},
            comment=f"stadig åben {i}.",
            now=NOW + timedelta(days=4, minutes=i),
        )
    return round_, other, people


def _assert_sealed_and_other_round_kept(
    round_: Round, other: Round, *, other_answers: int = OPEN_OTHER
) -> None:
    round_.refresh_from_db()
    assert round_.sealed_at == SEALED_AT
    assert Participation.objects.filter(round=round_).count() == PEOPLE
    assert Comment.objects.filter(round=round_).count() == PEOPLE
    assert sum(RoundUnit.objects.filter(round=round_).values_list("respondents", flat=True)) == 8
    assert all(sum(t.counts) == PEOPLE for t in Tally.objects.filter(round=round_))
    for model in (OpenParticipation, OpenTally, OpenComment):
        assert not model.objects.filter(round=round_).exists()
    # The round still open lost nothing when the open tables were emptied.
    assert OpenParticipation.objects.filter(round=other).count() == other_answers
    assert OpenComment.objects.filter(round=other).count() == other_answers
    assert all(sum(t.counts) == other_answers for t in OpenTally.objects.filter(round=other))


# --- SQLite: the database file and its write-ahead log ----------------------------------------


@contextmanager
def _on_a_file(path: Path) -> Iterator[None]:
    """Run on a copy of the test database in a file, as in production (the test database is
    in memory, which has no files to read). The connection opens it with the production
    settings: WAL and secure_delete."""
    connection.ensure_connection()
    memory, settings_dict = connection.connection, connection.settings_dict
    with sqlite3.connect(path) as copy:
        memory.backup(copy)
    copy.close()
    connection.connection = None
    connection.settings_dict = {**settings_dict, "NAME": str(path)}
    try:
        connection.ensure_connection()
        yield
    finally:
        connection.close()
        connection.connection, connection.settings_dict = memory, settings_dict


def _occurrences(path: Path, marker: str) -> int:
    files = (path, Path(f"{path}-wal"))
    return sum(f.read_bytes().count(marker.encode()) for f in files if f.exists())


@pytest.mark.django_db(transaction=True)
def test_sqlite_files_keep_no_order_of_answers_after_sealing(cast, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's files")
    path = tmp_path / "sparring.sqlite3"
    with _on_a_file(path):
        # Someone else has the database open all along: a web server process, a backup
        # tool. SQLite then never gets to delete the write-ahead log by itself.
        other_connection = sqlite3.connect(path)
        try:
            assert other_connection.execute("PRAGMA journal_mode").fetchall() == [("wal",)]
            round_, other, _people = _answer_rounds(cast)

            # Before sealing the files hold the order: every answer wrote the page with the
            # comments again, so the first comment is there once for each later answer.
            before = [_occurrences(path, f"svar nummer {i}.") for i in range(PEOPLE)]
            assert before == sorted(before, reverse=True) and before[0] > before[-1] >= 1

            run_pulse_rounds(SEALED_AT)
            _assert_sealed_and_other_round_kept(round_, other)

            # After: the log is empty, and the database holds each comment once (the sealed
            # row), nothing of the open tables' old pages, free or in use.
            assert Path(f"{path}-wal").stat().st_size == 0
            after = [_occurrences(path, f"svar nummer {i}.") for i in range(PEOPLE)]
            assert after == [1] * PEOPLE
            assert [_occurrences(path, f"stadig åben {i}.") for i in range(OPEN_OTHER)] == [
                1
            ] * OPEN_OTHER
            # The other connection still reads the sealed round.
            sealed = other_connection.execute(
                "SELECT count(*) FROM pulse_participation WHERE round_id = ?", [round_.pk]
            ).fetchall()
            assert sealed == [(PEOPLE,)]
        finally:
            other_connection.close()


@pytest.mark.django_db(transaction=True)
def test_sqlite_log_held_by_a_reader_is_truncated_on_a_later_tick(cast, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's files")
    path = tmp_path / "sparring.sqlite3"
    with _on_a_file(path):
        reader = sqlite3.connect(path, isolation_level=None)
        try:
            round_, other, _people = _answer_rounds(cast)
            # A long read (a backup, a report) keeps the log's pages in use.
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM pulse_round").fetchall()
            with pytest.raises(StorageBusyError):  # the scheduler logs it and goes on
                run_pulse_rounds(SEALED_AT)
            _assert_sealed_and_other_round_kept(round_, other)
            assert Path(f"{path}-wal").stat().st_size > 0
            assert tasks._settle_owed
            reader.execute("COMMIT")
            run_pulse_rounds(SEALED_AT + timedelta(minutes=1))  # the next tick settles
            assert Path(f"{path}-wal").stat().st_size == 0
            assert [_occurrences(path, f"svar nummer {i}.") for i in range(PEOPLE)] == [1] * PEOPLE
        finally:
            reader.close()


# --- PostgreSQL: row versions in the pages ----------------------------------------------------


def _tuple_headers(cursor, xids: set[int]) -> dict[str, int]:
    """For every table of the pulse app, how many places in its pages (in use or free) hold
    a row header written or deleted by one of `xids`: at a row's aligned start, a
    transaction id, the table's number of columns and a header length."""
    cursor.execute(
        "SELECT c.oid::regclass::text,"
        " pg_relation_size(c.oid) / current_setting('block_size')::int,"
        " (SELECT count(*) FROM pg_attribute a"
        "  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)"
        " FROM pg_class c WHERE c.relname LIKE 'pulse\\_%%' AND c.relkind = 'r'"
    )
    found: dict[str, int] = {}
    for table, blocks, columns in cursor.fetchall():
        hits = 0
        for block in range(blocks):
            cursor.execute("SELECT get_raw_page(%s, %s)", [table, block])
            page = bytes(cursor.fetchone()[0])
            for offset in range(24, len(page) - 24, 8):  # rows start MAXALIGNed
                xmin, xmax = struct.unpack_from("<II", page, offset)
                natts = struct.unpack_from("<H", page, offset + 18)[0] & 0x07FF
                header = page[offset + 22]
                if (xmin in xids or xmax in xids) and natts == columns and header in (24, 32):
                    hits += 1
        if hits:
            found[table] = hits
    return found


def _row_versions(cursor, table: str) -> list[tuple[int, int, int]]:
    """Every line pointer of the table's pages: its flags, xmin and xmax (pageinspect)."""
    cursor.execute(
        "SELECT lp_flags, coalesce(t_xmin::text::bigint, 0), coalesce(t_xmax::text::bigint, 0)"
        " FROM generate_series(0, pg_relation_size(%s) / current_setting('block_size')::int - 1)"
        " AS block, LATERAL heap_page_items(get_raw_page(%s, block::int))",
        [table, table],
    )
    return list(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_postgresql_pages_keep_no_row_versions_of_answers_after_sealing(cast):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's pages")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    round_, other, _people = _answer_rounds(cast)
    with connection.cursor() as cursor:
        # Each answer is one transaction, which writes the participation row first: its xmin
        # is the answer's transaction.
        cursor.execute(
            "SELECT xmin::text::bigint FROM pulse_openparticipation WHERE round_id = %s",
            [round_.pk],
        )
        answers = {row[0] for row in cursor.fetchall()}
        assert len(answers) == PEOPLE
        # Before sealing the pages link and order the answers: the counters' row versions
        # carry the transactions of the answers that wrote them.
        before = _tuple_headers(cursor, answers)
        assert before.get("pulse_opentally", 0) >= PEOPLE
        assert before.get("pulse_openparticipation", 0) == PEOPLE
        counters = _row_versions(cursor, "pulse_opentally")
        assert len(counters) > OpenTally.objects.count()  # old versions of counters

    run_pulse_rounds(SEALED_AT)
    _assert_sealed_and_other_round_kept(round_, other)

    with connection.cursor() as cursor:
        # Nowhere in the pulse app's pages, in a row or in free space, is there a row
        # version of an answer's transaction, in use or dead.
        assert _tuple_headers(cursor, answers) == {}
        # The open tables hold the round still open and nothing else: no dead versions.
        for table, live in (
            ("pulse_openparticipation", OPEN_OTHER),
            ("pulse_opencomment", OPEN_OTHER),
            ("pulse_opentally", OpenTally.objects.filter(round=other).count()),
        ):
            versions = _row_versions(cursor, table)
            assert len(versions) == live and all(
                flags == 1 and xmax == 0 for flags, _xmin, xmax in versions
            ), table
        # Every sealed row was written once, by the sealing transaction: no row versions.
        for table in ("pulse_participation", "pulse_tally", "pulse_comment"):
            cursor.execute(
                f"SELECT DISTINCT xmin::text FROM {table} WHERE round_id = %s",
                [round_.pk],
            )
            assert len(cursor.fetchall()) == 1, table
            assert all(xmax == 0 for _flags, _xmin, xmax in _row_versions(cursor, table)), table


# --- Sealing in the worker ----------------------------------------------------------------------


def test_the_worker_settles_the_files_once_per_tick(cast, monkeypatch):
    calls = []
    monkeypatch.setattr(tasks, "storage_settle", lambda: calls.append(1))
    first = round_open(survey=_survey("Trivsel", cast.team), opens_at=NOW - timedelta(hours=1))
    second = round_open(survey=_survey("Anden", cast.team), opens_at=NOW - timedelta(hours=2))
    run_pulse_rounds(SEALED_AT)
    assert Round.objects.filter(pk__in=[first.pk, second.pk], sealed_at=SEALED_AT).count() == 2
    assert calls == [1]
    run_pulse_rounds(SEALED_AT + timedelta(minutes=1))  # nothing more to seal or settle
    assert calls == [1]


def test_an_answer_that_arrives_after_sealing_is_refused(cast):
    round_, other, people = _answer_rounds(cast)
    run_pulse_rounds(SEALED_AT)
    round_.refresh_from_db()
    # Even with a time that says the round is still open, its counters are gone.
    newcomer = User.objects.create(username="sent")
    Membership.objects.create(user=newcomer, unit=cast.team)
    with pytest.raises(PulseError):
        pulse_answer(
            round_=round_,
            user=newcomer,
            answers={q.pk: 3 for q in round_.questions.all()},
            now=NOW,
        )
    assert not OpenParticipation.objects.filter(round=round_).exists()
    # The round still open takes answers as before.
    pulse_answer(
        round_=other,
        user=people[-1],
        answers={q.pk: 2 for q in other.questions.all()},
        now=NOW + timedelta(days=4, hours=1),
    )
    assert OpenParticipation.objects.filter(round=other).count() == OPEN_OTHER + 1


@pytest.mark.django_db(transaction=True)
def test_an_answer_to_another_round_during_sealing_is_kept(cast):
    """Sealing empties the open tables of every round: an answer to a round still open that
    is being written when sealing starts must be among the rows written back."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    round_, other, people = _answer_rounds(cast)
    answering, go_on = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def answer() -> None:
        try:
            with transaction.atomic():
                pulse_answer(
                    round_=other,
                    user=people[-1],
                    answers={q.pk: 1 for q in other.questions.all()},
                    comment="midt i forseglingen.",
                    now=NOW + timedelta(days=4, hours=1),
                )
                answering.set()
                go_on.wait(10)
        except BaseException as error:  # reported in the test's thread
            failures.append(error)
        finally:
            answering.set()
            connections.close_all()

    def seal() -> None:
        try:
            round_seal(round_=Round.objects.get(pk=round_.pk), now=SEALED_AT)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    answerer = threading.Thread(target=answer)
    answerer.start()
    assert answering.wait(10)
    sealer = threading.Thread(target=seal)
    sealer.start()
    sealer.join(0.5)
    assert sealer.is_alive()  # waits for the answer's transaction
    go_on.set()
    answerer.join(10)
    sealer.join(30)
    assert not failures, failures
    _assert_sealed_and_other_round_kept(round_, other, other_answers=OPEN_OTHER + 1)
    assert OpenComment.objects.filter(round=other, text="midt i forseglingen.").exists()


# --- The answer page promises the round's k ---------------------------------------------------


def test_answer_page_promises_the_k_of_the_round_being_answered(cast, client_for, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    survey = _survey("Trivsel", cast.team, k=5)
    round_ = round_open(survey=survey, opens_at=NOW - timedelta(hours=1))
    # Raised after the round opened: it applies from the next round, not to this one.
    Survey.objects.filter(pk=survey.pk).update(k=9)
    html = client_for(cast.alice).get(reverse("pulse:answer", args=[round_.pk])).content.decode()
    promise = re.search(r"Anonymt:[^<]*", html)
    assert promise is not None
    assert "færre end 5 personer" in promise.group(0), promise.group(0)
    assert "9" not in promise.group(0)


# --- Rounds open when this version is installed -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_moves_rounds_not_sealed_to_the_open_tables(cast):
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("pulse", "0004_energy_actions_and_sealing")], [("pulse", "0005_open_tables")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        survey = old.get_model("pulse", "Survey").objects.create(
            name="Trivsel", starts_on=date(2026, 3, 9)
        )
        question = old.get_model("pulse", "Question").objects.create(
            theme="trust", text_da="t", text_en="t"
        )
        Round_ = old.get_model("pulse", "Round")
        round_ = Round_.objects.create(
            survey=survey, number=1, opens_at=NOW, closes_at=NOW + timedelta(days=5)
        )
        sealed = Round_.objects.create(
            survey=survey, number=2, opens_at=NOW, closes_at=NOW, sealed_at=NOW
        )
        for r in (round_, sealed):
            old.get_model("pulse", "Tally").objects.create(
                round=r, unit_id=cast.team.pk, question=question, c4=2
            )
            old.get_model("pulse", "Participation").objects.create(round=r, user_id=cast.alice.pk)
            old.get_model("pulse", "Comment").objects.create(
                round=r, unit_id=cast.team.pk, text="x"
            )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert OpenTally.objects.get(round_id=round_.pk).counts == [0, 0, 0, 2, 0]
    assert OpenParticipation.objects.filter(round_id=round_.pk, user=cast.alice).exists()
    assert OpenComment.objects.filter(round_id=round_.pk).count() == 1
    for model in (Tally, Participation, Comment):
        assert not model.objects.filter(round_id=round_.pk).exists()
        assert model.objects.filter(round_id=sealed.pk).count() == 1
    assert not OpenTally.objects.filter(round_id=sealed.pk).exists()


def _counter_updates(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("UPDATE") and "opentally" in query["sql"].lower()
    ]


def test_an_answer_adds_to_its_counters_in_one_statement(cast):
    """One statement for the round, however many questions: a single UPDATE locks the unit's
    counter rows in the index's order, the same for every answer, so two people answering
    the same unit at once cannot take them in opposite orders and deadlock."""
    from django.test.utils import CaptureQueriesContext

    round_ = round_open(survey=_survey("Trivsel", cast.team), opens_at=NOW - timedelta(hours=1))
    person = User.objects.create(username="orden")
    Membership.objects.create(user=person, unit=cast.team)
    ids = sorted(round_.questions.values_list("pk", flat=True))
    answers = {ids[2]: 5, ids[0]: 1, ids[1]: 5}
    with CaptureQueriesContext(connection) as queries:
        pulse_answer(round_=round_, user=person, answers=answers, now=NOW)

    assert len(_counter_updates(queries)) == 1
    counts = {
        tally.question_id: tally.counts
        for tally in OpenTally.objects.filter(round=round_, unit_id=cast.team.pk)
    }
    assert counts == {
        ids[0]: [1, 0, 0, 0, 0],
        ids[1]: [0, 0, 0, 0, 1],
        ids[2]: [0, 0, 0, 0, 1],
    }


def test_an_answer_costs_the_same_queries_in_a_small_and_a_large_tree(cast):
    """Nothing an answer does grows with the tree: a round over 2 units and one over 42 take
    the same queries, one counter statement included."""
    from django.test.utils import CaptureQueriesContext

    from organisation.services import unit_create

    def queries_of_an_answer(units: int) -> int:
        top = unit_create(actor=None, name=f"Forvaltning {units}", parent=None)
        for number in range(units - 1):
            unit_create(actor=None, name=f"Team {units}-{number}", parent=top)
        round_ = round_open(survey=_survey(f"Trivsel {units}", top), opens_at=NOW)
        assert RoundUnit.objects.filter(round=round_).count() == units
        person = User.objects.create(username=f"svar-{units}")
        Membership.objects.create(user=person, unit=top)
        with CaptureQueriesContext(connection) as queries:
            pulse_answer(
                round_=round_,
                user=person,
                answers=dict.fromkeys(round_.questions.values_list("pk", flat=True), 4),
                now=NOW + timedelta(hours=1),
            )
        assert len(_counter_updates(queries)) == 1
        return len(queries.captured_queries)

    assert queries_of_an_answer(2) == queries_of_an_answer(42)
