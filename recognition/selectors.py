"""Reads about recognition for the feeds that show it, through `visible_to`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import NAME_COLUMNS, named
from core.access import can_read, get_visible_or_404, reader
from core.compiled import compiled_query
from core.dates import date_label
from organisation.models import Unit
from recognition.models import Reaction, Recognition, reading_lists, visible_rules

# Each reaction's icon from the design system's set, which has no heart or clapping hands: the
# nearest in meaning. The word is always written beside it.
REACTION_ICONS = {
    Reaction.Kind.APPLAUSE: "how-to-reg",
    Reaction.Kind.HEART: "trainee",  # a smiling face
    Reaction.Kind.CELEBRATE: "star",
}


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    count: int
    mine: bool
    icon: str


# A feed's thanks and their details, compiled once for each number of thanks shown
# (core.compiled).


@compiled_query
def _recipients_of(recognition_ids: list[int]) -> QuerySet[Any]:
    return (
        Recognition.recipients.through.objects.filter(recognition_id__in=recognition_ids)
        .order_by("user__first_name", "user__last_name", "user_id")
        .values_list("recognition_id", *NAME_COLUMNS)
    )


@compiled_query
def _values_of(recognition_ids: list[int]) -> QuerySet[Any]:
    return (
        Recognition.values.through.objects.filter(recognition_id__in=recognition_ids)
        .order_by("value__position", "value__name")
        .values_list("recognition_id", "value__name")
    )


@compiled_query
def _reactions_to(recognition_ids: list[int]) -> QuerySet[Any]:
    return Reaction.objects.filter(recognition_id__in=recognition_ids).values_list(
        "recognition_id", "kind", "user_id"
    )


@compiled_query
def _for_feed(recognition_ids: list[int]) -> QuerySet[Recognition]:
    return Recognition.objects.filter(pk__in=recognition_ids).for_feed()


def with_details(recognitions: list[Recognition], user: Any) -> list[Recognition]:
    """Attach to each recognition what a feed writes of it: `recipients_shown` (people by
    name), `value_names` and `reaction_counts` (with whether `user` gave each). Three flat
    queries: Django's prefetching of the same took four times as long."""
    ids = [recognition.pk for recognition in recognitions]
    recipients: dict[int, list[User]] = defaultdict(list)
    for recognition_id, *name in _recipients_of(recognition_ids=ids):
        recipients[recognition_id].append(named(*name))
    values: dict[int, list[str]] = defaultdict(list)
    for recognition_id, name in _values_of(recognition_ids=ids):
        values[recognition_id].append(name)
    reactions: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for recognition_id, kind, user_id in _reactions_to(recognition_ids=ids):
        reactions[recognition_id].append((kind, user_id))
    for recognition in recognitions:
        given = reactions[recognition.pk]
        recognition.recipients_shown = recipients[recognition.pk]  # type: ignore[attr-defined]
        recognition.value_names = values[recognition.pk]  # type: ignore[attr-defined]
        recognition.reaction_counts = [  # type: ignore[attr-defined]
            ReactionCount(
                kind=kind,
                label=str(label),
                count=sum(1 for given_kind, _user_id in given if given_kind == kind),
                mine=(kind, user.pk) in given,
                icon=REACTION_ICONS[Reaction.Kind(kind)],
            )
            for kind, label in Reaction.Kind.choices
        ]
    return recognitions


def recognition_or_404(user: Any, recognition_id: int) -> Recognition:
    recognition: Recognition = get_visible_or_404(
        Recognition.objects.for_feed(), user, pk=recognition_id
    )
    with_details([recognition], user)
    return recognition


@compiled_query
def _latest_posted_to(unit_id: int, reader_id: int) -> QuerySet[Recognition]:
    return Recognition.objects.posted_to(Unit(pk=unit_id), reader(reader_id)).for_feed()[:5]


def for_team_page(*, unit: Unit, user: Any) -> list[Recognition]:
    """The latest thanks posted to the team: the thanks compiled once, then their details."""
    if not can_read(user):
        return []
    return with_details(_latest_posted_to(unit_id=unit.pk, reader_id=user.pk), user)


# Thanks on a member's week.
MEMBER_WEEK = 3


@dataclass(frozen=True)
class ThanksReceived:
    """Thanks on a member's week: what it said, who wrote it when, and its values' names."""

    url: str
    text: str
    author_name: str
    created_at: datetime
    values: list[str]

    @property
    def from_label(self) -> str:
        """ "Fra Mette Hansen, 2. december 2026": worded here rather than by blocktranslate."""
        return _("From %(name)s, %(when)s") % {
            "name": self.author_name,
            "when": date_label(self.created_at),
        }


@compiled_query
def _latest_received(recipient_id: int) -> QuerySet[Recognition]:
    return Recognition.objects.received_by(reader(recipient_id)).select_related("author")[
        :MEMBER_WEEK
    ]


@compiled_query
def _value_names(recognition_ids: list[int]) -> QuerySet[Any]:
    through = Recognition.values.through
    return (
        through.objects.filter(recognition_id__in=recognition_ids)
        # As the organisation's values are ordered (Value.Meta.ordering).
        .order_by("value__position", "value__name")
        .values_list("recognition_id", "value__name")
    )


def for_member_week(user: Any) -> list[ThanksReceived]:
    """The latest thanks `user` received, with their authors and values: two queries, both
    compiled once (one without thanks)."""
    if not can_read(user):
        return []
    thanks = _latest_received(recipient_id=user.pk)
    names: dict[int, list[str]] = {item.pk: [] for item in thanks}
    if names:
        for recognition_id, name in _value_names(recognition_ids=list(names)):
            names[recognition_id].append(name)
    return [
        ThanksReceived(
            url=item.get_absolute_url(),
            text=item.text,
            author_name=item.author.display_name,
            created_at=item.created_at,
            values=names[item.pk],
        )
        for item in thanks
    ]


# Thanks on a page of the feed.
FEED_PAGE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedPage:
    recognitions: list[Recognition]
    # Where the next page starts (`?after=`), or "" when nothing older is left.
    older: str
    # Whether the page starts at the newest.
    is_newest: bool


def feed_page(user: Any, *, unit: Unit | None = None, after: str = "") -> FeedPage:
    """A page of the feed newest first, for everyone's thanks or one unit's, from `after` (a
    position an earlier page gave; anything else starts at the newest). It reads about as
    many rows as it shows, however many thanks there are: the newest of each of the rules of
    `visible_rules` along its index, merged by the database, rather than everything their OR
    lets through sorted (and no count of all)."""
    position = _position(after)
    if unit is not None:
        recognitions = Recognition.objects.posted_to(unit, user).order_by("-created_at", "-pk")
        if position is not None:
            recognitions = recognitions.filter(_older_than(*position))
        keys = list(recognitions.values_list("created_at", "pk")[: FEED_PAGE + 1])
    elif (lists := reading_lists(user)) is None:
        keys = []
    elif position is None:
        keys = _newest(reader_id=user.pk, units=lists[0], received=lists[1])
    else:
        at, pk = position
        keys = _older(reader_id=user.pk, units=lists[0], received=lists[1], at=at, pk=pk)
    shown = [pk for _created_at, pk in keys[:FEED_PAGE]]
    found = {recognition.pk: recognition for recognition in _for_feed(recognition_ids=shown)}
    return FeedPage(
        recognitions=with_details([found[pk] for pk in shown], user),
        older=_key(*keys[FEED_PAGE - 1]) if len(keys) > FEED_PAGE else "",
        is_newest=position is None,
    )


def _older_than(created_at: datetime, pk: int) -> Q:
    return Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)


def _merged(parts: list[Q]) -> QuerySet[Any]:
    """The keys (created_at, id) of the newest FEED_PAGE + 1 thanks any of `parts` lets
    through, in one statement: the newest of each part on its own (a subquery the database
    reads along an index), their union, newest first."""
    newest = [
        Recognition.objects.filter(
            pk__in=Recognition.objects.filter(part)
            .order_by("-created_at", "-pk")
            .values("pk")[: FEED_PAGE + 1]
        )
        .order_by()
        .values_list("created_at", "pk")
        for part in parts
    ]
    return newest[0].union(*newest[1:]).order_by("-created_at", "-pk")[: FEED_PAGE + 1]


@compiled_query
def _newest(reader_id: int, units: list[int], received: list[int]) -> QuerySet[Any]:
    return _merged(visible_rules(reader_id, units, received))


@compiled_query
def _older(
    reader_id: int, units: list[int], received: list[int], at: datetime, pk: int
) -> QuerySet[Any]:
    return _merged(
        [part & _older_than(at, pk) for part in visible_rules(reader_id, units, received)]
    )


def _key(created_at: datetime, pk: int) -> str:
    """A position in the feed: the microseconds since 1970 and the id, as `after` reads them."""
    return f"{(created_at - _EPOCH) // timedelta(microseconds=1)}-{pk}"


def _position(after: str) -> tuple[datetime, int] | None:
    microseconds, _dash, pk = after.partition("-")
    if not (microseconds.isdigit() and pk.isdigit()):
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(microseconds)), int(pk)
    except OverflowError:
        return None
