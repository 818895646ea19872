"""Writes of the learning log. Each function checks who acts and raises LearningError with a
message in the user's language when the change cannot be made; nothing is changed then."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PERSON_LEFT, User
from core.access import SharingError, Visibility, sharing_people_check
from development.models import Activity, ActivityKind, ActivityStatus
from development.plan_selectors import areas_current
from learning.links import LinkError, links_checked
from learning.models import ENTRY_VISIBILITIES, Entry, EntryKind

TITLE_LENGTH = 200
TEXT_LENGTH = 4000


class LearningError(ValueError):
    """A change that cannot be made, with a message for the person who tried."""


@dataclass(frozen=True)
class EntryText:
    """What a person writes in an entry, as the form gives it."""

    kind: str
    title: str
    happened_on: date | None
    learned: str
    for_others: str = ""
    links: str = ""
    area_keys: list[str] = field(default_factory=list)
    visibility: str = Visibility.TEAM
    shared_with: list[User] = field(default_factory=list)


def _text(text: str, *, empty: str | None, limit: int) -> str:
    text = text.strip()
    if not text and empty is not None:
        raise LearningError(empty)
    if len(text) > limit:
        raise LearningError(_("A text can be at most %(max)d characters.") % {"max": limit})
    return text


def _cleaned(owner: User, text: EntryText, now: datetime) -> tuple[dict[str, object], list[User]]:
    if text.kind not in EntryKind.values:
        raise LearningError(_("Choose where you learned it."))
    title = _text(text.title, empty=_("Give the entry a title."), limit=TITLE_LENGTH)
    if text.happened_on is None:
        raise LearningError(_("Write the date it happened."))
    if text.happened_on > timezone.localdate(now):
        raise LearningError(_("The date cannot be in the future: write what you have learned."))
    learned = _text(text.learned, empty=_("Write what you learned."), limit=TEXT_LENGTH)
    for_others = _text(text.for_others, empty=None, limit=TEXT_LENGTH)
    try:
        links = links_checked(text.links)
    except LinkError as error:
        raise LearningError(str(error)) from None
    known = [area.key for area in areas_current()]
    chosen = set(text.area_keys)
    if not chosen <= set(known):
        raise LearningError(
            _("A focus area you chose is not in the competence framework. Choose again.")
        )
    if text.visibility not in ENTRY_VISIBILITIES:
        raise LearningError(_("Choose who can see the entry."))
    people: list[User] = []
    if text.visibility == Visibility.SHARED:
        try:
            people = sharing_people_check(owner=owner, people=text.shared_with)
        except SharingError as error:
            raise LearningError(str(error)) from None
        if not people:
            raise LearningError(_("Choose at least one person to share with."))
    return {
        "kind": text.kind,
        "title": title,
        "happened_on": text.happened_on,
        "learned": learned,
        "for_others": for_others,
        "links": links,
        "area_keys": [key for key in known if key in chosen],
        "visibility": text.visibility,
    }, people


@transaction.atomic
def entry_create(
    *, owner: User, text: EntryText, now: datetime, from_activity: Activity | None = None
) -> Entry:
    """A new entry of `owner`'s; `from_activity`, when given, is an activity of their own
    development plan whose reflection the entry shares."""
    if not owner.is_active:
        raise LearningError(str(PERSON_LEFT))
    if from_activity is not None and from_activity.plan.owner_id != owner.pk:
        raise LearningError(_("You can only share what you reflected on yourself."))
    values, people = _cleaned(owner, text, now)
    entry = Entry.objects.create(owner=owner, from_activity=from_activity, **values)
    entry.shared_with.set(people)
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, by: User, text: EntryText, now: datetime) -> Entry:
    if entry.owner_id != by.pk:
        raise LearningError(_("Only the person who wrote an entry can change it."))
    values, people = _cleaned(entry.owner, text, now)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save()
    entry.shared_with.set(people)
    return entry


# The kind of entry an activity of a development plan becomes.
_KIND_OF_ACTIVITY = {
    ActivityKind.COURSE: EntryKind.COURSE,
    ActivityKind.CONFERENCE: EntryKind.CONFERENCE,
    ActivityKind.SPARRING: EntryKind.SPARRING,
    ActivityKind.NETWORK: EntryKind.NETWORK,
}


def text_from_activity(activity: Activity, now: datetime) -> EntryText:
    """The entry an activity's reflection becomes, for its owner to look over and save: the
    title, what they learned and what others can use, the goal's focus areas, and the day it
    ended (or was marked done). Shared with their teams, as every new entry, unless they
    choose otherwise on the form."""
    if activity.status != ActivityStatus.DONE or not activity.learned:
        raise LearningError(_("Write your reflection on the activity first."))
    learned = activity.learned
    if activity.use:
        learned = f"{learned}\n\n{activity.use}"
    day = activity.ends_on or activity.done_on or timezone.localdate(now)
    return EntryText(
        kind=_KIND_OF_ACTIVITY.get(ActivityKind(activity.kind), EntryKind.OTHER),
        title=activity.title,
        happened_on=min(day, timezone.localdate(now)),
        learned=learned,
        for_others=activity.for_others,
        area_keys=list(activity.goal.area_keys) if activity.goal is not None else [],
    )


@transaction.atomic
def entry_delete(*, entry: Entry, by: User) -> None:
    """The owner deletes their own entry, and only that."""
    if entry.owner_id != by.pk:
        raise LearningError(_("Only the person who wrote an entry can delete it."))
    entry.shared_with.clear()
    entry.delete()
