"""The monthly count of the team picture: each person's latest self-assessment of the twelve
months before, counted through the anonymity engine (development.tally) and kept per unit as
the engine decided. The pages read only what a count kept (development.picture)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from development.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    PictureCount,
    PictureUnit,
    Rating,
    SelfAssessment,
)
from development.services import framework_current
from development.tally import Respondent, tally
from organisation.models import Unit
from pulse.anonymity import check_k
from pulse.services import home_units

# A self-assessment counts for this long after it was made: "the last 12 months".
PERIOD = timedelta(days=365)
# Activities that are still to come count; done and dropped ones do not.
ACTIVE = (ActivityStatus.PLANNED, ActivityStatus.UNDER_WAY)
# Assessments read at a time (SQLite allows some 32,000 parameters in a query).
CHUNK = 5000


def picture_month(now: datetime) -> date:
    """The month a count at `now` is for: its first day, in Copenhagen."""
    return timezone.localdate(now).replace(day=1)


def anonymity_k() -> int:
    """The organisation's k for figures that belong to no survey (settings), checked against
    the least the product allows."""
    return check_k(settings.SPARRING_ANONYMITY_K)


@transaction.atomic
def picture_count(*, now: datetime) -> PictureCount:
    """Count the team picture for the month of `now`, as of `now`, unless that month is
    counted already (then the count there is returns unchanged: a month is counted once).

    Each active person with a self-assessment in the twelve months up to `now` is a
    respondent, counted once, in their home unit (organisation.models.HOME_UNIT_ORDER: where
    they are a member before where they lead, the deepest unit first, the oldest unit on a
    tie), with their latest assessment in that time and the activities of their plans that
    are planned or under way. Areas are the current framework's; an older assessment counts
    by each area's key. A person in no unit is not counted.

    The rows are read without `visible_to`: nobody reads them here. What leaves this function
    is only what the anonymity engine shows, and of a hidden group nothing is kept."""
    month = picture_month(now)
    existing = PictureCount.objects.filter(month=month).first()
    if existing is not None:
        return existing
    k = anonymity_k()
    framework = framework_current()
    area_keys = list(framework.areas.order_by("position").values_list("key", flat=True))
    units = list(Unit.objects.values_list("pk", "parent_id", "name"))
    parent = {pk: up for pk, up, _name in units}
    home = home_units()

    latest: dict[int, int] = {}
    for owner_id, assessment_id in (
        SelfAssessment.objects.filter(
            assessed_at__gt=now - PERIOD, assessed_at__lte=now, owner__is_active=True
        )
        .order_by("owner_id", "-assessed_at", "-pk")
        .values_list("owner_id", "pk")
    ):
        if owner_id in home:
            latest.setdefault(owner_id, assessment_id)
    owner_of = {assessment_id: owner_id for owner_id, assessment_id in latest.items()}
    ratings: dict[int, dict[str, tuple[int, bool, bool]]] = {owner: {} for owner in latest}
    for part in _chunks(list(owner_of)):
        for assessment_id, key, level, wants, teach in Rating.objects.filter(
            assessment_id__in=part
        ).values_list("assessment_id", "area__key", "level", "wants_to_develop", "could_teach"):
            ratings[owner_of[assessment_id]][key] = (level, wants, teach)
    activities: dict[int, dict[str, int]] = {}
    for owner_id, kind, number in (
        Activity.objects.filter(status__in=ACTIVE)
        .values_list("plan__owner_id", "kind")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        if owner_id in latest:
            activities.setdefault(owner_id, {})[kind] = number

    counted = tally(
        parent=parent,
        respondents=[
            Respondent(home[owner], ratings[owner], activities.get(owner, {})) for owner in latest
        ],
        area_keys=area_keys,
        kinds=list(ActivityKind.values),
        k=k,
    )
    count = PictureCount.objects.create(month=month, counted_at=now, k=k, framework=framework)
    groups = counted.disclosure.groups()
    PictureUnit.objects.bulk_create(
        (
            PictureUnit(
                count=count,
                unit_id=pk,
                parent_id=up,
                name=name,
                group_id=groups[pk],
                respondents=counted.figures[pk].respondents if pk in counted.figures else None,
                figures=counted.figures[pk].as_json() if pk in counted.figures else None,
            )
            for pk, up, name in units
        ),
        batch_size=1000,
    )
    return count


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
