"""Reads about check-ins for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.selectors import name_columns, named
from checkins.models import (
    CHECKIN_LABELS,
    CHECKIN_TEXTS,
    CheckIn,
    Reflection,
    Reply,
    Thread,
    week_of,
)
from core.access import can_read, colleague_ids, reader
from core.compiled import compiled_query
from core.dates import date_label, week_label
from core.links import link
from organisation.models import HOME_UNIT_ORDER, Membership, Unit
from organisation.selectors import active_memberships


def leaders_of(person: Any) -> list[User]:
    """The active leaders of the units `person` is a member of: who "my leader" means, by
    name, as far as writing their names needs. Compiled once: every check-in form asks."""
    return [named(*row) for row in _leader_names(person_id=person.pk)]


@compiled_query
def _leader_names(person_id: int) -> models.QuerySet[User, tuple[int, str, str, str]]:
    my_units = Membership.objects.filter(user_id=person_id, role=Membership.Role.MEMBER).values(
        "unit_id"
    )
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Membership.Role.LEADER,
            memberships__unit_id__in=my_units,
        )
        .exclude(pk=person_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )


def week_checkin(owner: Any, week: date, *, for_update: bool = False) -> CheckIn | None:
    """The owner's check-in of `week`, if written; locked for the transaction's rest when
    `for_update` (on PostgreSQL: two tabs saving at once take turns). Compiled once: every save
    of a check-in reads it twice."""
    if for_update and transaction.get_autocommit():
        # As Django's own check, which a compiled statement makes only once.
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    read = _week_checkin_locked if for_update else _week_checkin
    found = read(owner_id=owner.pk, week=week)
    return found[0] if found else None


@compiled_query
def _week_checkin(owner_id: int, week: date) -> models.QuerySet[CheckIn]:
    return CheckIn.objects.owned_by(reader(owner_id)).filter(week=week)[:1]


@compiled_query
def _week_checkin_locked(owner_id: int, week: date) -> models.QuerySet[CheckIn]:
    return CheckIn.objects.select_for_update().owned_by(reader(owner_id)).filter(week=week)[:1]


def home_unit_of(person: Any) -> Unit | None:
    """The team a person's check-in help requests go to: their home unit."""
    found = _home_membership(user_id=person.pk)
    return found[0].unit if found else None


@compiled_query
def _home_membership(user_id: int) -> models.QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user_id)
        .select_related("unit__team")
        .order_by(*HOME_UNIT_ORDER)[:1]
    )


@dataclass(frozen=True)
class MinSideCheckins:
    latest_checkins: list[CheckIn]
    this_weeks_checkin: CheckIn | None
    # Whether this week's check-in may still be changed at `now`.
    this_week_editable: bool


@compiled_query
def _latest_of(owner_id: int) -> models.QuerySet[CheckIn]:
    return CheckIn.objects.filter(owner_id=owner_id).select_related("help_request")[:3]


def for_min_side(user: Any, now: datetime) -> MinSideCheckins:
    """Min side: the latest check-ins, and whether the check-in for the week of `now` is
    written (and may still be changed), in one query."""
    latest = _latest_of(owner_id=user.pk)
    week = week_of(timezone.localdate(now))
    this_week = latest[0] if latest and latest[0].week == week else None
    return MinSideCheckins(
        latest_checkins=latest,
        this_weeks_checkin=this_week,
        this_week_editable=this_week is not None and this_week.is_editable(now),
    )


# What a shared check-in's card shows (`_as_shared`): its answers, and its owner's name rather
# than their whole account.
_CARD_COLUMNS = (
    "owner",
    "visibility",
    "week",
    *CHECKIN_TEXTS,
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def shared_with_me(user: Any) -> models.QuerySet[CheckIn]:
    """Check-ins others have shared with `user`, as their cards show them, each with the
    number of replies in the reader's thread on it (`reply_count`). A check-in is shared
    with a team or with the owner's leaders, both colleagues of the owner, so only colleagues'
    check-ins are looked at: without that, the access layer's conditions are tried on every
    check-in of everyone."""
    replies = (
        Reply.objects.filter(thread__checkin=OuterRef("pk"), thread__reader=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CheckIn.objects.visible_to(user)
        .filter(owner_id__in=colleague_ids(user))
        .exclude(owner=user)
        .select_related("owner")
        .only(*_CARD_COLUMNS)
        .annotate(reply_count=Coalesce(Subquery(replies), 0))
    )


@dataclass(frozen=True)
class TeamCheckIn:
    """A check-in on the team page: a link named by its owner and week."""

    url: str
    label: str


@compiled_query
def _shared_in_unit(reader_id: int, unit_id: int) -> models.QuerySet[Any]:
    return (
        CheckIn.objects.visible_to(reader(reader_id))
        .filter(owner_id__in=active_memberships(unit_id).values("user_id"))
        .exclude(owner_id=reader_id)
        .values_list("pk", "week", *name_columns("owner"))[:10]
    )


def for_team_page(*, user: Any, unit_id: int) -> list[TeamCheckIn]:
    """The latest check-ins the unit's active people have shared with `user` (never their
    own), as links: the columns the page writes, compiled once."""
    if not can_read(user):
        return []
    return [
        TeamCheckIn(
            url=link("checkins:detail", checkin_id=pk),
            label=_("%(name)s – %(week)s")
            % {"name": named(*owner).display_name, "week": week_label(week)},
        )
        for pk, week, *owner in _shared_in_unit(reader_id=user.pk, unit_id=unit_id)
    ]


# --- Shared check-ins and their replies --------------------------------------------------------

# A thread whose last word is the other person's waits this long for an answer; after that it
# is left alone rather than nagging about last month.
WAITING_FOR = timedelta(weeks=4)


@dataclass(frozen=True)
class SharedCheckIn:
    """A check-in someone shared with the reader, with all they wrote (never their energy,
    which is the owner's alone) and how many replies the reader's thread holds."""

    checkin_id: int
    url: str
    owner_name: str
    week_label: str
    sharing_label: str
    went_well: str
    is_hard: str
    priorities: str
    help_needed: str
    reply_count: int

    @property
    def reply_url(self) -> str:
        return f"{self.url}#replies"

    # The card's words, in the reader's language. Written here rather than with
    # blocktranslate: the leader's week shows thirty cards, and the tag cost more than the
    # rest of a card's words.
    @property
    def heading(self) -> str:
        return _("%(name)s – %(week)s") % {"name": self.owner_name, "week": self.week_label}

    @property
    def reply_label(self) -> str:
        if self.reply_count:
            return ngettext(
                "%(counter)s reply – read and answer",
                "%(counter)s replies – read and answer",
                self.reply_count,
            ) % {"counter": self.reply_count}
        return _("Reply to %(name)s") % {"name": self.owner_name}


def _as_shared(checkins: list[CheckIn]) -> list[SharedCheckIn]:
    """The check-ins of `shared_with_me` as their reader sees them."""
    return [
        SharedCheckIn(
            checkin_id=checkin.pk,
            url=checkin.get_absolute_url(),
            owner_name=checkin.owner.display_name,
            week_label=checkin.week_label,
            sharing_label=checkin.sharing_label,
            went_well=checkin.went_well,
            is_hard=checkin.is_hard,
            priorities=checkin.priorities,
            help_needed=checkin.help_needed,
            reply_count=checkin.reply_count,  # type: ignore[attr-defined]
        )
        for checkin in checkins
    ]


def shared_with_me_page(user: User, *, page: str | None, per_page: int = 20) -> Page[Any]:
    """One page of "Shared with me", newest week first: two queries whatever its length."""
    paged: Page[Any] = Paginator(shared_with_me(user), per_page).get_page(page)
    paged.object_list = _as_shared(list(paged.object_list))
    return paged


@compiled_query
def _shared_in_week(reader_id: int, week: date) -> models.QuerySet[CheckIn]:
    return shared_with_me(reader(reader_id)).filter(week=week)


def shared_with_me_this_week(user: User, now: datetime) -> list[SharedCheckIn]:
    """The check-ins shared with `user` for the week `now` falls in, for the leader's week:
    one query, compiled (the page every leader opens)."""
    if not can_read(user):
        return []
    week = week_of(timezone.localdate(now))
    return _as_shared(_shared_in_week(reader_id=user.pk, week=week))


@dataclass(frozen=True)
class ReplyView:
    reply_id: int
    author: User
    author_name: str
    text: str
    written_at: datetime
    edited_at: datetime | None
    is_mine: bool
    talking_point: bool
    talked_about: bool


@dataclass(frozen=True)
class ThreadView:
    """A thread on a check-in's page, named by the person the viewer talks with in it."""

    thread_id: int
    other_name: str
    replies: list[ReplyView]


def threads_on_checkin(user: User, checkin: CheckIn) -> list[ThreadView]:
    """The threads `user` may read on `checkin`: all of them for its owner, their own for a
    reader. Two queries."""
    threads = (
        Thread.objects.visible_to(user)
        .filter(checkin=checkin)
        .select_related("reader")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("owner").order_by("created_at", "pk"),
            )
        )
    )
    is_owner = checkin.is_owned_by(user)
    return [
        ThreadView(
            thread_id=thread.pk,
            other_name=(thread.reader if is_owner else checkin.owner).display_name,
            replies=[_reply_view(user, reply) for reply in thread.replies.all()],
        )
        for thread in threads
    ]


def _reply_view(user: User, reply: Reply) -> ReplyView:
    return ReplyView(
        reply_id=reply.pk,
        author=reply.owner,
        author_name=reply.owner.display_name,
        text=reply.text,
        written_at=reply.created_at,
        edited_at=reply.edited_at,
        is_mine=reply.owner_id == user.pk,
        talking_point=reply.talking_point,
        talked_about=reply.talked_about_at is not None,
    )


@dataclass(frozen=True)
class WaitingReply:
    """A thread where the other person had the last word and `user` has not answered."""

    thread_id: int
    url: str
    other_name: str
    week_label: str
    last_reply_at: datetime
    on_my_checkin: bool


def _threads_with_recent_replies(person_id: int, since: datetime) -> models.QuerySet[Thread]:
    return Thread.objects.filter(
        Q(reader_id=person_id) | Q(checkin__owner_id=person_id),
        replies__created_at__gte=since,
    )


@compiled_query
def _any_recent_reply(person_id: int, since: datetime) -> models.QuerySet[Any]:
    return _threads_with_recent_replies(person_id, since).values_list("pk", flat=True)[:1]


@compiled_query
def _waiting(reader_id: int, since: datetime) -> models.QuerySet[Thread]:
    last = Reply.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Thread.objects.visible_to(reader(reader_id))
        .filter(pk__in=_threads_with_recent_replies(reader_id, since).values("pk"))
        .annotate(
            last_author=Subquery(last.values("owner_id")[:1]),
            last_reply_at=Subquery(last.values("created_at")[:1]),
        )
        .filter(last_reply_at__gte=since)
        .exclude(last_author=reader_id)
        .select_related("checkin__owner", "reader")
        .order_by("-last_reply_at", "-pk")
    )


def replies_waiting_for(user: User, now: datetime) -> list[WaitingReply]:
    """Threads `user` may read whose last reply is the other person's, from the last four
    weeks, newest first: one query for someone with no recent reply in any thread, two for
    someone with, both compiled once (Min side asks on every view)."""
    since = now - WAITING_FOR
    # Most people have no recent reply in a thread of theirs. One plain query says so before
    # the access layer's conditions are run.
    if not can_read(user) or not _any_recent_reply(person_id=user.pk, since=since):
        return []
    threads = _waiting(reader_id=user.pk, since=since)
    waiting = []
    for thread in threads:
        mine = thread.checkin.owner_id == user.pk
        waiting.append(
            WaitingReply(
                thread_id=thread.pk,
                url=thread.get_absolute_url(),
                other_name=(thread.reader if mine else thread.checkin.owner).display_name,
                week_label=thread.checkin.week_label,
                last_reply_at=thread.last_reply_at,  # type: ignore[attr-defined]
                on_my_checkin=mine,
            )
        )
    return waiting


@dataclass(frozen=True)
class TalkingPoint:
    reply_id: int
    author_name: str
    text: str
    written_at: datetime
    week_label: str
    url: str

    def to_bring(self) -> ToBring:
        """The point as a conversation's agenda takes it up: who wrote it, about which week."""
        return ToBring(
            id=self.reply_id,
            label=_("Reply from %(name)s about the check-in, %(week)s")
            % {"name": self.author_name, "week": self.week_label},
            quote=self.text,
        )


def talking_points_between(person: User, other: User) -> list[TalkingPoint]:
    """Replies either of the two marked "take this up at our next 1:1" and no conversation has
    taken up yet, from the threads between them that `person` may still read, oldest first.

    The seam for conversations: the conversations app consumes this to put the points on the
    agenda of the next 1:1 between `person` and `other`, and sets `talked_about_at` on the
    replies it took up (so each is offered once). One query."""
    between = Thread.objects.visible_to(person).filter(
        Q(checkin__owner=person, reader=other) | Q(checkin__owner=other, reader=person)
    )
    replies = (
        Reply.objects.talking_points()
        .filter(thread__in=between.values("pk"))
        .select_related("owner", "thread__checkin")
        .order_by("created_at", "pk")
    )
    return [
        TalkingPoint(
            reply_id=reply.pk,
            author_name=reply.owner.display_name,
            text=reply.text,
            written_at=reply.created_at,
            week_label=reply.thread.checkin.week_label,
            url=reply.get_absolute_url(),
        )
        for reply in replies
    ]


# --- What a person may bring into a conversation -----------------------------------------------
# The conversations app offers these to a participant and reads them again, by id, when they
# bring one in: each goes through the access layer for that person, so what cannot be read
# cannot be brought.

BRING_LIMIT = 10


@dataclass(frozen=True)
class ToBring:
    """Something a person may bring into a conversation: `label` names it in the list of
    choices and on the agenda, `quote` is its text as it reads now."""

    id: int
    label: str
    quote: str


def _checkin_quote(checkin: CheckIn, threads: list[Thread]) -> str:
    """A check-in's answers (never its energy, which is the owner's alone) and the replies in
    the threads given, with their authors' names."""
    parts = [
        f"{CHECKIN_LABELS[name]}: {text}"
        for name in CHECKIN_TEXTS
        if (text := getattr(checkin, name))
    ]
    for thread in threads:
        replies = list(thread.replies.all())
        if replies:
            parts.append(str(_("Replies")) + ":")
            parts.extend(f"{reply.owner.display_name}: {reply.text}" for reply in replies)
    return "\n".join(parts)


def _checkin_label(person: Any, checkin: CheckIn) -> str:
    if checkin.owner_id == person.pk:
        return _("Check-in, %(week)s") % {"week": checkin.week_label}
    return _("Check-in from %(name)s, %(week)s") % {
        "name": checkin.owner.display_name,
        "week": checkin.week_label,
    }


def _checkins_to_bring(person: Any, checkins: models.QuerySet[CheckIn]) -> list[ToBring]:
    found = list(checkins.select_related("owner"))
    threads = (
        Thread.objects.visible_to(person)
        .filter(checkin__in=[checkin.pk for checkin in found])
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("owner").order_by("created_at", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    by_checkin: dict[int, list[Thread]] = {}
    for thread in threads:
        by_checkin.setdefault(thread.checkin_id, []).append(thread)
    return [
        ToBring(
            id=checkin.pk,
            label=_checkin_label(person, checkin),
            quote=_checkin_quote(checkin, by_checkin.get(checkin.pk, [])),
        )
        for checkin in found
    ]


def _bringable_checkins(person: Any, owners: Any) -> models.QuerySet[CheckIn]:
    """The person's own check-ins and those shared with them (by a colleague: a check-in is
    shared with a team or the owner's leaders, who are colleagues), newest week first; of
    these, only those whose owner is among `owners` (ids, or a query of them): the people
    of the conversation it would be brought into. Who the owner shared it with is who reads
    it: brought in, it is read by everyone in the conversation, so another's check-in goes
    only into a conversation its owner takes part in."""
    return (
        CheckIn.objects.visible_to(person)
        .filter(Q(owner=person) | Q(owner_id__in=colleague_ids(person)))
        .filter(owner_id__in=owners)
        .order_by("-week", "-pk")
    )


def checkins_to_bring(person: Any, *, owners: Any, limit: int = BRING_LIMIT) -> list[ToBring]:
    """The latest check-ins `person` owns or that are shared with them, of the people in
    `owners` (see _bringable_checkins), each with the replies they may read: four queries."""
    return _checkins_to_bring(person, _bringable_checkins(person, owners)[:limit])


def checkin_to_bring(person: Any, checkin_id: int, *, owners: Any) -> ToBring | None:
    """One check-in `person` may bring into a conversation of `owners`, or None when they may
    not read it, its owner is not among them (or it is gone)."""
    found = _checkins_to_bring(person, _bringable_checkins(person, owners).filter(pk=checkin_id))
    return found[0] if found else None


def _reflection_to_bring(reflection: Reflection) -> ToBring:
    return ToBring(
        id=reflection.pk,
        label=_("Reflection, %(date)s") % {"date": date_label(reflection.created_at)},
        quote=reflection.text,
    )


def reflections_to_bring(person: Any, *, limit: int = BRING_LIMIT) -> list[ToBring]:
    """The latest reflections `person` wrote."""
    return [
        _reflection_to_bring(reflection)
        for reflection in Reflection.objects.visible_to(person).owned_by(person)[:limit]
    ]


def reflection_to_bring(person: Any, reflection_id: int) -> ToBring | None:
    """One reflection of `person`'s own, or None."""
    reflection = (
        Reflection.objects.visible_to(person).owned_by(person).filter(pk=reflection_id).first()
    )
    return _reflection_to_bring(reflection) if reflection else None


def talking_point_to_bring(person: User, other: User, reply_id: int) -> ToBring | None:
    """A reply marked to take up at the next 1:1 between `person` and `other`, not yet taken
    up, in a thread `person` may read; None otherwise."""
    for point in talking_points_between(person, other):
        if point.reply_id == reply_id:
            return point.to_bring()
    return None
