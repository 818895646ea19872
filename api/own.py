"""The API's parts of what is a person's own: notes about oneself, feedback received and given,
and the conversations one takes part in. Read through the access layer; written through the
pages' services."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.models import PERSON_LEFT, User
from api.base import (
    ONE_PROBLEMS,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Input,
    PageQuery,
    Problem,
    needs,
    page_of,
    problem,
    visible,
)
from conversations.models import Conversation, PrivateNote, SharedNote
from conversations.services import ConversationError, private_note_save, shared_note_add
from core.access import get_visible_or_404
from feedback.models import Feedback
from feedback.services import FeedbackError, feedback_give
from profiles.models import ProfileNote
from profiles.services import note_save

router = Router()


# --- Notes about oneself ----------------------------------------------------------------------


class NoteOut(Schema):
    id: int
    owner: int = Field(..., alias="owner_id")
    title: str
    body: str
    visibility: str
    created_at: datetime
    updated_at: datetime


class NotePage(Schema):
    items: list[NoteOut]
    next: int | None


class NoteIn(Input):
    title: str = Field(..., min_length=1, max_length=200, pattern=r"\S")
    body: str = Field("", max_length=10_000)
    # Shared with chosen people is done on the page, where the people are picked.
    visibility: Literal["private", "leader", "team", "organisation"] = "private"


@router.get("/notes", response={200: NotePage, **READ_PROBLEMS}, tags=["notes"])
def notes(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The notes the person may read: their own, and others' shared with them, newest
    first."""
    return page_of(ProfileNote.objects.visible_to(needs(request, "notes:read")), page)


@router.get("/notes/{note_id}", response={200: NoteOut, **ONE_PROBLEMS}, tags=["notes"])
def note(request: HttpRequest, note_id: int) -> ProfileNote:
    found: ProfileNote = visible(request, "notes:read", ProfileNote, note_id)
    return found


@router.post("/notes", response={200: NoteOut, **WRITE_PROBLEMS}, tags=["notes"])
def note_new(request: HttpRequest, data: NoteIn) -> ProfileNote:
    """Write a new note about oneself."""
    person = needs(request, "notes:write")
    return note_save(note=ProfileNote(owner=person), **data.dict())


# --- Feedback ---------------------------------------------------------------------------------


class FeedbackOut(Schema):
    id: int
    receiver: int = Field(..., alias="owner_id")
    # Null once the giver's account is gone: the feedback stays its receiver's.
    giver: int | None = Field(..., alias="giver_id")
    about: str
    works_well: str
    even_better: str
    theme: str
    values: list[int]
    thanked_at: datetime | None
    # What the receiver did with it, for the receiver's eyes: null to anyone else.
    visibility: str | None
    kept: bool | None
    created_at: datetime

    @staticmethod
    def resolve_values(obj: Feedback) -> list[int]:
        return [value.pk for value in obj.values.all()]

    @staticmethod
    def resolve_visibility(obj: Feedback, context: dict[str, Any]) -> str | None:
        return obj.visibility if _is_receiver(obj, context) else None

    @staticmethod
    def resolve_kept(obj: Feedback, context: dict[str, Any]) -> bool | None:
        return obj.kept if _is_receiver(obj, context) else None


def _is_receiver(feedback: Feedback, context: dict[str, Any]) -> bool:
    return bool(feedback.owner_id == context["request"].user.pk)


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    next: int | None


class FeedbackQuery(PageQuery):
    # Received: to the person (theirs); given: by the person; shared: others' shared with them.
    role: Literal["received", "given", "shared"] | None = None


@router.get("/feedback", response={200: FeedbackPage, **READ_PROBLEMS}, tags=["feedback"])
def feedback_list(request: HttpRequest, page: Query[FeedbackQuery]) -> dict[str, Any]:
    """The feedback the person may read, newest first: what they received, what they gave,
    and what others shared with them; `role` picks one of the three."""
    person = needs(request, "feedback:read")
    rows = {
        None: Feedback.objects.visible_to(person),
        "received": Feedback.objects.visible_to(person).received_by(person),
        "given": Feedback.objects.visible_to(person).given_by(person),
        "shared": Feedback.objects.shared_with_me(person),
    }[page.role]
    return page_of(rows.prefetch_related("values"), page)


@router.get(
    "/feedback/{feedback_id}", response={200: FeedbackOut, **ONE_PROBLEMS}, tags=["feedback"]
)
def feedback_one(request: HttpRequest, feedback_id: int) -> Feedback:
    found: Feedback = visible(request, "feedback:read", Feedback, feedback_id)
    return found


class FeedbackIn(Input):
    """Feedback to a colleague, not asked for (answering a request is done on the page)."""

    receiver: int
    about: str = Field("", max_length=200)
    works_well: str = Field("", max_length=2000)
    even_better: str = Field("", max_length=2000)


@router.post(
    "/feedback", response={200: FeedbackOut, **WRITE_PROBLEMS, 409: Problem}, tags=["feedback"]
)
def feedback_new(request: HttpRequest, data: FeedbackIn) -> Any:
    """Give a colleague feedback. It is theirs: private to the two of you until they share it
    onward. Someone who has left, or no one, is 409, in the same words."""
    person = needs(request, "feedback:write")
    receiver = User.objects.filter(pk=data.receiver).first()
    try:
        if receiver is None:
            raise FeedbackError(str(PERSON_LEFT))
        return feedback_give(
            giver=person,
            receiver=receiver,
            about=data.about,
            works_well=data.works_well,
            even_better=data.even_better,
        )
    except FeedbackError as error:
        return problem(request, 409, _("The feedback cannot be given"), str(error))


# --- Conversations ----------------------------------------------------------------------------


class SharedNoteOut(Schema):
    id: int
    author: int = Field(..., alias="author_id")
    text: str
    created_at: datetime
    updated_at: datetime


class ConversationOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    leader: int | None = Field(..., alias="leader_id")
    participants: list[int]
    starts_at: datetime | None
    duration_minutes: int | None
    place: str
    held_at: datetime | None
    # What all its participants read.
    shared_notes: list[SharedNoteOut]
    # The person's own notes on it, read by nobody else; empty when they wrote none.
    private_notes: str
    created_at: datetime

    @staticmethod
    def resolve_participants(obj: Conversation) -> list[int]:
        return [participant.user_id for participant in obj.thread.participants.all()]

    @staticmethod
    def resolve_private_notes(obj: Conversation) -> str:
        return "".join(note.text for note in obj.own_private_notes)  # type: ignore[attr-defined]


class ConversationPage(Schema):
    items: list[ConversationOut]
    next: int | None


def _conversations(person: Any) -> Any:
    """The conversations `person` takes part in, with what the answer shows of each."""
    return (
        Conversation.objects.visible_to(person)
        .select_related("thread")
        .prefetch_related(
            "thread__participants",
            Prefetch("shared_notes", queryset=SharedNote.objects.order_by("created_at", "pk")),
            Prefetch(
                "private_notes",
                queryset=PrivateNote.objects.filter(owner=person),
                to_attr="own_private_notes",
            ),
        )
    )


@router.get(
    "/conversations",
    response={200: ConversationPage, **READ_PROBLEMS},
    tags=["conversations"],
)
def conversations(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The conversations the person takes part in (1:1s, MUS and the others), newest made
    first."""
    return page_of(_conversations(needs(request, "conversations:read")), page)


class NoteTextIn(Input):
    text: str = Field(..., min_length=1, max_length=4000, pattern=r"\S")


class PrivateNoteIn(Input):
    # Empty clears them.
    text: str = Field(..., max_length=10_000)


class PrivateNoteOut(Schema):
    conversation: int = Field(..., alias="conversation_id")
    text: str
    updated_at: datetime


def _conversation_for(request: HttpRequest, conversation_id: int) -> tuple[User, Conversation]:
    """The token's person, who may write, and a conversation they take part in; 404 else."""
    person = needs(request, "conversations:write")
    found: Conversation = get_visible_or_404(Conversation.objects, person, pk=conversation_id)
    return person, found


@router.post(
    "/conversations/{conversation_id}/notes",
    response={200: SharedNoteOut, **WRITE_PROBLEMS, 404: Problem, 409: Problem},
    tags=["conversations"],
)
def conversation_note_new(request: HttpRequest, conversation_id: int, data: NoteTextIn) -> Any:
    """Add a note that all the conversation's participants read. A conversation that was
    held is frozen: 409."""
    person, found = _conversation_for(request, conversation_id)
    try:
        return shared_note_add(conversation=found, by=person, text=data.text, now=timezone.now())
    except ConversationError as error:
        return problem(request, 409, _("The note cannot be added"), str(error))


@router.post(
    "/conversations/{conversation_id}/private-notes",
    response={200: PrivateNoteOut, **WRITE_PROBLEMS, 404: Problem},
    tags=["conversations"],
)
def conversation_private_notes(
    request: HttpRequest, conversation_id: int, data: PrivateNoteIn
) -> PrivateNote:
    """Replace one's own notes on the conversation, which nobody else ever reads; they may be
    written after it was held too."""
    person, found = _conversation_for(request, conversation_id)
    return private_note_save(conversation=found, by=person, text=data.text)


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationOut, **ONE_PROBLEMS},
    tags=["conversations"],
)
def conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    person = needs(request, "conversations:read")
    found: Conversation = get_object_or_404(_conversations(person), pk=conversation_id)
    return found
