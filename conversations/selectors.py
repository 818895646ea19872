"""Reads about conversations, for the pages. Everything here starts from what `visible_to`
lets the user read; a view never filters by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import NAME_COLUMNS, named
from checkins.selectors import (
    ToBring,
    checkins_to_bring,
    reflections_to_bring,
    talking_points_between,
)
from conversations.defaults import DEFAULT_TEMPLATES
from conversations.models import (
    DEVELOPMENT_KINDS,
    Addendum,
    Approval,
    Conversation,
    ConversationThread,
    DevelopmentTotal,
    Item,
    Kind,
    Participant,
    Plan,
    Preparation,
    PrivateNote,
    SharedNote,
    Summary,
    Template,
    TemplateQuestion,
    thread_key,
)
from core.access import (
    can_read,
    get_visible_or_404,
    id_list,
    led_people_ids,
    led_unit_ids,
    reader,
)
from core.compiled import compiled_query
from core.dates import date_label
from core.links import link
from core.tree import folded
from development.models import DevelopmentPlan
from development.plan_selectors import plans_agreed_in
from development.selectors import assessments_to_bring
from feedback.selectors import feedback_to_bring
from organisation.models import Membership, Unit
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

    @property
    def source_label(self) -> str:
        """Where a brought-in item came from, in the reader's language."""
        return str(Item.Source(self.source).label) if self.source in Item.Source.values else ""

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


def _items_on_agenda(thread_id: int, conversation_id: int, *carried: Q) -> QuerySet[Item]:
    on_agenda = Q(raised_in_id=conversation_id) | Q(closed_in_id=conversation_id)
    for more in carried:
        on_agenda |= more
    return (
        Item.objects.filter(thread_id=thread_id)
        .filter(on_agenda)
        .select_related("author", "owner", "raised_in")
        .order_by("position", "pk")
    )


@compiled_query
def _agenda(thread_id: int, conversation_id: int) -> QuerySet[Item]:
    """The items raised in the conversation and those closed in it."""
    return _items_on_agenda(thread_id, conversation_id)


@compiled_query
def _agenda_carrying_over(thread_id: int, conversation_id: int) -> QuerySet[Item]:
    """And the open items carried over from the thread's held conversations."""
    return _items_on_agenda(
        thread_id,
        conversation_id,
        Q(status=Item.Status.OPEN, raised_in__status=Conversation.Status.HELD),
    )


def agenda_of(conversation: Conversation) -> list[AgendaEntry]:
    """The agenda: as recorded when the conversation was held; before that, the items raised
    in it, those closed in it, and while it is open, the open items carried over from the
    thread's held conversations. One query."""
    if conversation.is_held and conversation.record is not None:
        return [AgendaEntry.from_record(entry) for entry in conversation.record["items"]]
    # A cancelled one carries nothing over: it was never held.
    on_agenda = _agenda_carrying_over if conversation.is_open else _agenda
    items = on_agenda(thread_id=conversation.thread_id, conversation_id=conversation.pk)
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
    # The approvals of the summary's current revision, with who and when.
    approvals: list[Approval]
    addenda: list[Addendum]
    # Who the reader talks with: the names the page is headed with.
    others: str
    # A held MUS whose summary everyone approved: the development plans agreed in it that the
    # reader may read, and whether they may still make theirs (an employee without one).
    development_plans: list[DevelopmentPlan]
    can_make_development_plan: bool

    @property
    def approval_rows(self) -> list[tuple[User, Approval | None]]:
        """Each participant with their approval of the summary's current revision, if given."""
        given = {approval.user_id: approval for approval in self.approvals}
        return [(person, given.get(person.pk)) for person in self.participants]


def development_plan_possible(
    conversation: Conversation, summary: Summary | None, user: User
) -> bool:
    """Whether `user`, a participant, may make their development plan from the conversation:
    a held MUS whose summary everyone approved, where they are an employee, not its leader."""
    return (
        conversation.kind == Kind.MUS
        and conversation.is_held
        and summary is not None
        and summary.is_locked
        and user.pk != conversation.leader_id
    )


# The conversation page's reads, compiled once (core.compiled): the page polls while it is
# open on two screens.


@compiled_query
def _participants(thread_id: int) -> QuerySet[User]:
    return User.objects.filter(conversation_threads__thread_id=thread_id).order_by(
        "first_name", "last_name", "pk"
    )


@compiled_query
def _answers(reader_id: int, conversation_id: int) -> QuerySet[Preparation]:
    return (
        Preparation.objects.visible_to(reader(reader_id))
        .filter(conversation_id=conversation_id)
        .select_related("owner")
    )


@compiled_query
def _questions(template_id: int) -> QuerySet[TemplateQuestion]:
    return TemplateQuestion.objects.filter(template_id=template_id)


@compiled_query
def _summary(reader_id: int, conversation_id: int) -> QuerySet[Summary]:
    return (
        Summary.objects.visible_to(reader(reader_id))
        .filter(conversation_id=conversation_id)
        .select_related("edited_by")[:1]
    )


@compiled_query
def _approvals(summary_id: int, revision: int) -> QuerySet[Approval]:
    return (
        Approval.objects.filter(summary_id=summary_id, revision=revision)
        .select_related("user")
        .order_by("approved_at", "pk")
    )


@compiled_query
def _shared_notes(reader_id: int, conversation_id: int) -> QuerySet[SharedNote]:
    return (
        SharedNote.objects.visible_to(reader(reader_id))
        .filter(conversation_id=conversation_id)
        .select_related("author")
    )


@compiled_query
def _private_note(reader_id: int, conversation_id: int) -> QuerySet[PrivateNote]:
    return PrivateNote.objects.visible_to(reader(reader_id)).filter(
        conversation_id=conversation_id
    )[:1]


@compiled_query
def _addenda(reader_id: int, conversation_id: int) -> QuerySet[Addendum]:
    return (
        Addendum.objects.visible_to(reader(reader_id))
        .filter(conversation_id=conversation_id)
        .select_related("author")
    )


def for_conversation_page(user: User, conversation: Conversation) -> ConversationPage:
    """What `user`, a participant, reads on the conversation's page: the questions with their
    own answers and what the others shared, the agenda, the shared notes, their own private
    note and the summary. 404 for someone who may read nothing (the caller has found the
    conversation through the access layer)."""
    if not can_read(user):
        raise Http404
    participants = _participants(thread_id=conversation.thread_id)
    answers = _answers(reader_id=user.pk, conversation_id=conversation.pk)
    questions = _questions(template_id=conversation.template_id)
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
    summary = next(iter(_summary(reader_id=user.pk, conversation_id=conversation.pk)), None)
    approvals = _approvals(summary_id=summary.pk, revision=summary.revision) if summary else []
    development_plans: list[DevelopmentPlan] = []
    can_make_plan = False
    if conversation.is_held and summary is not None and summary.is_locked:
        development_plans = plans_agreed_in(conversation.pk, user)
        can_make_plan = development_plan_possible(conversation, summary, user) and not any(
            plan.owner_id == user.pk for plan in development_plans
        )
    return ConversationPage(
        conversation=conversation,
        development_plans=development_plans,
        can_make_development_plan=can_make_plan,
        participants=participants,
        others=", ".join(p.display_name for p in participants if p.pk != user.pk),
        answers=page_answers,
        agenda=agenda_of(conversation),
        notes=_shared_notes(reader_id=user.pk, conversation_id=conversation.pk),
        private_note=next(
            iter(_private_note(reader_id=user.pk, conversation_id=conversation.pk)), None
        ),
        summary=summary,
        approved_by=[approval.user_id for approval in approvals],
        approvals=approvals,
        addenda=(
            _addenda(reader_id=user.pk, conversation_id=conversation.pk)
            if conversation.is_held
            else []
        ),
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
    their check-ins, reflections, kept feedback, team actions and own self-assessments."""

    conversation: Conversation
    talking_points: list[ToBring]
    checkins: list[ToBring]
    reflections: list[ToBring]
    feedback: list[ToBring]
    team_actions: list[ToBring]
    assessments: list[ToBring]

    @property
    def sources(self) -> list[tuple[str, str, list[ToBring]]]:
        """The kinds as the page lists them: (source, heading, choices)."""
        return [
            (Item.Source.CHECKIN, str(_("Check-ins")), self.checkins),
            (Item.Source.FEEDBACK, str(_("Feedback kept for my development")), self.feedback),
            (Item.Source.REFLECTION, str(_("Reflections")), self.reflections),
            (Item.Source.TEAM_ACTION, str(_("Team actions")), self.team_actions),
            (Item.Source.ASSESSMENT, str(_("My self-assessments")), self.assessments),
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
        checkins=fresh(
            Item.Source.CHECKIN,
            checkins_to_bring(
                user,
                owners=Participant.objects.filter(thread_id=conversation.thread_id).values(
                    "user_id"
                ),
            ),
        ),
        reflections=fresh(Item.Source.REFLECTION, reflections_to_bring(user)),
        feedback=fresh(Item.Source.FEEDBACK, feedback_to_bring(user)),
        team_actions=fresh(Item.Source.TEAM_ACTION, team_actions_to_bring(user)),
        assessments=fresh(Item.Source.ASSESSMENT, assessments_to_bring(user)),
    )


# --- Overviews without content ----------------------------------------------------------------

# A development conversation counts for a year: held in the 365 days up to now.
DEVELOPMENT_WINDOW = timedelta(days=365)


def _development_held(now: datetime, since: datetime) -> Q:
    """A MUS or GRUS held after `since` (DEVELOPMENT_WINDOW before `now`, worked out by the
    caller: a compiled query takes it as a value) and up to `now`."""
    return Q(
        kind__in=DEVELOPMENT_KINDS,
        status=Conversation.Status.HELD,
        held_at__gt=since,
        held_at__lte=now,
    )


def _my_people(leader: User) -> Any:
    """Ids of the members of the units `leader` leads, as a subquery: not a unit's other
    leaders, who are no one's people there."""
    return Membership.objects.filter(
        unit_id__in=led_unit_ids(leader), role=Membership.Role.MEMBER
    ).values("user_id")


def _had_development_with(leader: User, now: datetime, since: datetime) -> Q:
    """For a query of people: whether `leader` held a MUS or GRUS with the person after
    `since` and up to `now`. From the leader's own conversations (the index on `leader` finds them),
    not from every held MUS of the year, which a query per person would scan."""
    led_threads = Conversation.objects.filter(_development_held(now, since), leader=leader).values(
        "thread_id"
    )
    return Q(pk__in=Participant.objects.filter(thread_id__in=led_threads).values("user_id"))


@dataclass(frozen=True)
class PersonOverview:
    """One of a leader's people: when they last talked, when they talk next, how many actions
    are open between them, and whether they had a MUS or GRUS in the last year. Dates and
    counts only, never what was said."""

    person_id: int
    name: str
    job_title: str
    thread_id: int | None
    last_held_on: date | None
    last_held_kind: str
    next_at: datetime | None
    next_kind: str
    open_actions: int
    development_held: bool

    @property
    def thread_url(self) -> str:
        return link("conversations:thread", self.thread_id) if self.thread_id else ""


@dataclass(frozen=True)
class LeadersOverview:
    people: list[PersonOverview]

    @property
    def without_development(self) -> int:
        return sum(1 for person in self.people if not person.development_held)


def _kind_label(kind: str | None) -> str:
    return str(Kind(kind).label) if kind else ""


@compiled_query
def _people_of_leader(leader_id: int, since: datetime, now: datetime) -> QuerySet[User]:
    leader = reader(leader_id)
    return (
        User.objects.filter(pk__in=_my_people(leader), is_active=True)
        .exclude(pk=leader_id)
        .annotate(
            development_held=ExpressionWrapper(
                _had_development_with(leader, now, since), output_field=BooleanField()
            )
        )
        .order_by("first_name", "last_name", "pk")
    )


@compiled_query
def _threads_by_key(keys: list[str], now: datetime) -> QuerySet[ConversationThread]:
    """The threads with these keys, each with its last held and next planned conversation
    and its open actions."""
    held = Conversation.objects.filter(
        thread=OuterRef("pk"), status=Conversation.Status.HELD
    ).order_by("-held_at", "-pk")
    planned = Conversation.objects.filter(
        thread=OuterRef("pk"), status=Conversation.Status.PLANNED, starts_at__gte=now
    ).order_by("starts_at", "pk")
    actions = (
        Item.objects.filter(thread=OuterRef("pk"), type=Item.Type.ACTION, status=Item.Status.OPEN)
        .exclude(raised_in__status=Conversation.Status.CANCELLED)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ConversationThread.objects.filter(key__in=keys).annotate(
        last_starts_at=Subquery(held.values("starts_at")[:1]),
        last_held_at=Subquery(held.values("held_at")[:1]),
        last_kind=Subquery(held.values("kind")[:1]),
        next_at=Subquery(planned.values("starts_at")[:1]),
        next_kind=Subquery(planned.values("kind")[:1]),
        open_actions=Coalesce(Subquery(actions), 0),
    )


def for_leaders_overview(user: User, now: datetime) -> LeadersOverview | None:
    """Each person in the units `user` leads now, by name: the last conversation held in their
    thread with `user` and the next one planned, the thread's open actions, and whether
    `user` held a MUS or GRUS with them in the last 365 days. None for someone who leads no
    unit. Three queries, however many people: whether `user` leads, the people, and the
    threads with `user`."""
    if not id_list(led_unit_ids(user)):
        return None
    people = _people_of_leader(leader_id=user.pk, since=now - DEVELOPMENT_WINDOW, now=now)
    keys = {thread_key([user.pk, person.pk]): person.pk for person in people}
    # The key names exactly the two of them: a group's thread is not their 1:1.
    threads = {keys[thread.key]: thread for thread in _threads_by_key(keys=list(keys), now=now)}
    rows = []
    for person in people:
        thread: Any = threads.get(person.pk)
        last = (thread.last_starts_at or thread.last_held_at) if thread else None
        rows.append(
            PersonOverview(
                person_id=person.pk,
                name=person.display_name,
                job_title=person.job_title,
                thread_id=thread.pk if thread else None,
                last_held_on=timezone.localtime(last).date() if last else None,
                last_held_kind=_kind_label(thread.last_kind) if thread else "",
                next_at=thread.next_at if thread else None,
                next_kind=_kind_label(thread.next_kind) if thread else "",
                open_actions=thread.open_actions if thread else 0,
                development_held=person.development_held,  # type: ignore[attr-defined]
            )
        )
    return LeadersOverview(people=rows)


def without_development_count(user: User, now: datetime) -> int:
    """How many of the people in the units `user` leads had no MUS or GRUS with `user` in the
    last 365 days. One query, compiled once (the leader's week asks on every view)."""
    if not can_read(user):
        return 0
    return len(_without_development(leader_id=user.pk, since=now - DEVELOPMENT_WINDOW, now=now))


@compiled_query
def _without_development(leader_id: int, since: datetime, now: datetime) -> QuerySet[Any]:
    leader = reader(leader_id)
    return (
        User.objects.filter(pk__in=_my_people(leader), is_active=True)
        .exclude(pk=leader_id)
        .exclude(_had_development_with(leader, now, since))
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class UnitOverview:
    """A unit's counts: its own people (not those of the units below), how many had a MUS or
    GRUS in the last 365 days, and how many of those have a MUS summary approved by all. Never
    who. In the tree on the page, `children` says how many units are below it, `open` whether
    they are shown, and `toggle` the units to open to show or hide them."""

    unit_id: int
    name: str
    depth: int
    archived: bool
    people: int
    development_held: int
    approved: int
    children: int = 0
    open: bool = False
    toggle: str = ""

    @property
    def held_share(self) -> int | None:
        """Per cent of the people, rounded; None for a unit without people."""
        return round(100 * self.development_held / self.people) if self.people else None

    @property
    def approved_share(self) -> int | None:
        """Per cent of those who had one."""
        if not self.development_held:
            return None
        return round(100 * self.approved / self.development_held)


@dataclass(frozen=True)
class AdministratorsOverview:
    units: list[UnitOverview]
    total: UnitOverview
    # How many units there are in all, shown or not.
    count: int
    # When the worker counted `total`; None when the page counted it itself.
    total_counted_at: datetime | None = None


# The tree opens on the top unit and the two levels below it.
OVERVIEW_OPEN_DEPTH = 2

# The worker counts the whole organisation every five minutes (`development_total_count`); the
# overview shows that count while it is at most a quarter of an hour old (the worker may have
# missed a tick or two), and counts itself otherwise.
TOTAL_COUNTED_EVERY = timedelta(minutes=5)
TOTAL_KEPT_FOR = timedelta(minutes=15)
# A count made by a worker whose clock runs a little ahead of this machine's is still taken.
CLOCKS_APART = timedelta(minutes=1)


def _development_counts(now: datetime, person: str) -> dict[str, Count]:
    """People, those of them with a MUS or GRUS in the 365 days up to `now`, and those with an
    approved MUS summary, counted from the development records the services keep, so that a
    year of conversations is not read. `person` leads from the rows counted to the person
    ("user" from a membership, "" from the person); each row is a different person (one
    membership per person and unit), so nothing is counted twice."""
    prefix = f"{person}__" if person else ""

    def within(field: str) -> Q:
        return Q(
            **{
                f"{prefix}development_record__{field}__gt": now - DEVELOPMENT_WINDOW,
                f"{prefix}development_record__{field}__lte": now,
            }
        )

    return {
        "people": Count("pk"),
        "held": Count("pk", filter=within("held_at")),
        "approved": Count("pk", filter=within("approved_at")),
    }


def for_administrators_overview(
    now: datetime, *, open_ids: set[int] | None = None
) -> AdministratorsOverview:
    """Per unit, in tree order: counts and shares only, never who. The page shows the units
    whose parents are open (by default the top unit and two levels below). Three queries
    however many units: the units, the counts of those shown, and the whole organisation's as
    the worker counted it (or, when it has not lately, counted here over every person)."""
    units, count = _units_overview(now, open_ids=open_ids, every_unit=False)
    kept = DevelopmentTotal.objects.filter(
        counted_at__gt=now - TOTAL_KEPT_FOR, counted_at__lte=now + CLOCKS_APART
    ).first()
    total = (
        {"people": kept.people, "held": kept.held, "approved": kept.approved}
        if kept is not None
        else development_total(now)
    )
    return AdministratorsOverview(
        units=units,
        total=UnitOverview(
            unit_id=0,
            name="",
            depth=0,
            archived=False,
            people=total["people"],
            development_held=total["held"],
            approved=total["approved"],
        ),
        count=count,
        total_counted_at=kept.counted_at if kept is not None else None,
    )


def for_administrators_csv(now: datetime) -> list[UnitOverview]:
    """Every unit's counts, as the overview shows them, for a spreadsheet: two queries."""
    units, _count = _units_overview(now, open_ids=None, every_unit=True)
    return units


def _units_overview(
    now: datetime, *, open_ids: set[int] | None, every_unit: bool
) -> tuple[list[UnitOverview], int]:
    """The units shown (those whose parents are open, or every one) with their counts, and how
    many units there are in all."""
    tree = list(
        Unit.objects.order_by("path").values_list("pk", "parent_id", "name", "depth", "archived_at")
    )
    folds = folded(
        [(pk, parent_id, depth) for pk, parent_id, _name, depth, _archived in tree],
        open_ids,
        open_depth=OVERVIEW_OPEN_DEPTH,
        every_unit=every_unit,
    )
    visible = set(folds)
    memberships = Membership.objects.filter(user__is_active=True)
    if not every_unit:
        memberships = memberships.filter(unit_id__in=visible)
    rows: Iterable[Mapping[str, Any]] = (
        memberships.values("unit_id").annotate(**_development_counts(now, "user")).order_by()
    )
    figures = {row["unit_id"]: (row["people"], row["held"], row["approved"]) for row in rows}
    units = [
        UnitOverview(
            pk,
            name,
            depth,
            archived_at is not None,
            *figures.get(pk, (0, 0, 0)),
            children=folds[pk].children,
            open=folds[pk].open,
            toggle=folds[pk].toggle,
        )
        for pk, _parent_id, name, depth, archived_at in tree
        if pk in folds
    ]
    return units, len(tree)


def development_total(now: datetime) -> dict[str, int]:
    """The whole organisation's people, held and approved at `now`: everyone in a unit, once
    (a person in two units is one row). One query over every person."""
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(Membership.objects.filter(user_id=OuterRef("pk"))))
        .aggregate(**_development_counts(now, ""))
    )


# --- Min side ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinSideConversation:
    """A conversation on Min side: what, when, with whom, and how many of the template's
    questions the person has not answered yet."""

    id: int
    kind: str
    title: str
    status: str
    starts_at: datetime | None
    with_name: str
    with_others: int
    unanswered: int

    @property
    def url(self) -> str:
        return link("conversations:conversation", self.id)

    @property
    def label(self) -> str:
        return self.title or _kind_label(self.kind)


@dataclass(frozen=True)
class MinSideAction:
    id: int
    text: str
    due_on: date | None
    thread_id: int

    @property
    def url(self) -> str:
        return link("conversations:thread", self.thread_id)

    @property
    def due_label(self) -> str:
        """ "Frist 2. december 2026" ("Due 2 December 2026"), or "" without a date: worded
        here, not by blocktranslate, which cost more than the rest of an action's line (a
        leader has dozens)."""
        return _("Due %(when)s") % {"when": date_label(self.due_on)} if self.due_on else ""


@dataclass(frozen=True)
class MinSideConversations:
    upcoming: list[MinSideConversation]
    # Conversations others asked `user` for, waiting for a time.
    requests: list[MinSideConversation]
    # The open actions from conversations that `user` owns, the earliest due first.
    actions: list[MinSideAction]

    def __bool__(self) -> bool:
        return bool(self.upcoming or self.requests or self.actions)


# How many upcoming conversations Min side lists.
MIN_SIDE_UPCOMING = 3


@compiled_query
def _next_and_requested(reader_id: int, now: datetime) -> QuerySet[Any]:
    return (
        Conversation.objects.visible_to(reader(reader_id))
        # Implied by the condition below, and said outright so that the database finds the few
        # conversations planned or asked for along the index on thread and status, instead of
        # reading each thread's years of held ones.
        .filter(status__in=[Conversation.Status.PLANNED, Conversation.Status.REQUESTED])
        .filter(
            Q(status=Conversation.Status.PLANNED, starts_at__gte=now)
            | (Q(status=Conversation.Status.REQUESTED) & ~Q(requested_by_id=reader_id))
        )
        .order_by("starts_at", "pk")
        .values_list("pk", "thread_id", "kind", "template_id", "title", "status", "starts_at")
    )


@compiled_query
def _others_in(thread_ids: list[int], user_id: int) -> QuerySet[Any]:
    return (
        Participant.objects.filter(thread_id__in=thread_ids)
        .exclude(user_id=user_id)
        .order_by("user__first_name", "user__last_name", "user_id")
        .values_list("thread_id", *NAME_COLUMNS)
    )


@compiled_query
def _questions_in(template_ids: list[int]) -> QuerySet[Any]:
    return (
        TemplateQuestion.objects.filter(template_id__in=template_ids)
        .order_by()
        .values("template_id")
        .annotate(n=Count("pk"))
        .values_list("template_id", "n")
    )


@compiled_query
def _answered_by(conversation_ids: list[int], owner_id: int) -> QuerySet[Any]:
    return (
        Preparation.objects.filter(conversation_id__in=conversation_ids, owner_id=owner_id)
        .exclude(text="")
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("pk"))
        .values_list("conversation_id", "n")
    )


@compiled_query
def _open_actions(owner_id: int) -> QuerySet[Any]:
    return (
        Item.objects.visible_to(reader(owner_id))
        .filter(owner_id=owner_id, type=Item.Type.ACTION, status=Item.Status.OPEN)
        .exclude(raised_in__status=Conversation.Status.CANCELLED)
        .order_by(F("due_on").asc(nulls_last=True), "pk")
        .values_list("pk", "text", "due_on", "thread_id")
    )


def for_min_side(user: User, now: datetime) -> MinSideConversations:
    """The person's next conversations, those others asked them for, and the actions they own.
    Two queries, and three flat ones more for someone with a conversation coming: who else
    takes part, and how many of each template's questions they have answered. (One query
    with a subquery per column for each conversation cost twice as long to put together as
    all of these to run.)"""
    if not can_read(user):
        return MinSideConversations([], [], [])
    rows = _next_and_requested(reader_id=user.pk, now=now)
    # Rows, and only the shown ones worked out: a leader has one planned with each of her
    # people, and Min side lists the next three.
    upcoming = [row for row in rows if row[5] == Conversation.Status.PLANNED][:MIN_SIDE_UPCOMING]
    shown = upcoming + [row for row in rows if row[5] == Conversation.Status.REQUESTED]
    others: dict[int, list[User]] = {}
    questions: dict[int, int] = {}
    answered: dict[int, int] = {}
    if shown:
        for thread_id, *name in _others_in(
            thread_ids=sorted({row[1] for row in shown}), user_id=user.pk
        ):
            others.setdefault(thread_id, []).append(named(*name))
        questions = dict(_questions_in(template_ids=sorted({row[3] for row in shown})))
        answered = dict(_answered_by(conversation_ids=[row[0] for row in shown], owner_id=user.pk))
    entries = []
    for pk, thread_id, kind, template_id, title, status, starts_at in shown:
        with_them = others.get(thread_id, [])
        entries.append(
            MinSideConversation(
                id=pk,
                kind=kind,
                title=title,
                status=status,
                starts_at=starts_at,
                with_name=with_them[0].display_name if with_them else "",
                with_others=max(len(with_them) - 1, 0),
                unanswered=max(questions.get(template_id, 0) - answered.get(pk, 0), 0),
            )
        )
    return MinSideConversations(
        upcoming=entries[: len(upcoming)],
        requests=entries[len(upcoming) :],
        actions=[MinSideAction(*row) for row in _open_actions(owner_id=user.pk)],
    )


# --- The template editor -----------------------------------------------------------------------

# A question as the editor shows it: (section in Danish, section in English, question in
# Danish, question in English), the shape `services.template_new_version` takes.
QuestionRow = tuple[str, str, str, str]


@dataclass(frozen=True)
class TemplateVersion:
    """A kind's current template: its version and how many conversations use it. Before
    anyone used or edited it, the kind has no template yet: version 1 will be the defaults."""

    kind: str
    version: int
    conversations: int

    @property
    def label(self) -> str:
        return _kind_label(self.kind)


def for_templates_page() -> list[TemplateVersion]:
    """Every kind with its current version. One query."""
    in_use = (
        Conversation.objects.filter(template_id=OuterRef("pk"))
        .order_by()
        .values("template_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    current = {
        template.kind: template
        for template in Template.objects.filter(is_current=True).annotate(
            in_use=Coalesce(Subquery(in_use), 0)
        )
    }
    return [
        TemplateVersion(
            kind=kind,
            version=current[kind].version if kind in current else 1,
            conversations=current[kind].in_use if kind in current else 0,
        )
        for kind in Kind.values
    ]


@dataclass(frozen=True)
class TemplateEditor:
    current: TemplateVersion
    rows: list[QuestionRow]


def for_template_editor(kind: str) -> TemplateEditor | None:
    """The kind's current questions to edit, or the defaults before there is a template; None
    for a kind that does not exist."""
    if kind not in Kind.values:
        return None
    current = next(version for version in for_templates_page() if version.kind == kind)
    template = Template.objects.filter(kind=kind, is_current=True).first()
    if template is None:
        rows = [
            (s["title"]["da"], s["title"]["en"], q["da"], q["en"])
            for s in DEFAULT_TEMPLATES[kind]
            for q in s["questions"]
        ]
    else:
        rows = list(
            template.questions.values_list("section_da", "section_en", "text_da", "text_en")
        )
    return TemplateEditor(current=current, rows=rows)
