"""A year of self-assessments for the municipal demo, and development plans with activities,
with bulk inserts; then the month's team picture is counted as the worker would.

Most people (ASSESSED) assessed themselves one to four times in the last twelve months, a few
of them once more just before; each person has a level that rises a little over the year,
wants to develop some areas, and, at level 4, often could teach others. About half have a
development plan with one to three activities of the Danish kinds, most planned or under way.
The people who never assessed themselves leave some teams below k, so the picture has
groups rolled up into the unit above, as it will in a real organisation."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bench.conversation_history import _bulk_insert, _new
from core.access import Visibility
from development.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    DevelopmentPlan,
    Rating,
    SelfAssessment,
)
from development.picture_services import picture_count
from development.services import framework_current

ASSESSED = 0.8
WITH_PLAN = 0.5
YEAR = timedelta(days=365)
# People written at a time.
CHUNK = 2000

TITLES = {
    ActivityKind.COURSE: "Kursus i klarsprog",
    ActivityKind.CONFERENCE: "OS2-konferencen",
    ActivityKind.TASK: "Ansvar for et delprojekt",
    ActivityKind.SPARRING: "Sparring med en erfaren kollega",
    ActivityKind.NETWORK: "Netværk for projektledere",
    ActivityKind.SELF_STUDY: "Læse om gevinstrealisering",
    ActivityKind.ON_THE_JOB: "Følge en kollega i borgerservice",
    ActivityKind.ROTATION: "Tre måneder i digitaliseringsenheden",
    ActivityKind.MENTOR: "Mentor fra en anden forvaltning",
}


@transaction.atomic
def development_history_create(*, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    framework = framework_current()
    areas = list(framework.areas.order_by("position").values_list("pk", flat=True))
    people = list(
        User.objects.filter(memberships__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    counts = {"self-assessments": 0, "ratings": 0, "plans": 0, "activities": 0}
    for start in range(0, len(people), CHUNK):
        assessments: list[SelfAssessment] = []
        ratings: list[list[Rating]] = []
        plans: list[DevelopmentPlan] = []
        activities: list[list[Activity]] = []
        for person in people[start : start + CHUNK]:
            if rng.random() < ASSESSED:
                _assessments(rng, person, framework.pk, areas, now, assessments, ratings)
            if rng.random() < WITH_PLAN:
                _plan(rng, person, now, plans, activities)
        _bulk_insert(assessments)
        for assessment, given in zip(assessments, ratings, strict=True):
            for rating in given:
                rating.assessment_id = assessment.pk
        _bulk_insert([rating for rows in ratings for rating in rows])
        _bulk_insert(plans)
        for plan, planned in zip(plans, activities, strict=True):
            for activity in planned:
                activity.plan_id = plan.pk
        _bulk_insert([activity for planned in activities for activity in planned])
        counts["self-assessments"] += len(assessments)
        counts["ratings"] += sum(len(rows) for rows in ratings)
        counts["plans"] += len(plans)
        counts["activities"] += sum(len(rows) for rows in activities)
    started = time.perf_counter()
    count = picture_count(now=now)
    counts["units in the picture"] = count.units.count()
    counts["shown groups"] = count.units.filter(figures__isnull=False).count()
    counts["milliseconds to count the picture"] = round((time.perf_counter() - started) * 1000)
    return counts


def _assessments(
    rng: random.Random,
    person: int,
    framework: int,
    areas: list[int],
    now: datetime,
    assessments: list[SelfAssessment],
    ratings: list[list[Rating]],
) -> None:
    base = {area: rng.choice([1, 2, 2, 3, 3, 3, 4]) for area in areas}
    wants = {area: rng.random() < 0.35 for area in areas}
    times = sorted(now - YEAR * rng.random() for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.1:
        # An older one, outside the year: it does not count.
        times.insert(0, now - YEAR - timedelta(days=rng.randint(1, 60)))
    for step, moment in enumerate(times):
        assessments.append(
            _new(
                SelfAssessment,
                owner_id=person,
                visibility=Visibility.PRIVATE if rng.random() < 0.7 else Visibility.LEADER,
                framework_id=framework,
                assessed_at=moment,
                note="",
                created_at=moment,
                updated_at=moment,
            )
        )
        rows = []
        for area in areas:
            level = min(4, base[area] + (1 if step >= 2 and rng.random() < 0.3 else 0))
            rows.append(
                _new(
                    Rating,
                    area_id=area,
                    level=level,
                    wants_to_develop=wants[area],
                    could_teach=level == 4 and rng.random() < 0.5,
                    note="",
                )
            )
        ratings.append(rows)


def _plan(
    rng: random.Random,
    person: int,
    now: datetime,
    plans: list[DevelopmentPlan],
    activities: list[list[Activity]],
) -> None:
    made = now - YEAR * rng.random()
    plans.append(
        _new(
            DevelopmentPlan,
            owner_id=person,
            title=f"Udviklingsplan {made.year}",
            follow_up_on=(made + timedelta(days=180)).date(),
            created_at=made,
            updated_at=made,
        )
    )
    rows = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(list(ActivityKind))
        status = rng.choices(list(ActivityStatus), weights=[5, 3, 3, 1], k=1)[0]
        starts = (made + timedelta(days=rng.randint(14, 200))).date()
        rows.append(
            _new(
                Activity,
                kind=kind,
                title=TITLES[kind],
                starts_on=starts,
                ends_on=starts + timedelta(days=rng.randint(0, 60)),
                cost=rng.choice([None, 0, 2500, 8000, 15000]),
                status=status,
                created_at=made,
                updated_at=made,
            )
        )
    activities.append(rows)
