"""Build the municipality demo in a fresh database and time the main pages on it.

    python -m bench.run [--database sqlite|postgres|both] [--people 25000] [--requests 200]
                        [--pages TEXT ...]

Each database is measured in its own child process, so that Django reads a fresh DATABASE_URL
and nothing of one run (connections, caches, imported settings) leaks into the next. The child
migrates, times `demo_create(size="municipality")`, then requests every page in-process with
Django's test client: the time covers middleware, view, queries and template rendering, which
is what "renders server-side" means in the targets, and leaves out the network and the browser.
The parent writes the figures into docs/benchmarks.md between the bench markers.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import (
    BASE_DIR,
    DEFAULT_POSTGRES_URL,
    DOCS,
    SCRATCH,
    child_env,
    memory,
    percentiles,
    planner_statistics_make,
    postgres_database,
    postgres_recreate,
    sqlite_database,
    write_section,
)
from bench.common import load as load_average

MANIFEST = BASE_DIR / "staticfiles" / "staticfiles.json"
# --reuse: the databases built once and measured again, with what their build made.
KEPT = SCRATCH / "kept"
KEPT_POSTGRES = "postgres://postgres@127.0.0.1:5432/sparring_bench_kept"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# A run of some of the pages (--pages) writes here, so the full run's figures stay as they were.
SOME_START, SOME_END = "<!-- bench-pages:start -->", "<!-- bench-pages:end -->"
# Min side's leader leads a unit of about this many people.
WEEK_LEADER_PEOPLE = 30

# Every page at most this many times a bare logged-in page (p50 against p50, the same run):
# the target that holds on any machine, and the one a run fails on.
RATIO_TARGET = 5.0
# Beside it, p95 in ms on the machine the figures were recorded on.
PAGE_TARGET_MS = 35.0
REPORT_TARGET_MS = 100.0
BARE_LABEL = "A bare logged-in page (the accessibility statement)"
# A fixed piece of work in Python, timed before and after the pages: how fast the machine ran.
CALIBRATION_SQUARES = 10_000_000
NAIVE_RUNS = 3
# A copy of one person's data (Mine data) is made in under this; the median of EXPORT_RUNS.
EXPORT_TARGET_S = 30.0
EXPORT_RUNS = 3
PULSE_ROUNDS = 26
DEMO_TARGET_S = 120.0
WARM_UP = 5
# Query counts come from separate requests: recording queries slows some backends down (SQLite
# asks the database to quote every parameter), so the timed requests run without it.
COUNTED = 3
# Weeks of check-ins for every member, with help requests, agreements and goals (bench/history.py).
HISTORY_WEEKS = 12
# Months of feedback, feedback requests, sparring and recognition (bench/history.py).
FEEDBACK_MONTHS = 24
# Years of conversations for everyone with their leader (bench/conversation_history.py).
CONVERSATION_YEARS = 5
# Far above any healthy run; only there so that a stuck run ends by itself.
CHILD_TIMEOUT_S = 3600
# The result of a page whose view is not on this branch (its URL does not resolve).
NOT_HERE = "not on this branch"

INTRO = """\
# Benchmarks

The targets: every page takes at most 5 times as long as a bare logged-in page (the
accessibility statement: session, user and menu, nothing else) measured in the same run, p50
against p50, at municipal scale. That ratio is the target a run fails on (`make bench` exits
with an error and names the pages over it), because it holds on any machine: absolute
figures on shared machines do not (another 2-core machine of the same kind once ran the same
benchmark 2.5 times as slow). Beside it the tables give p95 against 35 ms, and the round report
against 100 ms, for the machine the run describes, and a calibration figure: a fixed loop in
Python (the sum of 10 million squares), timed before and after the pages, to compare machines
or one machine at two moments by. The municipality demo (25,000 people in 1,500 units, 8
levels) is created in under 2 minutes. The wellbeing round's report opens on the top of the
tree and two levels below it, and unfolds on request; opened everywhere it must show the
CSV's figures for every unit, and a run fails when it does not.

Run `make bench` to measure SQLite and PostgreSQL, or `make bench BENCH_ARGS="--database
sqlite"` for one database (the same options work with `python -m bench.run`): `--database
sqlite|postgres|both`, `--people` (default 25,000) and `--requests` (timed requests per page,
default 200); `--pages TEXT` (repeatable) times only the pages whose label contains TEXT,
without the wellbeing report, and writes them to a section of their own below. PostgreSQL
runs use the database in `--postgres-url` or `BENCH_POSTGRES_URL`
(default `sparring_bench` on 127.0.0.1), which is dropped and created afresh and dropped again
at the end; SQLite runs use a temporary file that is removed afterwards. `--reuse` builds the
database once and keeps it (SQLite under `var/bench/kept`, PostgreSQL in
`sparring_bench_kept_25000`) with a description of what was built, and the next run with
`--reuse` times the pages on it again without building anew; the section then says when the
database was built.

For each database the benchmark migrates an empty database, times
`demo_create(size="municipality")`, adds history with bulk inserts (weeks of check-ins, help
requests, agreements and goals; two years of feedback, feedback requests, sparring and
recognition, dated over the period; 26 closed wellbeing rounds of 10 questions for the whole
organisation, each answered by about three in four people, and six weeks of check-in energy
counted; five years of conversations for everyone with their leader, described below), then
requests each page with Django's test client in the
same process, logged in as the person named in the table (a leader of a level-2 unit, a member
of a leaf team, the leader of that team, or the administrator; Min side's leader leads the
unit of about 30 people named in the table, which gets this week's check-ins, some shared with
her, replies, goals due and agreements to revisit). The feedback pages are opened by
that member if they received feedback, otherwise by the member of the same team who received the
most; the figures in brackets say how much the page has to show. The time is the wall time of
one request from the client's call to the finished response: middleware, session, view, database
queries and template rendering, without network or browser. Every page first gets a few warm-up
requests; then the timed requests go round the pages in turn, and p50 and p95 are computed per
page with `statistics.quantiles(n=100, method="inclusive")`. Queries per request are counted on
a few separate requests, because recording queries slows some database drivers down. The
objects the loading leaves in the process are frozen (`gc.freeze()`) before anything is timed,
so that the garbage collector walks what a server process would hold, not the loader's
leftovers. On PostgreSQL the tables are analysed after loading, as autovacuum would do
shortly after an import; SQLite is measured as the application leaves it.

Conversations (`bench/conversation_history.py`): every person has one thread with their leader
(a member with their unit's leader, a leader with the leader of the unit above) holding five
years of conversations: a 1:1 every quarter (one in twenty cancelled) and a MUS every year,
all held except what is ahead: the next 1:1, and for about one in seven people this year's MUS.
A held 1:1 raised one or two items, a MUS three: talking points mostly discussed then and
there, actions mostly done at the next conversation or the one after, some dropped and a few
never closed, so the next conversation has items carried over. Every held conversation keeps
its agenda as `conversation_hold` records it (`record`). Shared notes on every MUS and a
quarter of the 1:1s; the leader's private note on every MUS and the person's on one
conversation in ten; for each MUS two preparation answers from the person (one shared with the
leader) and one private from the leader, and two private answers for the next conversation;
97 % of the held MUS have a summary, 92 % of those approved by both and locked. That is about
650,000 conversations, 1.1 million items and 3.1 million rows in all. A 1:1 every quarter rather
than every month bounds the build (monthly would triple the conversations and items): it costs
about 115 s of CPU in the benchmark's process on SQLite (11.2 s measured for a tenth, 2,499
threads), and its wall time rises with other work on the machine (345 s on SQLite and 257 s on
PostgreSQL in the run of 09:33 below, at a load of 4 to 15 on 2 cores, when the unchanged
wellbeing history took 158 s against 38 s in the quiet full run). The rows are written with one
`INSERT ... RETURNING` per 500 rows (SQLite) or per 5,000 rows from one array per column
(PostgreSQL) instead of Django's `bulk_create`, whose preparation of every value through its
field took more than half the build time. The conversation pages are opened
by Min side's leader: their thread with the first member of their unit, the next 1:1 in it (the
agenda with what is carried over), and the newest held MUS (the frozen record, the summary and
the preparation). The leader's overview of their people (`/conversations/people/`) and the
administrator's overview of all units (`/administration/conversations/`) are listed as "not on
this branch" while their URL does not resolve, and timed once it does. The administrator's
overview shows the whole organisation's line as the worker counts it every five minutes; the
benchmark makes that count before it times the pages, as a running worker would have, and
prints how long it took.

Development (`bench/development_history.py`): four in five people assessed themselves one
to four times in the last twelve months (one in ten of them once more, over a year ago, which
does not count), in all six focus areas of the framework, about a third wanting to develop
each area and half of those at level 4 willing to teach it; half of everyone has a
development plan with one to three activities, most planned or under way. Then the month's
team picture is counted once, as the worker does on the first tick of a month
(`development.picture_services.picture_count`), and its time is in the line about the
history. The team picture pages read only that count: the leader's picture of their level-2
unit, and the administrator's picture of the whole organisation, which opens on the top of
the tree.

Learning (`bench/learning_history.py`): three in five people keep a learning log, one to
fifteen entries in two years, most shared with their teams, some with the whole organisation
and some private, their words from a few dozen Danish sentences. The pages are a member's:
search for "samarbejdet" (Danish stemming finds "samarbejde"; only what the member may read),
their team's shared learning, what is shared with the whole organisation, and their own log.

The wellbeing report is a page like the others: the newest round's report for the whole
organisation as the administrator sees it when it opens. Then it is opened everywhere (every
unit with units below in `?open=`) and each row compared with the CSV's. Beside it, the
report's figures for every unit are computed three ways, three times each: from the
histograms kept per round, unit and question, rolled up the tree once when the round was
sealed (what the page reads), rolled up from raw answers, one row per answer per
question, the way a pulse without histograms would store them (a table made for the benchmark
with the newest round's answers only, indexed on round and unit; each unit's figures are one
aggregate over the answers of its subtree), and from one grouped scan of those answers rolled
up in Python. All must give the same averages for every unit; the report says whether they did,
and the ratios of the medians. The results pages and the report read what sealing each round
kept (each unit's group and its histograms with everything below it); the benchmark writes
those as sealing would, and the raw-answer roll-ups decide afresh what the engine shows.

Other work on the machine inflates the figures, the p95 most, so each run records the load
average when it started. Compare runs made on a quiet machine.

The section between the markers below is written by the benchmark and replaced on each run;
text outside the markers is kept.
"""


@dataclass
class PageResult:
    label: str
    who: str
    url: str
    requests: int
    p50_ms: float
    p95_ms: float
    queries_min: int
    queries_max: int
    status: int = 200
    # Why the page was not requested: its view is not on this branch yet.
    skipped: str = ""
    # p50 over the bare page's p50 in the same run.
    ratio: float = 0.0


@dataclass
class ReportResult:
    units: int
    respondents: int
    rows_shown: int  # the rows the page opens on
    page_is_csv: bool  # the page opened everywhere shows the CSV's figures for every unit
    figures_ms: float  # median time of the report's figures from the histograms
    naive_ms: float  # median time of the same figures from raw answers, unit by unit
    grouped_ms: float  # median time of the same figures from one grouped scan of raw answers
    same_figures: bool


@dataclass
class ExportResult:
    who: str
    rows: int
    size: int  # bytes of the zip
    seconds: float  # median of EXPORT_RUNS, asked for and made by the worker's function
    valid: bool  # data.json is valid against the published schema


@dataclass
class DatabaseResult:
    database: str
    server_version: str
    people: int
    units: int
    levels: int
    demo_seconds: float
    history: str = ""
    feedback_history: str = ""
    pulse_history: str = ""
    conversation_history: str = ""
    development_history: str = ""
    learning_history: str = ""
    built_at: str = ""
    # Seconds of the calibration loop before and after the timed requests.
    calibration: tuple[float, float] = (0.0, 0.0)
    pages: list[PageResult] = field(default_factory=list)
    report: ReportResult | None = None
    exports: list[ExportResult] = field(default_factory=list)


# --- Child: one database ----------------------------------------------------------------------


def _build(people: int) -> dict[str, Any]:
    """Migrate, create the municipality demo and add its history; what was made, and how long
    each part took."""
    from django.core.management import call_command

    from home.demo import demo_create

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    logins = demo_create(size="municipality", people=people)
    demo_seconds = time.perf_counter() - started
    from bench.history import feedback_history_create, history_create

    started = time.perf_counter()
    history = history_create(weeks=HISTORY_WEEKS)
    history_seconds = time.perf_counter() - started
    print(f"  history: {history} in {history_seconds:.1f} s", flush=True)
    started = time.perf_counter()
    feedback_history = feedback_history_create(months=FEEDBACK_MONTHS)
    feedback_seconds = time.perf_counter() - started
    print(f"  feedback history: {feedback_history} in {feedback_seconds:.1f} s", flush=True)
    from bench.pulse import pulse_history_create

    started = time.perf_counter()
    pulse_history = pulse_history_create(rounds=PULSE_ROUNDS)
    pulse_seconds = time.perf_counter() - started
    print(f"  wellbeing history: {pulse_history} in {pulse_seconds:.1f} s", flush=True)
    from bench.conversation_history import conversation_history_create

    started = time.perf_counter()
    conversation_history = conversation_history_create(years=CONVERSATION_YEARS)
    conversation_seconds = time.perf_counter() - started
    print(f"  conversations: {conversation_history} in {conversation_seconds:.1f} s", flush=True)
    from bench.development_history import development_history_create

    started = time.perf_counter()
    development_history = development_history_create()
    development_seconds = time.perf_counter() - started
    print(f"  development: {development_history} in {development_seconds:.1f} s", flush=True)
    from bench.learning_history import learning_history_create

    started = time.perf_counter()
    learning_history = learning_history_create()
    learning_seconds = time.perf_counter() - started
    print(f"  learning: {learning_history} in {learning_seconds:.1f} s", flush=True)

    return {
        "built_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "logins": [login.username for login in logins[:2]],
        "demo_seconds": demo_seconds,
        "history": _made(history, history_seconds),
        "feedback_history": _made(feedback_history, feedback_seconds),
        "pulse_history": _made(pulse_history, pulse_seconds),
        "conversation_history": _made(conversation_history, conversation_seconds),
        "development_history": _made(development_history, development_seconds),
        "learning_history": _made(learning_history, learning_seconds),
    }


def _made(made: dict[str, int], seconds: float) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in made.items()) + f" added in {seconds:.1f} s"


def _measure(
    database: str,
    people: int,
    requests: int,
    only: list[str] | None = None,
    built: Path | None = None,
) -> DatabaseResult:
    """Build the organisation and its history, or with `built` naming the summary of an earlier
    build of this database, take that; then time the pages."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sparring.settings")
    import django

    django.setup()

    from django.db import connection
    from django.db.models import Count, Max, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from accounts.models import User
    from feedback.models import Feedback
    from organisation.models import Membership, Unit
    from recognition.models import Recognition

    if built is not None and built.exists():
        summary = json.loads(built.read_text())
        print(f"  the organisation and its history of {summary['built_at']} UTC", flush=True)
        # Migrations made since it was built (new indexes, say) apply to it first.
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    else:
        summary = _build(people)
        if built is not None:
            built.write_text(json.dumps(summary))
    logins = [User.objects.get(username=name) for name in summary["logins"]]
    # What loading left behind is not what a server process holds: freeze it, so that the
    # garbage collector does not walk it during the timed requests.
    gc.collect()
    gc.freeze()
    # The planner's statistics, as a running installation has them.
    planner_statistics_make()
    from django.utils import timezone

    # What the worker keeps counted, as a running installation has it (every five minutes):
    # the whole organisation's line of the administrators' conversation overview.
    from conversations.services import development_total_count

    started = time.perf_counter()
    development_total_count(timezone.now())
    print(
        f"  the worker's count of the whole organisation: "
        f"{1000 * (time.perf_counter() - started):.1f} ms",
        flush=True,
    )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server_version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            server_version = f"SQLite {cursor.fetchone()[0]}"

    leader = User.objects.get(username=logins[0].username)
    member = User.objects.get(username=logins[1].username)
    admin = User.objects.get(username="admin")
    leader_unit = Unit.objects.get(
        memberships__user=leader, memberships__role=Membership.Role.LEADER
    )
    leaf_unit = Unit.objects.filter(memberships__user=member).order_by("-depth")[0]
    deepest = Unit.objects.aggregate(deepest=Max("depth"))["deepest"]
    # The biggest unit half-way down the tree that the leader may open: many people on the page
    # and units below it.
    mid_unit = (
        Unit.objects.subtree_of(leader_unit)
        .filter(depth__gte=2, depth__lte=deepest - 2)
        .annotate(people=Count("memberships"))
        .order_by("-people", "path")[0]
    )

    team_leader = User.objects.get(
        memberships__unit=leaf_unit, memberships__role=Membership.Role.LEADER
    )

    # Min side's leader: the leader of the unit with one leader whose number of people comes
    # nearest WEEK_LEADER_PEOPLE (the deepest such unit), with this week in it.
    week_unit = min(
        Unit.objects.annotate(
            people=Count("memberships"),
            leaders=Count("memberships", filter=Q(memberships__role=Membership.Role.LEADER)),
        )
        .filter(leaders=1)
        .order_by("-depth", "path")[:2000],
        key=lambda unit: abs(unit.people - WEEK_LEADER_PEOPLE),  # type: ignore[attr-defined]
    )
    week_leader = User.objects.get(
        memberships__unit=week_unit, memberships__role=Membership.Role.LEADER
    )
    from bench.history import this_week_create

    # Made once a week per unit: a database kept for --reuse has it from an earlier run.
    week_of = f"{week_unit.pk} {timezone.localdate().isocalendar()[:2]}"
    if summary.get("this_week_of") == week_of:
        this_week = summary["this_week"]
    else:
        this_week = this_week_create(unit_id=week_unit.pk)
        summary.update(this_week_of=week_of, this_week=this_week)
        if built is not None:
            built.write_text(json.dumps(summary))
    print(f"  this week in {week_unit.name}: {this_week}", flush=True)

    # Conversations: Min side's leader's thread with one of their people, the next 1:1 in it
    # (its agenda is what is carried over), the newest held MUS (the frozen record and the
    # summary), and the overviews of the leader and the administrator.
    from conversations.models import Conversation, ConversationThread, Kind, thread_key
    from conversations.selectors import agenda_of

    week_person = User.objects.filter(
        memberships__unit=week_unit, memberships__role=Membership.Role.MEMBER
    ).order_by("memberships__pk")[0]
    talk_thread = ConversationThread.objects.get(key=thread_key([week_person.pk, week_leader.pk]))
    talks = Conversation.objects.filter(thread=talk_thread)
    next_talk = talks.filter(kind=Kind.ONE_ON_ONE, status=Conversation.Status.PLANNED).order_by(
        "starts_at"
    )[0]
    held_mus = talks.filter(kind=Kind.MUS, status=Conversation.Status.HELD).order_by("-starts_at")[
        0
    ]
    carried = sum(1 for entry in agenda_of(next_talk) if entry.carried_from)
    held_items = len(agenda_of(held_mus))

    # The feedback pages are opened by the demo member if they received feedback, otherwise by
    # the member of the same leaf team who received the most.
    received = dict(
        Feedback.objects.filter(
            owner__memberships__unit=leaf_unit, owner__memberships__role=Membership.Role.MEMBER
        )
        .values_list("owner_id")
        .annotate(n=Count("pk"))
    )
    if received.get(member.pk) or not received:
        reader, reader_who = member, "member"
    else:
        reader = User.objects.get(pk=max(received, key=lambda pk: (received[pk], -pk)))
        reader_who = "team member"
    shared_count = Feedback.objects.shared_with_me(team_leader).count()
    recognition_count = Recognition.objects.visible_to(reader).count()
    team_recognition_count = Recognition.objects.filter(unit=leaf_unit).count()

    def describe(unit: Unit) -> str:
        people = unit.memberships.count()
        below = Unit.objects.subtree_of(unit, include_self=False).count()
        units = "unit" if below == 1 else "units"
        return f"level {unit.depth + 1}, {people} people, {below} {units} below"

    results = f"/pulse/units/{leaf_unit.pk}/"
    from learning.search import entries_found

    found = entries_found(member, "samarbejdet").count()
    from bench.pulse import SURVEY_NAME
    from pulse.models import Round, RoundUnit

    newest = Round.objects.filter(survey__name=SURVEY_NAME).order_by("-number")[0]
    round_units = RoundUnit.objects.filter(round=newest).count()
    pages = [
        (BARE_LABEL, "member", member, "/accessibility/"),
        (
            f"Min side (/), the leader's week ({describe(week_unit)}; "
            f"{this_week['check-ins this week']} check-ins this week)",
            "leader",
            week_leader,
            "/",
        ),
        ("Min side (/)", "member", member, "/"),
        (
            f"Team page, leaf team ({describe(leaf_unit)})",
            "member",
            member,
            leaf_unit.get_absolute_url(),
        ),
        (
            f"Team page, large mid-level unit ({describe(mid_unit)})",
            "leader",
            leader,
            mid_unit.get_absolute_url(),
        ),
        (
            f"Team page, the leader's unit ({describe(leader_unit)})",
            "leader",
            leader,
            leader_unit.get_absolute_url(),
        ),
        (
            f"Team page, leaf team, as its leader ({describe(leaf_unit)})",
            "team leader",
            team_leader,
            leaf_unit.get_absolute_url(),
        ),
        (f"Check-ins, own timeline ({HISTORY_WEEKS} weeks)", "member", member, "/checkins/"),
        ("Check-ins shared with me", "team leader", team_leader, "/checkins/shared/"),
        ("Administration: people list", "admin", admin, "/administration/people/"),
        ("Administration: units list", "admin", admin, "/administration/units/"),
        ("Feedback page", reader_who, reader, "/feedback/"),
        (
            f"Feedback received ({received.get(reader.pk, 0)} in {FEEDBACK_MONTHS} months)",
            reader_who,
            reader,
            "/feedback/received/",
        ),
        ("Feedback overview", reader_who, reader, "/feedback/overview/"),
        ("Feedback overview as CSV", reader_who, reader, "/feedback/overview/export.csv"),
        (
            f"Feedback shared with me ({shared_count})",
            "team leader",
            team_leader,
            "/feedback/shared/",
        ),
        ("Sparring", reader_who, reader, "/feedback/sparring/"),
        (
            f"Recognition feed ({recognition_count:,} visible)",
            reader_who,
            reader,
            "/recognition/",
        ),
        (
            f"Recognition feed, leaf team ({team_recognition_count:,})",
            reader_who,
            reader,
            f"/recognition/?team={leaf_unit.pk}",
        ),
        ("Wellbeing page", "member", member, "/pulse/"),
        (
            f"Wellbeing results, leaf team ({PULSE_ROUNDS} rounds, 6 shown, 6 weeks of energy)",
            "member",
            member,
            results,
        ),
        (
            "Wellbeing results as JSON, leaf team",
            "member",
            member,
            f"/pulse/units/{leaf_unit.pk}/results.json",
        ),
        (
            "Wellbeing results as CSV, leaf team",
            "member",
            member,
            f"/pulse/units/{leaf_unit.pk}/results.csv",
        ),
        (
            f"Wellbeing results, the leader's unit ({describe(leader_unit)})",
            "leader",
            leader,
            f"/pulse/units/{leader_unit.pk}/",
        ),
        (
            f"Conversations: a thread ({CONVERSATION_YEARS} years, {talks.count()} "
            f"conversations, leader of {describe(week_unit)})",
            "leader",
            week_leader,
            f"/conversations/with/{talk_thread.pk}/",
        ),
        (
            f"Conversations: the next 1:1 ({carried} items carried over)",
            "leader",
            week_leader,
            f"/conversations/{next_talk.pk}/",
        ),
        (
            f"Conversations: the newest held MUS ({held_items} items in the record, summary)",
            "leader",
            week_leader,
            f"/conversations/{held_mus.pk}/",
        ),
        (
            f"Conversations: the leader's overview of their people ({describe(week_unit)})",
            "leader",
            week_leader,
            "/conversations/people/",
        ),
        (
            f"Conversations: the administrator's overview ({Unit.objects.count():,} units)",
            "admin",
            admin,
            "/administration/conversations/",
        ),
        (
            f"Development: the team picture of the leader's unit ({describe(leader_unit)})",
            "leader",
            leader,
            f"/development/team/{leader_unit.pk}/",
        ),
        (
            f"Development: the administrator's team picture of the organisation "
            f"({Unit.objects.count():,} units)",
            "admin",
            admin,
            "/administration/development/picture/",
        ),
        (
            f"Learning: search for “samarbejdet” ({found:,} entries found)",
            "member",
            member,
            "/learning/search/?q=samarbejdet",
        ),
        (
            f"Learning: the team's shared learning ({describe(leaf_unit)})",
            "member",
            member,
            f"/learning/team/{leaf_unit.pk}/",
        ),
        (
            "Learning: shared with the whole organisation",
            "member",
            member,
            "/learning/organisation/",
        ),
        ("Learning: the person's own learning log", "member", member, "/learning/"),
        (
            f"Wellbeing report, the newest round, as it opens ({round_units:,} units in it)",
            "admin",
            admin,
            f"/pulse/rounds/{newest.pk}/report/",
        ),
    ]
    if only:
        # The bare page always: the others are measured against it.
        pages = [
            page
            for page in pages
            if page[0] == BARE_LABEL or any(text.lower() in page[0].lower() for text in only)
        ]
    clients: dict[int, Client] = {}
    for _label, _who, user, _url in pages:
        if user.pk not in clients:
            clients[user.pk] = Client(raise_request_exception=False)
            clients[user.pk].force_login(user)

    result = DatabaseResult(
        database=database,
        server_version=server_version,
        people=User.objects.filter(memberships__isnull=False).distinct().count(),
        units=Unit.objects.count(),
        levels=deepest + 1,
        demo_seconds=summary["demo_seconds"],
        history=summary["history"],
        feedback_history=summary["feedback_history"],
        pulse_history=summary["pulse_history"],
        conversation_history=summary["conversation_history"],
        development_history=summary["development_history"],
        learning_history=summary["learning_history"],
        built_at=summary["built_at"],
    )
    # Warm up and count queries page by page; a page that fails is reported as failed and the
    # others are still measured.
    working: list[int] = []
    counts: dict[int, list[int]] = {}
    failed: dict[int, int] = {}
    # Pages whose view another branch is building: listed, not requested, until they are here.
    missing: set[int] = set()
    for i, (_label, _who, user, url) in enumerate(pages):
        try:
            resolve(urlsplit(url).path)
        except Resolver404:
            missing.add(i)
            continue
        client = clients[user.pk]
        for _ in range(WARM_UP):
            status = client.get(url).status_code
            if status != 200:
                failed[i] = status
                break
        else:
            counts[i] = []
            for _ in range(COUNTED):
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                counts[i].append(len(queries.captured_queries))
            working.append(i)

    # Timed requests go round the pages in turn, so that a burst of other work on the machine
    # falls on all pages alike instead of on whichever page was being measured.
    samples: dict[int, list[float]] = {i: [] for i in working}
    statuses: dict[int, set[int]] = {i: set() for i in working}
    before = calibrate()
    for _ in range(requests):
        for i in working:
            _label, _who, user, url = pages[i]
            started = time.perf_counter()
            response = clients[user.pk].get(url)
            samples[i].append((time.perf_counter() - started) * 1000)
            statuses[i].add(response.status_code)
    result.calibration = (before, calibrate())
    bare = percentiles(samples[0])[0]

    for i, (label, who, _user, url) in enumerate(pages):
        if i in missing:
            result.pages.append(PageResult(label, who, url, 0, 0, 0, 0, 0, 0, skipped=NOT_HERE))
            print(f"  {label} as {who}: {NOT_HERE}", flush=True)
            continue
        if i in failed:
            result.pages.append(PageResult(label, who, url, 0, 0, 0, 0, 0, failed[i]))
            print(f"  {label} as {who}: HTTP {failed[i]}", flush=True)
            continue
        p50, p95 = percentiles(samples[i])
        low, high = min(counts[i]), max(counts[i])
        status = max(statuses[i])
        result.pages.append(
            PageResult(label, who, url, requests, p50, p95, low, high, status, ratio=p50 / bare)
        )
        print(
            f"  {label} as {who}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {p50 / bare:.1f} × bare",
            flush=True,
        )
    if not only:
        result.report = _measure_report(clients.get(admin.pk) or _client(admin), admin)
        result.exports = [
            _measure_export(week_leader, f"Min side's leader ({describe(week_unit)})"),
            _measure_export(member, "the member"),
        ]
    return result


def _measure_export(person: Any, who: str) -> ExportResult:
    """A copy of one person's data, asked for and made as the worker makes it, EXPORT_RUNS
    times; the last one's data.json checked against the published schema."""
    import io
    import zipfile

    import jsonschema
    from django.utils import timezone

    from privacy.archive import export_schema
    from privacy.exports import export_request, exports_run

    seconds = []
    for _ in range(EXPORT_RUNS):
        now = timezone.now()
        export = export_request(person=person, now=now)
        started = time.perf_counter()
        exports_run(now=now)
        seconds.append(time.perf_counter() - started)
    export.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(bytes(export.archive or b""))) as archive:
        data = json.loads(archive.read("data.json"))
    validator = jsonschema.Draft202012Validator(
        export_schema(), format_checker=jsonschema.FormatChecker()
    )
    result = ExportResult(
        who=who,
        rows=sum(len(rows) for rows in data["kinds"].values()),
        size=export.size,
        seconds=statistics.median(seconds),
        valid=validator.is_valid(data),
    )
    export.delete()
    print(f"  the copy of {who}'s data: {result.rows:,} rows in {result.seconds:.2f} s", flush=True)
    return result


def calibrate() -> float:
    """Seconds the machine takes for a fixed piece of work in Python (the best of three): the
    figure to compare machines, or one machine at two moments, by."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(CALIBRATION_SQUARES))
        best = min(best, time.perf_counter() - started)
    return best


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _measure_report(client: Any, admin: Any) -> ReportResult:
    """The newest round's report for the whole organisation as the administrator sees it: the
    page opened everywhere against the CSV, and its figures from the histograms against the
    same figures from raw answers."""
    from bench.pulse import (
        SURVEY_NAME,
        grouped_raw_report,
        naive_report,
        report_csv_rows,
        report_page_rows,
    )
    from pulse.models import Round, RoundUnit
    from pulse.selectors import report_roots, round_report

    round_ = (
        Round.objects.filter(survey__name=SURVEY_NAME).select_related("survey").order_by("-number")
    )[0]
    url = f"/pulse/rounds/{round_.pk}/report/"
    shown = report_page_rows(client.get(url).content.decode())
    parents = set(
        RoundUnit.objects.filter(round=round_, parent_id__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    every = ",".join(str(pk) for pk in sorted(pk for pk in parents if pk is not None))
    opened = report_page_rows(client.get(url, {"open": every}).content.decode())
    csv_rows = report_csv_rows(client.get(f"/pulse/rounds/{round_.pk}/report.csv").content)

    roots = report_roots(round_, admin)
    timings: dict[str, list[float]] = {"histograms": [], "naive": [], "grouped": []}
    for _ in range(NAIVE_RUNS):
        started = time.perf_counter()
        questions, rows = round_report(round_, roots, every_unit=True)
        timings["histograms"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        naive = naive_report(round_)
        timings["naive"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        grouped = grouped_raw_report(round_)
        timings["grouped"].append((time.perf_counter() - started) * 1000)
    histogram = {
        row.unit_id: {q.pk: mean for q, mean in zip(questions, row.means, strict=True)}
        for row in rows
    }
    order = sorted(q.pk for q in questions)

    def same(other: dict[int, list[float | None]]) -> bool:
        if set(other) != set(histogram):
            return False
        return all(
            (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
            for unit, means in other.items()
            for a, b in zip([histogram[unit][q] for q in order], means, strict=True)
        )

    respondents = sum(RoundUnit.objects.filter(round=round_).values_list("respondents", flat=True))
    return ReportResult(
        units=len(rows),
        respondents=respondents,
        rows_shown=len(shown),
        page_is_csv=len(opened) == len(rows) and opened == csv_rows,
        figures_ms=statistics.median(timings["histograms"]),
        naive_ms=statistics.median(timings["naive"]),
        grouped_ms=statistics.median(timings["grouped"]),
        same_figures=same(naive) and same(grouped),
    )


# --- Parent: fresh databases, child processes, the report ---------------------------------------


def _run_child(
    database: str, url: str, args: argparse.Namespace, built: Path | None = None
) -> DatabaseResult:
    env = child_env(url)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        output = Path(handle.name)
    try:
        command = [
            sys.executable, "-m", "bench.run", "--database", database,
            "--people", str(args.people), "--requests", str(args.requests),
            "--child-output", str(output),
        ]  # fmt: skip
        for text in args.pages or []:
            command += ["--pages", text]
        if built is not None:
            command += ["--built", str(built)]
        subprocess.run(command, env=env, cwd=BASE_DIR, check=True, timeout=CHILD_TIMEOUT_S)
        data = json.loads(output.read_text())
    except subprocess.CalledProcessError as error:
        code = error.returncode
        raise SystemExit(f"The {database} benchmark failed (exit code {code}).") from None
    except subprocess.TimeoutExpired:
        raise SystemExit(f"The {database} benchmark took over {CHILD_TIMEOUT_S} s.") from None
    finally:
        output.unlink(missing_ok=True)
    pages = [PageResult(**page) for page in data.pop("pages")]
    report = data.pop("report")
    exports = [ExportResult(**export) for export in data.pop("exports")]
    return DatabaseResult(
        **data,
        pages=pages,
        report=ReportResult(**report) if report is not None else None,
        exports=exports,
    )


def _kept(database: str, people: int) -> tuple[str, Path]:
    """The URL of the database kept for --reuse, and the file that describes its build; when
    that file is missing the database is made empty, for the child to build and describe."""
    KEPT.mkdir(parents=True, exist_ok=True)
    built = KEPT / f"{database}-{people}.json"
    if database == "sqlite":
        path = KEPT / f"bench-{people}.sqlite3"
        if not built.exists():
            for leftover in KEPT.glob(f"{path.name}*"):
                leftover.unlink()
        return f"sqlite:///{path}", built
    url = f"{KEPT_POSTGRES}_{people}"
    if not built.exists():
        postgres_recreate(url)
    return url, built


def _verdict(ok: bool) -> str:
    return "pass" if ok else "**fail**"


def _section(results: list[DatabaseResult], args: argparse.Namespace, load: str) -> str:
    import sqlite3

    import django

    versions = [f"Python {platform.python_version()}", f"Django {django.get_version()}"]
    servers = {r.server_version for r in results}
    if not any(s.startswith("SQLite") for s in servers):
        servers.add(f"SQLite {sqlite3.sqlite_version}")
    versions += sorted(servers)
    first = results[0]
    lines = [
        f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {os.cpu_count()} cores, {memory()}, "
        f"{platform.system()} {platform.machine()}, {load}",
        f"- Software: {', '.join(versions)}",
        f"- Organisation: {first.people:,} people in {first.units:,} units, {first.levels} levels",
        f"- Requests: {args.requests} timed per page after {WARM_UP} warm-up requests; "
        f"queries counted on {COUNTED} more",
        "- Calibration (the sum of 10 million squares in Python, best of three) before and after "
        "the timed requests: "
        + "; ".join(
            f"{r.database} {r.calibration[0]:.2f} s and {r.calibration[1]:.2f} s" for r in results
        ),
        "",
    ]
    for result in results:
        title = "SQLite" if result.database == "sqlite" else "PostgreSQL"
        built = f" (built {result.built_at} UTC and kept)" if result.built_at else ""
        lines += [
            f"### {title}{built}",
            "",
            f"Demo creation: {result.demo_seconds:.1f} s (target under "
            f"{DEMO_TARGET_S:.0f} s: {_verdict(result.demo_seconds < DEMO_TARGET_S)}).",
            "",
            f"History of the daily rhythm ({HISTORY_WEEKS} weeks): {result.history}.",
            "",
            f"Feedback, sparring and recognition ({FEEDBACK_MONTHS} months): "
            f"{result.feedback_history}.",
            "",
            f"Wellbeing ({PULSE_ROUNDS} closed rounds of 10 questions for the whole "
            f"organisation): {result.pulse_history}.",
            "",
            f"Conversations ({CONVERSATION_YEARS} years for everyone with their leader, a 1:1 "
            f"every quarter and a MUS every year): {result.conversation_history}.",
            "",
            f"Development (a year of self-assessments, plans with activities, the month's team "
            f"picture counted): {result.development_history}.",
            "",
            f"Learning (two years of learning entries): {result.learning_history}.",
            "",
            f"| Page | As | p50 ms | p95 ms | × bare page (p50) | Queries/request | "
            f"At most {RATIO_TARGET:.0f} × bare | p95 < {PAGE_TARGET_MS:.0f} ms here |",
            "|---|---|--:|--:|--:|--:|---|---|",
        ]
        for page in result.pages:
            if page.skipped:
                lines.append(f"| {page.label} | {page.who} | – | – | – | – | {page.skipped} | – |")
                continue
            if page.status != 200:
                lines.append(
                    f"| {page.label} | {page.who} | – | – | – | – | "
                    f"**fail (HTTP {page.status})** | – |"
                )
                continue
            queries = (
                str(page.queries_min)
                if page.queries_min == page.queries_max
                else f"{page.queries_min}–{page.queries_max}"
            )
            report = page.label.startswith("Wellbeing report")
            target = REPORT_TARGET_MS if report else PAGE_TARGET_MS
            absolute = _verdict(page.p95_ms < target)
            if target != PAGE_TARGET_MS:
                absolute += f" (< {target:.0f} ms)"
            lines.append(
                f"| {page.label} | {page.who} | {page.p50_ms:.1f} | {page.p95_ms:.1f} | "
                f"{page.ratio:.1f} | {queries} | {_verdict(page.ratio <= RATIO_TARGET)} | "
                f"{absolute} |"
            )
        lines.append("")
        if result.report is not None:
            lines += _report_lines(result.report)
        lines += _export_lines(result.exports)
    return "\n".join(lines)


def _export_lines(exports: list[ExportResult]) -> list[str]:
    if not exports:
        return []
    lines = [
        f"A copy of one person's data (Mine data), asked for and made as the worker makes it, "
        f"the median of {EXPORT_RUNS} (target under {EXPORT_TARGET_S:.0f} s):",
        "",
        "| Whose | Rows | Zip | s | Valid against the schema | Under the target |",
        "|---|--:|--:|--:|---|---|",
    ]
    for export in exports:
        lines.append(
            f"| {export.who} | {export.rows:,} | {export.size / 1024:,.0f} KB | "
            f"{export.seconds:.2f} | {'yes' if export.valid else '**no**'} | "
            f"{_verdict(export.seconds < EXPORT_TARGET_S)} |"
        )
    return [*lines, ""]


def _report_lines(report: ReportResult) -> list[str]:
    ratio = report.naive_ms / report.figures_ms if report.figures_ms else float("inf")
    grouped = report.grouped_ms / report.figures_ms if report.figures_ms else float("inf")
    equal = "the same" if report.page_is_csv else "**different**"
    return [
        f"The newest round's report for the whole organisation, as the administrator: "
        f"{report.units:,} units, {report.respondents:,} respondents. The page opens on "
        f"{report.rows_shown} of the units; opened everywhere, it shows {equal} figures as the "
        f"CSV for every unit.",
        "",
        "| The report's figures for every unit (median) | Runs | ms |",
        "|---|--:|--:|",
        f"| From the histograms | {NAIVE_RUNS} | {report.figures_ms:.1f} |",
        f"| From raw answers, one aggregate per unit's subtree | {NAIVE_RUNS} | "
        f"{report.naive_ms:.1f} |",
        f"| From raw answers, one grouped scan rolled up in Python | {NAIVE_RUNS} | "
        f"{report.grouped_ms:.1f} |",
        "",
        f"The naive roll-up from raw answers takes {ratio:.1f} times as long as the histograms; "
        f"even one grouped scan of the raw answers takes {grouped:.1f} times as long. Both give "
        f"{'the same' if report.same_figures else '**different**'} figures as the histograms.",
        "",
    ]


def _broken(results: list[DatabaseResult]) -> list[str]:
    """What fails the run: a page over its ratio or not answering 200, and a report whose page
    and CSV disagree."""
    broken = [
        f"{result.database}: {page.label} ({page.ratio:.1f} × bare page)"
        if page.status == 200
        else f"{result.database}: {page.label} (HTTP {page.status})"
        for result in results
        for page in result.pages
        if not page.skipped and (page.status != 200 or page.ratio > RATIO_TARGET)
    ]
    broken += [
        f"{result.database}: the report's page and CSV disagree"
        for result in results
        if result.report is not None and not result.report.page_is_csv
    ]
    broken += [
        f"{result.database}: the copy of {export.who}'s data"
        for result in results
        for export in result.exports
        if not export.valid or export.seconds >= EXPORT_TARGET_S
    ]
    return broken


def _write_docs(section: str) -> None:
    write_section(section, start=START, end=END, intro=INTRO)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database to drop, create and measure (default: %(default)s)",
    )
    parser.add_argument(
        "--pages",
        action="append",
        metavar="TEXT",
        help="time only the pages whose label contains TEXT (repeatable; no wellbeing report); "
        "the figures go to a section of their own",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"keep the database built (SQLite under {KEPT.relative_to(BASE_DIR)}, PostgreSQL in "
        f"{KEPT_POSTGRES}) and time the pages on it again next time instead of building anew",
    )
    parser.add_argument("--child-output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--built", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.requests < 2:
        parser.error("--requests must be at least 2")

    if args.child_output:
        result = _measure(args.database, args.people, args.requests, args.pages, args.built)
        args.child_output.write_text(json.dumps(asdict(result)))
        return

    if not MANIFEST.exists():
        raise SystemExit("Collect the static files first (make static): pages need them.")
    # Other work on the machine shows up in the figures; the report says how busy it was.
    load = load_average()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        print(f"{database}: creating the demo organisation and timing pages ...", flush=True)
        if args.reuse:
            url, built = _kept(database, args.people)
            result = _run_child(database, url, args, built)
        else:
            fresh = (
                sqlite_database() if database == "sqlite" else postgres_database(args.postgres_url)
            )
            with fresh as url:
                result = _run_child(database, url, args)
        print(f"{database}: demo created in {result.demo_seconds:.1f} s", flush=True)
        results.append(result)
    section = _section(results, args, load)
    if args.pages:
        chosen = ", ".join(f"“{text}”" for text in args.pages)
        section = section.replace("\n", f"\n\nOnly the pages whose label contains {chosen}.\n", 1)
        write_section(section, start=SOME_START, end=SOME_END, intro=INTRO)
    else:
        _write_docs(section)
    print(f"Figures written to {DOCS.relative_to(BASE_DIR)}.")
    broken = _broken(results)
    if broken:
        raise SystemExit("Over the target:\n  " + "\n  ".join(broken))


if __name__ == "__main__":
    main()
