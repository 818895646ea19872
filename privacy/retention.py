"""Deletion deadlines: administrators set one per kind of data the apps declare
(core.personal_data.retention), everyone reads them on the page about their data, and once a
day the worker deletes what is past them, in batches, writing only counts to the audit log.

The run waits for the night (RUN_HOURS, the organisation's time): a deadline shortened by
mistake can be put back during the day before anything is deleted, and the administrators'
page says how much the next run would delete."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.personal_data import Rule, all_kinds, rules_by_key
from privacy.models import RetentionRun, RetentionSetting

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

logger = logging.getLogger(__name__)

# A deadline is three months at least, so that a slip of the hand deletes nothing recent, and
# a week's check-in energy is counted (up to eight weeks late, after a stopped worker) before
# its check-ins can go; ten years at most.
MIN_DAYS = 90
MAX_DAYS = 3650
# The hours of the night, in the organisation's time, in which the day's run may start: never
# in the day, so a deadline changed by day can be changed back before anything is deleted.
RUN_HOURS = range(2, 5)
# Rows deleted per transaction: a run never holds the database for long.
BATCH = 500


@dataclass(frozen=True)
class Deadline:
    key: str
    label: StrOrPromise
    # None: kept until it is deleted.
    days: int | None
    # Whether the kind always has a deadline (a rule's `default_days`): changed, never removed.
    required: bool = False


# Leavers: everything of a person's own that they could delete themselves (the kinds with an
# `erase` in the registry), once they have been deactivated for longer than the deadline.
LEAVERS = "leavers"
LEAVERS_LABEL = _("A leaver's own content, from when they left")


def deadlines() -> list[Deadline]:
    """Every kind that may have a deadline, in the apps' order and leavers' content last, with
    the one set for it."""
    days = _days()
    return [
        *(
            Deadline(key, first.label, days.get(key), first.default_days is not None)
            for key, (first, *_more) in rules_by_key().items()
        ),
        Deadline(LEAVERS, LEAVERS_LABEL, days.get(LEAVERS)),
    ]


def _days() -> dict[str, int]:
    """The deadline of every kind that has one: as set, or the kind's default."""
    days = {
        key: first.default_days
        for key, (first, *_more) in rules_by_key().items()
        if first.default_days is not None
    }
    days.update(RetentionSetting.objects.values_list("key", "days"))
    return days


@transaction.atomic
def retention_set(*, actor: User, days: dict[str, int | None]) -> list[str]:
    """Set the deadlines in `days` (None: keep until deleted) and write each change to the
    audit log. Returns the keys that changed."""
    kinds = rules_by_key()
    list(RetentionSetting.objects.select_for_update())
    # As in force: a kind's default counts as set.
    before = _days()
    changed = []
    for key, value in days.items():
        if key not in kinds and key != LEAVERS:
            raise ValueError(f"No retention rule {key!r}")
        if value is None and key in kinds and kinds[key][0].default_days is not None:
            raise ValueError(f"{key!r} always has a deadline")
        if value is not None and not MIN_DAYS <= value <= MAX_DAYS:
            raise ValueError(f"A deadline is {MIN_DAYS} to {MAX_DAYS} days")
        if before.get(key) == value:
            continue
        if value is None:
            RetentionSetting.objects.filter(key=key).delete()
        else:
            RetentionSetting.objects.update_or_create(key=key, defaults={"days": value})
        changed.append(key)
    if changed:
        audit_record(
            actor=actor,
            action="retention.update",
            data={key: {"before": before.get(key), "after": days[key]} for key in changed},
        )
    return changed


def past_deadline(*, now: datetime) -> dict[str, int]:
    """How many rows of each kind with a deadline are past it at `now`: what a run would
    delete."""
    found = {}
    for key, days, parts in _ruled():
        found[key] = sum(rows.count() for rows, _erase in parts(now - timedelta(days=days)))
    return found


Part = tuple[QuerySet[Any], Callable[[QuerySet[Any]], int]]


def _ruled() -> list[tuple[str, int, Callable[[datetime], list[Part]]]]:
    """Each kind with a deadline: its key, its days, and what is past a given moment, as rows
    each with how they are deleted."""
    days = _days()
    ruled: list[tuple[str, int, Callable[[datetime], list[Part]]]] = [
        (key, days[key], partial(_rules_content, kept))
        for key, kept in rules_by_key().items()
        if key in days
    ]
    if LEAVERS in days:
        ruled.append((LEAVERS, days[LEAVERS], _leavers_content))
    return ruled


def _rules_content(kept: list[Rule], deadline: datetime) -> list[Part]:
    return [(rule.past(deadline), rule.erase) for rule in kept]


def _leavers_content(deadline: datetime) -> list[Part]:
    """Of everyone deactivated before `deadline`, each kind of their own content."""
    gone = User.objects.filter(is_active=False, deactivated_at__lt=deadline).values("pk")
    return [
        (kind.model._default_manager.filter(**{f"{kind.lookups[0]}__in": gone}), kind.erase)
        for kind in all_kinds()
        if kind.erase is not None
    ]


def next_run(now: datetime) -> datetime:
    """When the next run may start after `now`: at the next tick during tonight's hours if it
    has not run, otherwise at the start of the next night's."""
    local = timezone.localtime(now)
    start = local.replace(hour=RUN_HOURS.start, minute=0, second=0, microsecond=0)
    if local < start:
        return start
    if local.hour in RUN_HOURS and not RetentionRun.objects.filter(ran_on=local.date()).exists():
        return local
    return start + timedelta(days=1)


def retention_run(*, now: datetime) -> dict[str, int] | None:
    """The worker's part: once a night, in RUN_HOURS, delete every row past its kind's
    deadline at `now`, in batches, and write the counts to the audit log. Of several workers
    only one runs it; None when it is not time or another has run it."""
    local = timezone.localtime(now)
    if local.hour not in RUN_HOURS:
        return None
    try:
        with transaction.atomic():
            run = RetentionRun.objects.create(ran_on=local.date(), started_at=now)
    except IntegrityError:
        return None
    deleted = {}
    for key, days, parts in _ruled():
        deleted[key] = sum(
            _delete_batches(rows, erase) for rows, erase in parts(now - timedelta(days=days))
        )
    RetentionRun.objects.filter(pk=run.pk).update(deleted=deleted, finished_at=now)
    audit_record(actor=None, action="retention.run", data={"deleted": deleted})
    logger.info("Deletion deadlines: %s", deleted)
    return deleted


def _delete_batches(rows: QuerySet[Any], erase: Callable[[QuerySet[Any]], int]) -> int:
    """Delete `rows`, BATCH at a time, each batch in its own transaction. A batch that
    deletes nothing ends the kind's run, logged, rather than being tried for ever."""
    deleted = 0
    while True:
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return deleted
        with transaction.atomic():
            batch = erase(rows.model._default_manager.filter(pk__in=ids))
        if not batch:
            logger.warning("Deletion deadlines: %s rows of %s not deleted", len(ids), rows.model)
            return deleted
        deleted += batch
