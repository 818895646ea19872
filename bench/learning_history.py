"""Two years of learning entries for the municipal demo, with bulk inserts.

Three in five people keep a learning log, writing about once a quarter (one to fifteen entries
in two years); most entries are shared with their teams, some with the whole organisation,
some kept private. The words come from a few dozen Danish sentences about sparring, reviews,
networks and courses, so search finds a realistic share of them: "samarbejdet" matches about
one entry in six. The search fields are filled as Entry.save() fills them; on SQLite the
triggers index every row as it is inserted."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bench.conversation_history import _bulk_insert, _new
from core.access import Visibility
from learning.models import Entry, EntryKind

WRITING = 0.6
YEARS = 2
CHUNK = 2000

TITLES = [
    "Sparring om projektplanen",
    "Evaluering af booking-systemet",
    "Netværksmøde om GIS",
    "OS2-konferencen",
    "Kursus i klarsprog",
    "Workshop om brugerrejser",
    "Dokumentation af integrationen",
    "Review af udbudsmaterialet",
]
LEARNED = [
    "Et godt samarbejde kræver, at vi aftaler, hvem der gør hvad.",
    "Brugerne læste aldrig vejledningen; de spurgte en kollega.",
    "Korte møder med en klar dagsorden giver bedre beslutninger.",
    "Open source-fællesskaber lever af, at man deler sin kode tidligt.",
    "Klarsprog handler om modtageren, ikke om afsenderen.",
    "Gevinstrealisering skal planlægges, før projektet begynder.",
    "Test med rigtige borgere afslører det, vi selv overser.",
    "Et review går hurtigere, når ændringerne er små.",
    "Vi undervurderede tiden til datamigrering.",
    "Sparring med en kollega fra en anden forvaltning åbnede nye veje.",
]
FOR_OTHERS = [
    "",
    "Skabelonen ligger i håndbogen.",
    "Slides og noter ligger på Nextcloud.",
    "Spørg mig, hvis I vil have en gennemgang.",
    "Koden ligger på GitHub.",
]


@transaction.atomic
def learning_history_create(*, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    people = list(
        User.objects.filter(memberships__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    kinds = list(EntryKind)
    entries_made = 0
    for start in range(0, len(people), CHUNK):
        entries: list[Entry] = []
        for person in people[start : start + CHUNK]:
            if rng.random() >= WRITING:
                continue
            for _ in range(rng.randint(1, 15)):
                moment = now - timedelta(days=rng.randint(0, 365 * YEARS))
                entry = _new(
                    Entry,
                    owner_id=person,
                    kind=rng.choice(kinds),
                    title=rng.choice(TITLES),
                    happened_on=moment.date(),
                    learned=" ".join(rng.sample(LEARNED, 2)),
                    for_others=rng.choice(FOR_OTHERS),
                    links=[],
                    area_keys=[],
                    visibility=rng.choices(
                        [Visibility.TEAM, Visibility.ORGANISATION, Visibility.PRIVATE],
                        weights=[65, 15, 20],
                    )[0],
                    created_at=moment,
                    updated_at=moment,
                )
                entry.search_fields_set()
                entries.append(entry)
        _bulk_insert(entries)
        entries_made += len(entries)
    return {"learning entries": entries_made}
