"""Reads about conversations, for the pages. Everything here starts from what `visible_to`
lets the user read; a view never filters by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from accounts.models import User
from conversations.models import (
    Addendum,
    Approval,
    Conversation,
    ConversationThread,
    Item,
    Preparation,
    PrivateNote,
    SharedNote,
    Summary,
    TemplateQuestion,
)
from core.access import get_visible_or_404


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
    # The approvals of the summary's current revision, with who and when.
    approvals: list[Approval]
    addenda: list[Addendum]

    @property
    def approval_rows(self) -> list[tuple[User, Approval | None]]:
        """Each participant with their approval of the summary's current revision, if given."""
        given = {approval.user_id: approval for approval in self.approvals}
        return [(person, given.get(person.pk)) for person in self.participants]


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
    summary = (
        Summary.objects.visible_to(user)
        .filter(conversation=conversation)
        .select_related("edited_by")
        .first()
    )
    approvals = (
        list(
            summary.approvals.filter(revision=summary.revision)
            .select_related("user")
            .order_by("approved_at", "pk")
        )
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
        approved_by=[approval.user_id for approval in approvals],
        approvals=approvals,
        addenda=(
            list(
                Addendum.objects.visible_to(user)
                .filter(conversation=conversation)
                .select_related("author")
            )
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
