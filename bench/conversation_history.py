"""Five years of conversations for everyone in the municipal demo, with bulk inserts: every
person and their leader (the unit's leader; for a leader, the leader of the unit above) have
one thread with an annual MUS and a 1:1 every quarter, each with a few talking points and
actions that carry over until done, shared notes, preparation (private, some shared) and
private notes. A held conversation keeps the agenda it was held with, as
`conversations.services.conversation_hold` records it; most MUS have a summary approved by
both. What is still ahead: the next 1:1, and for about one in seven people this year's MUS.

The threads are written a chunk at a time, so that the process holds a few thousand threads'
objects, not five years for everyone."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from accounts.models import User
from conversations.models import (
    Approval,
    Conversation,
    ConversationThread,
    Item,
    Kind,
    Participant,
    Preparation,
    PrivateNote,
    SharedNote,
    Summary,
    thread_key,
)
from conversations.selectors import AgendaEntry, conversation_day
from conversations.services import development_records_rebuild, template_current
from core.access import Visibility
from organisation.models import Membership, Unit

YEARS = 5
# A 1:1 every quarter: the bound of what is realistic and what the build time allows.
ONE_ON_ONE_EVERY = timedelta(days=91)
YEAR = timedelta(days=365)
# Threads written at a time.
CHUNK = 2000

POINTS = [
    "Arbejdsmængden de næste måneder",
    "Samarbejdet med borgerservice",
    "Den nye sagsgang",
    "Hvordan går det med den nye kollega?",
    "Min rolle i projektet",
    "Prioritering af opgaverne",
    "Trivsel i teamet",
    "Ønsker til næste halvår",
]
ACTIONS = [
    "Finde et kursus i klarsprog",
    "Aftale sparring med en erfaren kollega",
    "Skrive en beskrivelse af opgaven",
    "Tale med teamet om mødeformen",
    "Undersøge muligheden for hjemmearbejde",
    "Sende forslag til ny arbejdsgang",
]
NOTES = [
    "Vi talte om opgaverne og blev enige om at se på prioriteringen igen om en måned.",
    "Godt møde. Arbejdsmængden er høj, men det går bedre end i foråret.",
    "Vi aftalte at følge op på kurset og samarbejdet med de andre teams.",
]
ANSWERS = [
    "Jeg er glad for mine opgaver, men vil gerne have mere tid til fordybelse.",
    "Samarbejdet i teamet fungerer godt; møderne kan blive kortere.",
    "Jeg vil gerne lære mere om projektledelse.",
    "Det har været et travlt år med mange nye sager.",
]
PRIVATE = [
    "Spørg ind til arbejdsmængden.",
    "Husk at nævne kurset.",
    "Følg op på samarbejdet med de andre.",
]
SUMMARY = (
    "Det gik godt i året, der gik: opgaverne blev løst, og samarbejdet i teamet er godt. "
    "Vi aftalte et kursus i klarsprog i foråret og sparring med en erfaren kollega om "
    "projektledelse. Arbejdsmængden tager vi op igen på næste 1:1."
)
PLACES = ["Mødelokale 2", "Lederens kontor", "Online"]


def _pairs() -> list[tuple[int, int]]:
    """(person, their leader) for everyone who has a leader: a member's is their unit's
    leader (or the nearest above, if the unit has none); a leader's is the leader of the
    unit above theirs."""
    parent = dict(Unit.objects.values_list("pk", "parent_id"))
    rows = list(Membership.objects.values_list("user_id", "unit_id", "role").order_by("pk"))
    leaders: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id, role in rows:
        if role == Membership.Role.LEADER:
            leaders[unit_id].append(user_id)

    def leader_from(unit_id: int | None, person: int) -> int | None:
        while unit_id is not None:
            for leader in leaders[unit_id]:
                if leader != person:
                    return leader
            unit_id = parent[unit_id]
        return None

    pairs: list[tuple[int, int]] = []
    seen: set[int] = set()
    keys: set[str] = set()
    for user_id, unit_id, role in rows:
        if user_id in seen:
            continue
        seen.add(user_id)
        start = parent[unit_id] if role == Membership.Role.LEADER else unit_id
        boss = leader_from(start, user_id)
        if boss is None or thread_key([user_id, boss]) in keys:
            continue
        keys.add(thread_key([user_id, boss]))
        pairs.append((user_id, boss))
    return pairs


@dataclass
class _Chunk:
    """What a chunk of threads is made of, with the links between the rows by index until the
    rows have their ids."""

    threads: list[ConversationThread] = field(default_factory=list)
    participants: list[tuple[int, int]] = field(default_factory=list)  # thread, user
    conversations: list[Conversation] = field(default_factory=list)
    conversation_thread: list[int] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    item_raised: list[int] = field(default_factory=list)
    item_closed: list[int | None] = field(default_factory=list)
    # For a held conversation: its agenda when it was held, (item, status then).
    agendas: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    notes: list[tuple[int, SharedNote]] = field(default_factory=list)
    private_notes: list[tuple[int, PrivateNote]] = field(default_factory=list)
    preparations: list[tuple[int, Preparation, int | None]] = field(default_factory=list)
    summaries: list[tuple[int, Summary, list[tuple[int, datetime]]]] = field(default_factory=list)


def _chunks(pairs: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    for start in range(0, len(pairs), CHUNK):
        yield pairs[start : start + CHUNK]


def _at(rng: random.Random, moment: datetime) -> datetime:
    """A time in working hours on the day of `moment`, in Copenhagen."""
    local = timezone.localtime(moment)
    return local.replace(
        hour=rng.randint(8, 14), minute=rng.choice([0, 30]), second=0, microsecond=0
    )


@transaction.atomic
def conversation_history_create(*, years: int = YEARS, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    templates: dict[str, Any] = {
        str(kind): template_current(kind) for kind in (Kind.ONE_ON_ONE, Kind.MUS)
    }
    questions = {
        kind: list(template.questions.values_list("pk", flat=True))
        for kind, template in templates.items()
    }

    names = {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.values_list(
            "pk", "first_name", "last_name", "username"
        )
    }
    counts: dict[str, int] = defaultdict(int)
    for pairs in _chunks(_pairs()):
        chunk = _Chunk()
        for person, boss in pairs:
            _thread_plan(chunk, rng, person, boss, now, years, templates, questions)
        _chunk_write(chunk, names, counts)
    # Written around the services, so their development records are made as a whole.
    counts["development records"] = development_records_rebuild()
    return {
        "threads": counts["threads"],
        "conversations": counts["conversations"],
        "held": counts["held"],
        "items": counts["items"],
        "open items": counts["open items"],
        "shared notes": counts["shared notes"],
        "summaries": counts["summaries"],
        "approvals": counts["approvals"],
        "preparation answers": counts["preparations"],
        "shared answers": counts["shared answers"],
        "private notes": counts["private notes"],
        "development records": counts["development records"],
    }


def _thread_plan(
    chunk: _Chunk,
    rng: random.Random,
    person: int,
    boss: int,
    now: datetime,
    years: int,
    templates: dict[str, Any],
    questions: dict[str, list[int]],
) -> None:
    """One thread's five years, in time order: which conversations, and what became of each
    item raised in them."""
    t = len(chunk.threads)
    # What happened, in time order: (start, kind, status).
    events: list[tuple[datetime, str, str]] = []
    start = now - YEAR * years
    # Held ones end before today: the last was at least a day ago.
    first = now - timedelta(days=1) - (ONE_ON_ONE_EVERY - timedelta(days=1)) * rng.random()
    moment = first
    while moment > start:
        cancelled = rng.random() < 0.05
        status: str = Conversation.Status.CANCELLED if cancelled else Conversation.Status.HELD
        events.append((_at(rng, moment), Kind.ONE_ON_ONE, status))
        moment -= ONE_ON_ONE_EVERY
    # The next one is ahead, from tomorrow on.
    ahead = max(first + ONE_ON_ONE_EVERY, now + timedelta(days=1))
    events.append((_at(rng, ahead), Kind.ONE_ON_ONE, Conversation.Status.PLANNED))
    phase = timedelta(days=1) + (YEAR - timedelta(days=1)) * rng.random()
    for year in range(years):
        moment = now - phase - YEAR * year
        if year == 0 and rng.random() < 0.15:
            # This year's MUS is overdue: planned in the coming weeks.
            moment = now + timedelta(days=rng.randint(7, 60))
            events.append((_at(rng, moment), Kind.MUS, Conversation.Status.PLANNED))
        else:
            events.append((_at(rng, moment), Kind.MUS, Conversation.Status.HELD))
    events.sort()

    chunk.threads.append(
        _new(
            ConversationThread,
            key=thread_key([person, boss]),
            created_by_id=boss,
            created_at=events[0][0] - timedelta(days=14),
        )
    )
    chunk.participants += [(t, person), (t, boss)]

    # Items still open, in the order they were raised: [item index, held conversations left
    # before it is closed (None if it never is), what becomes of it then].
    open_items: list[list[Any]] = []
    first_item = len(chunk.items)
    for starts_at, kind, status in events:
        c = len(chunk.conversations)
        is_mus = kind == Kind.MUS
        held = status == Conversation.Status.HELD
        duration = rng.choice([60, 90]) if is_mus else rng.choice([30, 45])
        held_at = starts_at + timedelta(minutes=duration) if held else None
        created = min(starts_at - timedelta(days=rng.randint(7, 30)), now - timedelta(days=1))
        chunk.conversations.append(
            _new(
                Conversation,
                kind=kind,
                template_id=templates[kind].pk,
                title=f"MUS {starts_at.year}" if is_mus else "",
                status=status,
                leader_id=boss,
                starts_at=starts_at,
                duration_minutes=duration,
                place=rng.choice(PLACES),
                held_at=held_at,
                held_by_id=(boss if rng.random() < 0.8 else person) if held else None,
                revision=rng.randint(3, 12) if held else 1,
                created_by_id=boss,
                created_at=created,
                updated_at=held_at or created,
            )
        )
        chunk.conversation_thread.append(t)
        if status == Conversation.Status.CANCELLED:
            continue

        # The agenda: what is carried over, then what is raised now.
        agenda: list[tuple[int, str]] = []
        still_open = []
        for entry in open_items:
            index, left, final = entry
            if left == 0 and held:
                item = chunk.items[index]
                item.status = final
                item.closed_at = held_at
                item.updated_at = held_at
                chunk.item_closed[index] = c
                agenda.append((index, item.status))
                continue
            agenda.append((index, Item.Status.OPEN))
            if left is not None and held:
                entry[1] = left - 1
            still_open.append(entry)
        open_items = still_open
        raised = 3 if is_mus else rng.choice([1, 2])
        if not held:
            # Ahead: the person has put a talking point on the agenda, or not yet.
            raised = 1 if rng.random() < 0.5 else 0
        for _ in range(raised):
            index = len(chunk.items)
            action = rng.random() < 0.4
            roll = rng.random()
            if not held:
                left, final = None, Item.Status.OPEN
            elif action:
                # Done at the next conversation or the one after, some dropped, a few left open.
                left = 0 if roll < 0.7 else 1 if roll < 0.85 else 0 if roll < 0.95 else None
                final = Item.Status.DROPPED if 0.85 <= roll < 0.95 else Item.Status.DONE
            else:
                # Talked about then and there, or carried to the next one.
                left = -1 if roll < 0.8 else 0
                final = Item.Status.DROPPED if roll > 0.95 else Item.Status.DONE
            owner = (person if rng.random() < 0.7 else boss) if action else None
            chunk.items.append(
                _new(
                    Item,
                    type=Item.Type.ACTION if action else Item.Type.POINT,
                    text=rng.choice(ACTIONS if action else POINTS),
                    author_id=rng.choice([person, boss]),
                    owner_id=owner,
                    due_on=(starts_at + timedelta(days=rng.randint(30, 90))).date()
                    if action and rng.random() < 0.7
                    else None,
                    position=index - first_item + 1,
                    status=Item.Status.OPEN,
                    created_at=created,
                    updated_at=created,
                )
            )
            chunk.item_raised.append(c)
            chunk.item_closed.append(None)
            if left == -1:
                # Closed in the conversation it was raised in.
                chunk.items[index].status = final
                chunk.items[index].closed_at = held_at
                chunk.items[index].updated_at = held_at or created
                chunk.item_closed[index] = c
                agenda.append((index, final))
            else:
                agenda.append((index, Item.Status.OPEN))
                open_items.append([index, left, final])
        if held:
            chunk.agendas[c] = agenda

        # Notes, preparation and the summary.
        if held and (is_mus or rng.random() < 0.25):
            chunk.notes.append(
                (
                    c,
                    _new(
                        SharedNote,
                        author_id=rng.choice([person, boss]),
                        text=rng.choice(NOTES),
                        created_at=starts_at,
                        updated_at=starts_at,
                    ),
                )
            )
        if held and is_mus:
            chunk.private_notes.append((c, _private(rng, boss, starts_at)))
        if held and rng.random() < 0.1:
            chunk.private_notes.append((c, _private(rng, person, starts_at)))
        if is_mus or not held:
            asked = rng.sample(questions[kind], min(2, len(questions[kind])))
            prepared = created + (starts_at - created) * rng.random()
            for n, question in enumerate(asked):
                # Of a held MUS, the person shared one of two answers; ahead, all is private.
                shared = held and n == 0
                chunk.preparations.append(
                    (
                        c,
                        _new(
                            Preparation,
                            owner_id=person,
                            question_id=question,
                            text=rng.choice(ANSWERS),
                            visibility=Visibility.SHARED if shared else Visibility.PRIVATE,
                            shared_at=prepared if shared else None,
                            created_at=prepared,
                            updated_at=prepared,
                        ),
                        boss if shared else None,
                    )
                )
            if is_mus:
                chunk.preparations.append(
                    (
                        c,
                        _new(
                            Preparation,
                            owner_id=boss,
                            question_id=asked[0],
                            text="Tal om kompetenceudvikling og arbejdsmængde.",
                            created_at=prepared,
                            updated_at=prepared,
                        ),
                        None,
                    )
                )
        if held and is_mus and held_at is not None and rng.random() < 0.97:
            locked = rng.random() < 0.92
            written = min(held_at + timedelta(days=rng.randint(1, 5)), now - timedelta(hours=2))
            approved = min(written + timedelta(days=rng.randint(1, 7)), now - timedelta(hours=1))
            revision = rng.choice([1, 1, 2])
            chunk.summaries.append(
                (
                    c,
                    _new(
                        Summary,
                        text=SUMMARY,
                        revision=revision,
                        edited_by_id=boss,
                        locked_at=approved if locked else None,
                        created_at=written,
                        updated_at=approved if locked else written,
                    ),
                    [(boss, approved), (person, approved)] if locked else [(boss, approved)],
                )
            )


def _private(rng: random.Random, owner: int, moment: datetime) -> PrivateNote:
    note: PrivateNote = _new(
        PrivateNote, owner_id=owner, text=rng.choice(PRIVATE), created_at=moment, updated_at=moment
    )
    return note


_DEFAULTS: dict[Any, dict[str, Any]] = {}


def _new(model: Any, **values: Any) -> Any:
    """An unsaved instance of `model` with `values` (by attname) and its fields' defaults,
    made without Model.__init__, which took a fifth of the build time."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = {
            field.attname: field.get_default() for field in model._meta.concrete_fields
        }
    obj = model.__new__(model)
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    obj._state = ModelState()
    return obj


def _bulk_insert(objects: list[Any]) -> None:
    """bulk_create without its per-value preparation, and the ids set on the objects: on
    SQLite one INSERT ... RETURNING of 500 rows at a time, on PostgreSQL one of 5,000 rows from
    one array per column (unnest), bound on the server. Django's bulk_create prepares every
    value through its field (4 million values for a tenth of the municipality), which took over
    half the build time, and PostgreSQL's client-side binding spent as long again parsing
    statements with thousands of placeholders. Here only dates and JSON go through their
    fields. The objects are model instances with their defaults (`_new`); auto_now fields
    already hold their dates, as everything in this history does."""
    if not objects:
        return
    meta = type(objects[0])._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    # The connection itself, not the proxy that looks it up on every use.
    database = connections[DEFAULT_DB_ALIAS]

    def prepare(field: Any) -> Any:
        if isinstance(field, models.DateTimeField):
            return database.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return database.ops.adapt_datefield_value
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, database)
        return None

    plan = [(field.attname, prepare(field)) for field in fields]
    quote = database.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    tail = f" RETURNING {quote(meta.pk.column)}"

    def values(part: list[Any], attname: str, convert: Any) -> list[Any]:
        column = [getattr(obj, attname) for obj in part]
        return column if convert is None else [convert(value) for value in column]

    if database.vendor == "postgresql":
        import psycopg

        arrays = ", ".join(f"%b::{field.db_type(database)}[]" for field in fields)
        statement = f"{head}SELECT * FROM unnest({arrays}){tail}"
        batch = 5000
        database.ensure_connection()
        cursor: Any = psycopg.Cursor(database.connection)
        execute = cursor.execute
    else:
        batch = 500
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        cursor = database.cursor()
        execute = cursor.execute
    try:
        for start in range(0, len(objects), batch):
            part = objects[start : start + batch]
            if database.vendor == "postgresql":
                execute(
                    statement,
                    [values(part, attname, convert) for attname, convert in plan],
                    binary=True,
                )
            else:
                params = [
                    value if convert is None else convert(value)
                    for obj in part
                    for attname, convert in plan
                    for value in (getattr(obj, attname),)
                ]
                execute(head + "VALUES " + ", ".join([row] * len(part)) + tail, params)
            for obj, (pk,) in zip(part, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = database.alias
    finally:
        cursor.close()


def _chunk_write(chunk: _Chunk, names: dict[int, str], counts: dict[str, int]) -> None:
    _bulk_insert(chunk.threads)
    _bulk_insert(
        [
            _new(Participant, thread_id=chunk.threads[t].pk, user_id=user)
            for t, user in chunk.participants
        ],
    )
    for conversation, t in zip(chunk.conversations, chunk.conversation_thread, strict=True):
        conversation.thread_id = chunk.threads[t].pk
    _bulk_insert(chunk.conversations)
    conversations = chunk.conversations
    for item, raised, closed in zip(chunk.items, chunk.item_raised, chunk.item_closed, strict=True):
        item.thread_id = conversations[raised].thread_id
        item.raised_in_id = conversations[raised].pk
        item.closed_in_id = conversations[closed].pk if closed is not None else None
    _bulk_insert(chunk.items)
    _records_write(chunk, names)

    for c, note in chunk.notes:
        note.conversation_id = conversations[c].pk
    _bulk_insert([note for _c, note in chunk.notes])
    for c, private in chunk.private_notes:
        private.conversation_id = conversations[c].pk
    _bulk_insert([note for _c, note in chunk.private_notes])
    for c, preparation, _reader in chunk.preparations:
        preparation.conversation_id = conversations[c].pk
    preparations = [preparation for _c, preparation, _reader in chunk.preparations]
    _bulk_insert(preparations)
    through = Preparation.shared_with.through
    shares = [
        _new(through, preparation_id=preparation.pk, user_id=reader)
        for _c, preparation, reader in chunk.preparations
        if reader is not None
    ]
    _bulk_insert(shares)
    for c, summary, _approvals in chunk.summaries:
        summary.conversation_id = conversations[c].pk
    _bulk_insert([summary for _c, summary, _a in chunk.summaries])
    approvals = [
        _new(
            Approval, summary_id=summary.pk, user_id=user, revision=summary.revision, approved_at=at
        )
        for _c, summary, approved in chunk.summaries
        for user, at in approved
    ]
    _bulk_insert(approvals)

    counts["threads"] += len(chunk.threads)
    counts["conversations"] += len(conversations)
    counts["held"] += len(chunk.agendas)
    counts["items"] += len(chunk.items)
    counts["open items"] += sum(1 for item in chunk.items if item.status == Item.Status.OPEN)
    counts["shared notes"] += len(chunk.notes)
    counts["summaries"] += len(chunk.summaries)
    counts["approvals"] += len(approvals)
    counts["preparations"] += len(preparations)
    counts["shared answers"] += len(shares)
    counts["private notes"] += len(chunk.private_notes)


def _records_write(chunk: _Chunk, names: dict[int, str]) -> None:
    """The frozen agenda of every held conversation, as `conversation_hold` records it: one
    UPDATE statement run for all of them."""
    conversations, items = chunk.conversations, chunk.items
    days = {}
    record_field = Conversation._meta.get_field("record")
    records: list[dict[str, Any]] = []
    ids: list[int] = []
    for c, agenda in chunk.agendas.items():
        conversation = conversations[c]
        entries = []
        for index, status in agenda:
            item = items[index]
            raised = chunk.item_raised[index]
            if raised not in days:
                days[raised] = conversation_day(conversations[raised])
            entries.append(
                AgendaEntry(
                    id=item.pk,
                    type=item.type,
                    text=item.text,
                    quote=item.quote,
                    source=item.source,
                    author=names[item.author_id],
                    owner=names[item.owner_id] if item.owner_id else "",
                    owner_id=item.owner_id,
                    due_on=item.due_on,
                    status=status,
                    carried_from=days[raised] if raised != c else None,
                ).as_record()
            )
        records.append({"items": entries})
        ids.append(conversation.pk)
    table = connection.ops.quote_name(Conversation._meta.db_table)
    if connection.vendor == "postgresql":
        # One statement from two arrays, bound on the server in binary.
        import psycopg

        database = connections[DEFAULT_DB_ALIAS]
        database.ensure_connection()
        with psycopg.Cursor(database.connection) as raw:
            raw.execute(
                f"UPDATE {table} SET record = v.record::jsonb "
                "FROM unnest(%b::bigint[], %b::text[]) AS v(id, record) "
                f"WHERE {table}.id = v.id",
                [ids, [json.dumps(record) for record in records]],
                binary=True,
            )
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET record = %s WHERE id = %s",
            [
                (record_field.get_db_prep_save(record, connection), pk)
                for record, pk in zip(records, ids, strict=True)
            ],
        )
