"""Reads about conversations, for the pages. Everything here starts from what `visible_to`
lets the user read; a view never filters by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.selectors import (
    ToBring,
    checkins_to_bring,
    reflections_to_bring,
    talking_points_between,
)
from conversations.models import (
    Conversation,
    ConversationThread,
    Item,
    Kind,
    Participant,
    Plan,
    Preparation,
    PrivateNote,
    SharedNote,
    Summary,
    TemplateQuestion,
)
from core.access import get_visible_or_404, led_people_ids, led_unit_ids
from feedback.selectors import feedback_to_bring
from organisation.models import Unit
from pulse.selectors import team_actions_to_bring


def thread_or_404(user: Any, thread_id: int) -> ConversationThread:
    thread: ConversationThread = get_visible_or_404(ConversationThread.objects, user, pk=thread_id)
    return thread


def conversation_or_404(user: Any, conversation_id: int) -> Conversation:
    conversation: Conversation = get_visible_or_404(
        Conversation.objects.select_related("thread", "template"), user, pk=conversation_id
    )
    return conversation


# --- The agenda ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    """An item as the agenda shows it; `carried_from` is the day of the conversation it was
    raised in, when that was an earlier one ("Videreført fra <dato>")."""

    id: int
    type: str
    text: str
    quote: str
    source: str
    author: str
    owner: str
    owner_id: int | None
    due_on: date | None
    status: str
    carried_from: date | None

    @property
    def is_action(self) -> bool:
        return self.type == Item.Type.ACTION

    @property
    def is_open(self) -> bool:
        return self.status == Item.Status.OPEN

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "text": self.text,
            "quote": self.quote,
            "source": self.source,
            "author": self.author,
            "owner": self.owner,
            "owner_id": self.owner_id,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "status": self.status,
            "carried_from": self.carried_from.isoformat() if self.carried_from else None,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> AgendaEntry:
        return cls(
            **{
                **record,
                "due_on": date.fromisoformat(record["due_on"]) if record["due_on"] else None,
                "carried_from": (
                    date.fromisoformat(record["carried_from"]) if record["carried_from"] else None
                ),
            }
        )


def conversation_day(conversation: Conversation) -> date | None:
    """The day a conversation is (or was) held, in Copenhagen."""
    from django.utils import timezone

    moment = conversation.starts_at or conversation.held_at
    return timezone.localtime(moment).date() if moment else None


def agenda_of(conversation: Conversation) -> list[AgendaEntry]:
    """The agenda: as recorded when the conversation was held; before that, the items raised
    in it, those closed in it, and the open items carried over from the thread's held
    conversations. One query."""
    if conversation.is_held and conversation.record is not None:
        return [AgendaEntry.from_record(entry) for entry in conversation.record["items"]]
    items = (
        Item.objects.filter(thread_id=conversation.thread_id)
        .filter(
            Q(raised_in=conversation)
            | Q(closed_in=conversation)
            | Q(status=Item.Status.OPEN, raised_in__status=Conversation.Status.HELD)
        )
        .select_related("author", "owner", "raised_in")
        .order_by("position", "pk")
    )
    return [
        AgendaEntry(
            id=item.pk,
            type=item.type,
            text=item.text,
            quote=item.quote,
            source=item.source,
            author=item.author.display_name,
            owner=item.owner.display_name if item.owner else "",
            owner_id=item.owner_id,
            due_on=item.due_on,
            status=item.status,
            carried_from=(
                conversation_day(item.raised_in) if item.raised_in_id != conversation.pk else None
            ),
        )
        for item in items
    ]


# --- The conversation page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    question: TemplateQuestion
    mine: Preparation | None
    # What the other participants shared, with their names.
    shared: list[tuple[str, str]]


@dataclass(frozen=True)
class ConversationPage:
    conversation: Conversation
    participants: list[User]
    answers: list[Answer]
    agenda: list[AgendaEntry]
    notes: list[SharedNote]
    private_note: PrivateNote | None
    summary: Summary | None
    approved_by: list[int]


def for_conversation_page(user: User, conversation: Conversation) -> ConversationPage:
    """What `user`, a participant, reads on the conversation's page: the questions with their
    own answers and what the others shared, the agenda, the shared notes, their own private
    note and the summary."""
    participants = list(
        User.objects.filter(conversation_threads__thread_id=conversation.thread_id).order_by(
            "first_name", "last_name", "pk"
        )
    )
    answers = list(
        Preparation.objects.visible_to(user)
        .filter(conversation=conversation)
        .select_related("owner")
    )
    questions = list(conversation.template.questions.all())
    page_answers = [
        Answer(
            question=question,
            mine=next(
                (a for a in answers if a.question_id == question.pk and a.owner_id == user.pk),
                None,
            ),
            shared=[
                (a.owner.display_name, a.text)
                for a in answers
                if a.question_id == question.pk and a.owner_id != user.pk
            ],
        )
        for question in questions
    ]
    summary = Summary.objects.visible_to(user).filter(conversation=conversation).first()
    approved_by = (
        list(summary.approvals.filter(revision=summary.revision).values_list("user_id", flat=True))
        if summary
        else []
    )
    return ConversationPage(
        conversation=conversation,
        participants=participants,
        answers=page_answers,
        agenda=agenda_of(conversation),
        notes=list(
            SharedNote.objects.visible_to(user)
            .filter(conversation=conversation)
            .select_related("author")
        ),
        private_note=PrivateNote.objects.visible_to(user).filter(conversation=conversation).first(),
        summary=summary,
        approved_by=approved_by,
    )


# --- The thread ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadPage:
    thread: ConversationThread
    participants: list[User]
    conversations: list[Conversation]
    open_items: list[Item]


def for_thread_page(user: User, thread: ConversationThread) -> ThreadPage:
    """The thread: its conversations newest first, and the agreements still open."""
    return ThreadPage(
        thread=thread,
        participants=list(
            User.objects.filter(conversation_threads__thread=thread).order_by(
                "first_name", "last_name", "pk"
            )
        ),
        conversations=list(Conversation.objects.visible_to(user).filter(thread=thread)),
        open_items=list(
            Item.objects.visible_to(user)
            .filter(thread=thread)
            .open()
            .filter(raised_in__status=Conversation.Status.HELD)
            .select_related("owner", "raised_in")
        ),
    )


def threads_of(user: User) -> list[ConversationThread]:
    """The user's threads, with their participants."""
    return list(
        ConversationThread.objects.visible_to(user)
        .prefetch_related("participants__user")
        .order_by("-pk")
    )


# --- The list of one's conversations -----------------------------------------------------------


@dataclass(frozen=True)
class ConversationLine:
    """A conversation on the list, with the other participants' names."""

    conversation: Conversation
    others: str


@dataclass(frozen=True)
class ThreadLine:
    thread: ConversationThread
    others: str
    last_held: datetime | None
    next: Conversation | None


@dataclass(frozen=True)
class ConversationsPage:
    upcoming: list[ConversationLine]
    asked_of_me: list[ConversationLine]
    asked_by_me: list[ConversationLine]
    threads: list[ThreadLine]
    plans: list[Plan]
    leads_people: bool


def _others(thread: ConversationThread, user: User) -> str:
    return get_text_list(
        [p.user.display_name for p in thread.participants.all() if p.user_id != user.pk],
        gettext("and"),
    )


def others_in(conversation: Conversation, user: User) -> str:
    """The names of the conversation's participants other than `user`."""
    return get_text_list(
        [
            person.display_name
            for person in User.objects.filter(
                conversation_threads__thread_id=conversation.thread_id
            )
            .exclude(pk=user.pk)
            .order_by("first_name", "last_name", "pk")
        ],
        gettext("and"),
    )


def for_conversations_page(user: User) -> ConversationsPage:
    """`user`'s planned conversations soonest first (those not yet marked held stay until they
    are), the requests waiting for them and their own, their threads with the last held and
    the next planned conversation, and the plans they made. A fixed number of queries."""
    threads = list(
        ConversationThread.objects.visible_to(user)
        .annotate(
            last_held=Max(
                "conversations__held_at",
                filter=Q(conversations__status=Conversation.Status.HELD),
            )
        )
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user").order_by(
                    "user__first_name", "user__last_name", "user_id"
                ),
            )
        )
    )
    others = {thread.pk: _others(thread, user) for thread in threads}
    open_ones = list(
        Conversation.objects.visible_to(user)
        .filter(status__in=[Conversation.Status.PLANNED, Conversation.Status.REQUESTED])
        .order_by(F("starts_at").asc(nulls_last=True), "created_at", "pk")
    )
    planned = [c for c in open_ones if c.status == Conversation.Status.PLANNED]
    asked = [c for c in open_ones if c.status == Conversation.Status.REQUESTED]
    following: dict[int, Conversation] = {}
    for conversation in planned:
        following.setdefault(conversation.thread_id, conversation)
    lines = [
        ThreadLine(
            thread=thread,
            others=others[thread.pk],
            last_held=thread.last_held,  # type: ignore[attr-defined]
            next=following.get(thread.pk),
        )
        for thread in threads
    ]
    # Threads with something coming first, then those most recently held.
    lines.sort(
        key=lambda line: (
            line.next is None,
            line.next.starts_at.timestamp() if line.next and line.next.starts_at else 0,
            -(line.last_held.timestamp() if line.last_held else 0),
        )
    )
    return ConversationsPage(
        upcoming=[ConversationLine(c, others[c.thread_id]) for c in planned],
        asked_of_me=[
            ConversationLine(c, others[c.thread_id]) for c in asked if c.requested_by_id != user.pk
        ],
        asked_by_me=[
            ConversationLine(c, others[c.thread_id]) for c in asked if c.requested_by_id == user.pk
        ],
        threads=lines,
        plans=list(Plan.objects.visible_to(user)),
        leads_people=people_led_by(user).exists(),
    )


def people_led_by(user: User) -> QuerySet[User]:
    """The active people in the units `user` leads, but not `user`: whom a leader's plan is
    for."""
    return (
        User.objects.filter(is_active=True, pk__in=led_people_ids(user))
        .exclude(pk=user.pk)
        .order_by("first_name", "last_name", "pk")
    )


# --- A leader's plan ---------------------------------------------------------------------------


# Where a plan proposes times: weekdays, starting at 9 and ending by 15.30 in Copenhagen, with
# half an hour between two conversations.
PROPOSED_DAY = (time(9, 0), time(15, 30))
PROPOSED_BREAK = timedelta(minutes=30)


def proposed_times(
    *, starts_on: date, ends_on: date, count: int, duration_minutes: int, now: datetime
) -> list[datetime]:
    """Up to `count` times in the period for a leader's plan to start from, one after the
    other on weekdays, from tomorrow at the earliest. Fewer when the period has no more room."""
    zone = ZoneInfo(settings.TIME_ZONE)
    length = timedelta(minutes=duration_minutes)
    day = max(starts_on, timezone.localtime(now).date() + timedelta(days=1))
    times: list[datetime] = []
    while len(times) < count and day <= ends_on:
        if day.weekday() < 5:
            at = datetime.combine(day, PROPOSED_DAY[0], tzinfo=zone)
            until = datetime.combine(day, PROPOSED_DAY[1], tzinfo=zone)
            while len(times) < count and at + length <= until:
                times.append(at)
                at += length + PROPOSED_BREAK
        day += timedelta(days=1)
    return times


def plan_title(user: User, *, kind: str, year: int) -> str:
    """A title to start from, such as "MUS 2027 i Sekretariatet" for the leader of one unit,
    in the active language."""
    units = list(Unit.objects.filter(pk__in=led_unit_ids(user)).values_list("name", flat=True)[:2])
    label = Kind(kind).label
    if len(units) == 1:
        return gettext("%(kind)s %(year)s in %(unit)s") % {
            "kind": label,
            "year": year,
            "unit": units[0],
        }
    return f"{label} {year}"


@dataclass(frozen=True)
class PlanLine:
    """One person's conversation in a plan: when, and how far it got; never what was said."""

    person: str
    conversation: Conversation
    summary_approved: bool


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    lines: list[PlanLine]
    held: int


def for_plan_page(user: User, plan: Plan) -> PlanPage:
    """The plan's conversations, by time, each with the person it is with, its status and
    whether the summary was approved by all. Three queries."""
    conversations = list(
        Conversation.objects.visible_to(user)
        .filter(plan=plan)
        .annotate(
            approved=Exists(
                Summary.objects.filter(conversation=OuterRef("pk"), locked_at__isnull=False)
            )
        )
        .order_by(F("starts_at").asc(nulls_last=True), "pk")
    )
    names: dict[int, list[str]] = {}
    for participant in (
        Participant.objects.filter(thread_id__in={c.thread_id for c in conversations})
        .exclude(user_id=plan.leader_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ):
        names.setdefault(participant.thread_id, []).append(participant.user.display_name)
    lines = [
        PlanLine(
            person=get_text_list(names.get(c.thread_id, []), gettext("and")),
            conversation=c,
            summary_approved=c.approved,  # type: ignore[attr-defined]
        )
        for c in conversations
    ]
    return PlanPage(
        plan=plan,
        lines=lines,
        held=sum(1 for line in lines if line.conversation.is_held),
    )


# --- What a participant may bring in -----------------------------------------------------------


@dataclass(frozen=True)
class BringChoices:
    """What `user` may bring into an open conversation, less what is on its agenda already:
    the talking points from the check-ins of the two (only in a conversation between two),
    their check-ins, reflections, kept feedback and team actions."""

    conversation: Conversation
    talking_points: list[ToBring]
    checkins: list[ToBring]
    reflections: list[ToBring]
    feedback: list[ToBring]
    team_actions: list[ToBring]

    @property
    def sources(self) -> list[tuple[str, str, list[ToBring]]]:
        """The kinds as the page lists them: (source, heading, choices)."""
        return [
            (Item.Source.CHECKIN, str(_("Check-ins")), self.checkins),
            (Item.Source.FEEDBACK, str(_("Feedback kept for my development")), self.feedback),
            (Item.Source.REFLECTION, str(_("Reflections")), self.reflections),
            (Item.Source.TEAM_ACTION, str(_("Team actions")), self.team_actions),
        ]

    @property
    def is_empty(self) -> bool:
        return not any(choices for _source, _heading, choices in self.sources)


def for_bring(user: User, conversation: Conversation) -> BringChoices:
    """The choices of what `user`, a participant, may bring into `conversation`."""
    on_agenda = {
        (source, source_id)
        for source, source_id in Item.objects.filter(thread_id=conversation.thread_id)
        .filter(Q(raised_in=conversation) | Q(status=Item.Status.OPEN))
        .exclude(source="")
        .values_list("source", "source_id")
    }

    def fresh(source: str, choices: list[ToBring]) -> list[ToBring]:
        return [choice for choice in choices if (source, choice.id) not in on_agenda]

    others = list(
        User.objects.filter(conversation_threads__thread_id=conversation.thread_id).exclude(
            pk=user.pk
        )[:2]
    )
    talking_points = (
        [point.to_bring() for point in talking_points_between(user, others[0])]
        if len(others) == 1
        else []
    )
    return BringChoices(
        conversation=conversation,
        talking_points=talking_points,
        checkins=fresh(Item.Source.CHECKIN, checkins_to_bring(user)),
        reflections=fresh(Item.Source.REFLECTION, reflections_to_bring(user)),
        feedback=fresh(Item.Source.FEEDBACK, feedback_to_bring(user)),
        team_actions=fresh(Item.Source.TEAM_ACTION, team_actions_to_bring(user)),
    )
