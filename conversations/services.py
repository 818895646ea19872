"""Writes about conversations. Each is atomic and checks that the person is a participant,
even though views reach conversations only through `visible_to`: a rule lives here once.

A held conversation is frozen: nothing of it changes but its items' fate in later
conversations (recorded there) and dated addenda."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import Truncator, format_lazy, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PERSON_LEFT, User
from checkins import selectors as checkin_selectors
from checkins.selectors import ToBring
from checkins.services import replies_taken_up
from conversations.calendar import conversation_event
from conversations.defaults import DEFAULT_TEMPLATES
from conversations.models import (
    DEVELOPMENT_KINDS,
    DURATIONS,
    GROUP_SIZE,
    RHYTHM_DAYS,
    Addendum,
    Approval,
    Conversation,
    ConversationThread,
    DevelopmentRecord,
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
from conversations.selectors import (
    agenda_of,
    conversation_day,
    development_plan_possible,
    development_total,
)
from core.access import Visibility, id_list, led_people_ids, led_unit_ids
from core.dates import date_label, datetime_label_lazy
from development.models import DevelopmentPlan
from development.plan_selectors import plans_agreed_in
from development.selectors import one_assessment_to_bring
from development.services import DevelopmentError
from development.services import plan_create as development_plan_create
from feedback.selectors import one_feedback_to_bring
from notifications.calendar import invitation as calendar_invitation
from notifications.services import notify
from pulse.selectors import team_action_to_bring

# The longest a template's section title and question may be (TemplateQuestion's fields).
SECTION_LENGTH = TemplateQuestion._meta.get_field("section_da").max_length or 200
QUESTION_LENGTH = TemplateQuestion._meta.get_field("text_da").max_length or 500

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = object

# A thread is between two people or a leader and a group of at most GROUP_SIZE[1].
MAX_PEOPLE = GROUP_SIZE[1] + 1


class ConversationError(ValueError):
    """A change that cannot be made; the message is for the person who tried."""


# --- Templates ---------------------------------------------------------------------------------


def template_current(kind: str) -> Template:
    """The kind's current template; the first time, version 1 from the defaults."""
    template = Template.objects.filter(kind=kind, is_current=True).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            return _template_make(
                kind=kind,
                version=1,
                questions=[
                    (s["title"]["da"], s["title"]["en"], q["da"], q["en"])
                    for s in DEFAULT_TEMPLATES[kind]
                    for q in s["questions"]
                ],
                by=None,
            )
    except IntegrityError:
        # Another request made it at the same moment.
        return Template.objects.get(kind=kind, is_current=True)


def _template_make(
    *, kind: str, version: int, questions: Sequence[tuple[str, str, str, str]], by: User | None
) -> Template:
    template = Template.objects.create(kind=kind, version=version, is_current=True, created_by=by)
    TemplateQuestion.objects.bulk_create(
        TemplateQuestion(
            template=template,
            position=position,
            section_da=section_da.strip(),
            section_en=section_en.strip(),
            text_da=text_da.strip(),
            text_en=text_en.strip(),
        )
        for position, (section_da, section_en, text_da, text_en) in enumerate(questions, 1)
    )
    return template


@transaction.atomic
def template_new_version(
    *, kind: str, questions: Sequence[tuple[str, str, str, str]], by: User
) -> Template:
    """An administrator's edit: a new current version of the kind's template. Conversations
    made before keep the version they have. `questions` are (section in Danish, section in
    English, question in Danish, question in English)."""
    if not by.is_administrator:
        raise ConversationError(_("Only administrators edit templates."))
    if kind not in Kind.values:
        raise ConversationError(_("Choose a kind of conversation."))
    questions = [q for q in questions if any(part.strip() for part in q)]
    if not questions:
        raise ConversationError(_("A template needs at least one question."))
    for question in questions:
        if not all(part.strip() for part in question):
            raise ConversationError(
                _("Every question needs its section and its text in Danish and in English.")
            )
        section_da, section_en, text_da, text_en = (part.strip() for part in question)
        if max(len(section_da), len(section_en)) > SECTION_LENGTH:
            raise ConversationError(
                _("A section's title is at most %(count)d characters.") % {"count": SECTION_LENGTH}
            )
        if max(len(text_da), len(text_en)) > QUESTION_LENGTH:
            raise ConversationError(
                _("A question is at most %(count)d characters.") % {"count": QUESTION_LENGTH}
            )
    current = template_current(kind)
    given = [tuple(part.strip() for part in question) for question in questions]
    if given == list(
        current.questions.values_list("section_da", "section_en", "text_da", "text_en")
    ):
        raise ConversationError(_("Nothing was changed: the template keeps its version."))
    last = Template.objects.filter(kind=kind).aggregate(last=Max("version"))["last"] or 0
    Template.objects.filter(pk=current.pk).update(is_current=False)
    return _template_make(kind=kind, version=last + 1, questions=questions, by=by)


# --- Threads ---------------------------------------------------------------------------------


def _people_check(people: Iterable[User], *, by: User) -> list[User]:
    everyone = {person.pk: person for person in [by, *people]}
    if len(everyone) < 2:
        raise ConversationError(_("Choose who the conversation is with."))
    if len(everyone) > MAX_PEOPLE:
        raise ConversationError(
            _("A conversation is between at most %(count)d people.") % {"count": MAX_PEOPLE}
        )
    for person in everyone.values():
        if not person.is_active:
            raise ConversationError(str(PERSON_LEFT))
    return list(everyone.values())


def thread_between(*, people: Iterable[User], by: User) -> ConversationThread:
    """The one thread of `by` and `people`, made the first time."""
    everyone = _people_check(people, by=by)
    key = thread_key([person.pk for person in everyone])
    thread = ConversationThread.objects.filter(key=key).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            thread = ConversationThread.objects.create(key=key, created_by=by)
            Participant.objects.bulk_create(
                Participant(thread=thread, user=person) for person in everyone
            )
            return thread
    except IntegrityError:
        return ConversationThread.objects.get(key=key)


def leader_among(people: Sequence[User], *, by: User) -> User | None:
    """The participant who leads all the others now, if one does."""
    for candidate in [by, *people]:
        others = {p.pk for p in [by, *people] if p.pk != candidate.pk}
        led = set(id_list(led_people_ids(candidate)))
        if others and others <= led:
            return candidate
    return None


def participant_check(conversation: Conversation, by: User) -> None:
    if not Participant.objects.filter(thread_id=conversation.thread_id, user=by).exists():
        raise ConversationError(_("Only the participants can change this conversation."))


def _open_check(conversation: Conversation) -> None:
    if conversation.is_held:
        raise ConversationError(
            _("The conversation was held on %(date)s and is frozen: add an addendum instead.")
            % {"date": date_label(conversation.held_at or conversation.updated_at)}
        )
    if conversation.status == Conversation.Status.CANCELLED:
        raise ConversationError(_("The conversation was cancelled."))


def _open_for(conversation: Conversation, by: User) -> Conversation:
    """The conversation read afresh and locked, if `by` takes part and it can still change."""
    conversation = _locked(conversation)
    participant_check(conversation, by)
    _open_check(conversation)
    return conversation


def _changed(conversation: Conversation) -> None:
    """Raise the revision, so the other participants' open pages fetch the agenda again."""
    Conversation.objects.filter(pk=conversation.pk).update(revision=F("revision") + 1)


def _time_check(starts_at: datetime | None, duration_minutes: int | None, now: datetime) -> None:
    if starts_at is None:
        raise ConversationError(_("Choose a time."))
    if starts_at <= now:
        raise ConversationError(_("Choose a time in the future."))
    if duration_minutes not in DURATIONS:
        raise ConversationError(_("Choose how long the conversation takes."))


# --- Conversations ---------------------------------------------------------------------------


def _names(people: Sequence[User]) -> str:
    return get_text_list([person.display_name for person in people], _("and"))


# Rendered in each recipient's language, like the rest of the notification.
_names_lazy = lazy(_names, str)


def _kind_label(conversation: Conversation) -> Promise:
    label: Promise = Kind(conversation.kind).label
    return label


def _invite(
    conversation: Conversation,
    *,
    participants: Sequence[User],
    text: StrOrPromise,
    subject: StrOrPromise,
    now: datetime,
    **values: object,
) -> None:
    """Tell every participant, with the calendar invitation: a REQUEST that puts the time in
    (or moves it), or a CANCEL that takes it out. `text` and `subject` are lazy formats with
    {kind}, {names} (the other participants) and {when}; they name who, what kind and when,
    never what anyone wrote (PRODUCT.md, privacy rule 8), and any other `values`."""
    attachment = calendar_invitation(conversation_event(conversation, participants), now=now)
    assert conversation.starts_at is not None
    when = datetime_label_lazy(conversation.starts_at)
    for person in participants:
        others = _names_lazy([p for p in participants if p.pk != person.pk])
        notify(
            recipient=person,
            kind="conversation_invitation",
            text=format_lazy(
                text, kind=_kind_label(conversation), names=others, when=when, **values
            ),
            subject=format_lazy(
                subject, kind=_kind_label(conversation), names=others, when=when, **values
            ),
            url=conversation.get_absolute_url(),
            attachment=attachment,
        )


@transaction.atomic
def conversation_plan(
    *,
    by: User,
    people: Sequence[User],
    kind: str,
    starts_at: datetime | None,
    duration_minutes: int | None,
    now: datetime,
    place: str = "",
    title: str = "",
    plan: Plan | None = None,
) -> Conversation:
    """Plan a conversation of `kind` between `by` and `people` at a time in the future, in
    their thread. Every participant gets the calendar invitation."""
    if kind not in Kind.values:
        raise ConversationError(_("Choose a kind of conversation."))
    everyone = _people_check(people, by=by)
    if kind == Kind.GRUS and not GROUP_SIZE[0] <= len(everyone) - 1 <= GROUP_SIZE[1]:
        raise ConversationError(
            _("A GRUS is a leader with a group of %(least)d to %(most)d people.")
            % {"least": GROUP_SIZE[0], "most": GROUP_SIZE[1]}
        )
    _time_check(starts_at, duration_minutes, now)
    others = [person for person in everyone if person.pk != by.pk]
    leader = leader_among(others, by=by)
    if kind == Kind.GRUS and leader is None:
        raise ConversationError(_("A GRUS is held by the leader of everyone in the group."))
    thread = thread_between(people=others, by=by)
    conversation = Conversation.objects.create(
        thread=thread,
        kind=kind,
        template=template_current(kind),
        title=title.strip(),
        status=Conversation.Status.PLANNED,
        leader=leader,
        plan=plan,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        created_by=by,
    )
    _invite(
        conversation,
        participants=participants_of(conversation),
        text=gettext_lazy("{kind} with {names} is planned: {when}"),
        subject=gettext_lazy("{kind} with {names}: {when}"),
        now=now,
    )
    if len(everyone) == 2:
        (other,) = others
        talking_points_add(conversation=conversation, by=by, other=other, now=now)
    return conversation


@dataclass(frozen=True)
class PlanRow:
    """One person's conversation in a leader's plan: the time proposed for it."""

    person: User
    starts_at: datetime | None
    duration_minutes: int | None
    place: str = ""


class PlanError(ConversationError):
    """A plan that cannot be made as it stands: the message, and what is wrong with each
    person's row ({person id: message})."""

    def __init__(self, message: str, rows: dict[int, str] | None = None) -> None:
        super().__init__(message)
        self.rows = rows or {}


@transaction.atomic
def plan_create(
    *,
    by: User,
    title: str,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    rows: Sequence[PlanRow],
    now: datetime,
) -> Plan:
    """A leader plans one conversation of `kind` (a MUS, as a rule) with each of their people
    in a period, such as "MUS 2027 i Sekretariatet": the plan, and each conversation through
    conversation_plan, so each participant gets an invitation. All or nothing: when a row is
    wrong, nothing is made, and PlanError says what is wrong with each row."""
    title = " ".join(title.split())
    if not title:
        raise PlanError(_("Give the plan a title."))
    if kind not in Kind.values:
        raise PlanError(_("Choose a kind of conversation."))
    if kind == Kind.GRUS:
        raise PlanError(
            _("A plan holds one conversation with each person; plan a GRUS on its own.")
        )
    if starts_on is None or ends_on is None:
        raise PlanError(_("Choose the period the conversations are held in."))
    if ends_on < starts_on:
        raise PlanError(_("The period ends after it starts."))
    if ends_on < timezone.localtime(now).date():
        raise PlanError(_("Choose a period that has not passed."))
    if not rows:
        raise PlanError(_("Propose a time for at least one person."))
    led = set(id_list(led_people_ids(by))) - {by.pk}
    units = id_list(led_unit_ids(by))
    plan = Plan.objects.create(
        leader=by,
        unit_id=units[0] if len(units) == 1 else None,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    errors: dict[int, str] = {}
    for row in rows:
        person = row.person
        if person.pk in errors:
            continue
        if person.pk not in led:
            errors[person.pk] = _("%(name)s is not one of the people you lead.") % {
                "name": person.display_name
            }
            continue
        if row.starts_at is not None and not (
            starts_on <= timezone.localtime(row.starts_at).date() <= ends_on
        ):
            errors[person.pk] = _("Choose a time within the plan's period.")
            continue
        try:
            conversation_plan(
                by=by,
                people=[person],
                kind=kind,
                starts_at=row.starts_at,
                duration_minutes=row.duration_minutes,
                now=now,
                place=row.place,
                plan=plan,
            )
        except ConversationError as error:
            errors[person.pk] = str(error)
    if errors:
        raise PlanError(_("Nothing was planned: correct the times marked below."), errors)
    return plan


@transaction.atomic
def conversation_request(
    *, by: User, other: User, kind: str, message: str, now: datetime
) -> Conversation:
    """`by` asks `other` for a conversation of `kind`, without a time: `other` plans it. An
    employee may ask for an individual MUS even where the unit holds GRUS."""
    if kind not in Kind.values or kind == Kind.GRUS:
        raise ConversationError(_("Choose a kind of conversation."))
    (person,) = [p for p in _people_check([other], by=by) if p.pk != by.pk]
    thread = thread_between(people=[person], by=by)
    conversation = Conversation.objects.create(
        thread=thread,
        kind=kind,
        template=template_current(kind),
        status=Conversation.Status.REQUESTED,
        leader=leader_among([person], by=by),
        requested_by=by,
        request_message=message.strip(),
        created_by=by,
    )
    text = format_lazy(
        gettext_lazy("{name} asks you for a conversation: {kind}"),
        name=by.display_name,
        kind=_kind_label(conversation),
    )
    notify(
        recipient=person,
        kind="conversation_request",
        text=text,
        subject=text,
        url=conversation.get_absolute_url(),
    )
    return conversation


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().select_related("thread").get(pk=conversation.pk)


@transaction.atomic
def conversation_schedule(
    *,
    conversation: Conversation,
    by: User,
    starts_at: datetime | None,
    duration_minutes: int | None,
    place: str,
    now: datetime,
) -> Conversation:
    """Give an asked-for conversation its time, or move a planned one: every participant gets
    the invitation, a moved one with its SEQUENCE raised so calendars replace the entry."""
    conversation = _open_for(conversation, by)
    _time_check(starts_at, duration_minutes, now)
    participants = participants_of(conversation)
    for person in participants:
        if not person.is_active:
            raise ConversationError(str(PERSON_LEFT))
    moved = conversation.starts_at is not None
    if moved:
        conversation.sequence += 1
    conversation.status = Conversation.Status.PLANNED
    conversation.starts_at, conversation.duration_minutes = starts_at, duration_minutes
    conversation.place = place.strip()
    conversation.revision += 1
    conversation.save()
    if moved:
        text = gettext_lazy("{kind} with {names} is moved to {when}")
        subject = gettext_lazy("{kind} with {names} is moved: {when}")
    else:
        text = gettext_lazy("{kind} with {names} is planned: {when}")
        subject = gettext_lazy("{kind} with {names}: {when}")
    _invite(conversation, participants=participants, text=text, subject=subject, now=now)
    return conversation


@transaction.atomic
def conversation_cancel(
    *, conversation: Conversation, by: User, now: datetime, message: str = ""
) -> Conversation:
    """Call off a conversation that was not held, or decline one asked for (with a word to
    the one who asked, `message`). What was written for it is kept. With a time planned, every
    participant gets a cancellation that takes it out of their calendar."""
    conversation = _open_for(conversation, by)
    had_time = conversation.starts_at is not None
    if had_time:
        conversation.sequence += 1
    conversation.status = Conversation.Status.CANCELLED
    conversation.revision += 1
    conversation.save()
    participants = participants_of(conversation)
    if had_time:
        _invite(
            conversation,
            participants=participants,
            text=gettext_lazy("{name} cancelled the conversation: {kind} on {when}"),
            subject=gettext_lazy("Cancelled by {name}: {kind} with {names}"),
            now=now,
            name=by.display_name,
        )
        return conversation
    # Asked for, without a time: the others hear that it will not be held, or that the one
    # who asked no longer asks.
    message = Truncator(" ".join(message.split())).chars(200)
    if by.pk == conversation.requested_by_id:
        said = gettext_lazy("{name} no longer asks for the conversation: {kind}")
    else:
        said = gettext_lazy("{name} cannot hold the conversation: {kind}")
    subject = format_lazy(said, name=by.display_name, kind=_kind_label(conversation))
    for person in participants:
        if person.pk == by.pk:
            continue
        notify(
            recipient=person,
            kind="conversation_request",
            text=(
                format_lazy(
                    gettext_lazy("{subject}. “{message}”"), subject=subject, message=message
                )
                if message
                else subject
            ),
            subject=subject,
            url=conversation.get_absolute_url(),
        )
    return conversation


@transaction.atomic
def conversation_hold(*, conversation: Conversation, by: User, now: datetime) -> Conversation:
    """Mark the conversation held and freeze it: the agenda is recorded as it stands, and the
    open items carry over to the thread's next conversations. A recurring 1:1 gets its next
    one, at the same time of day, while both are still in the organisation."""
    conversation = _open_for(conversation, by)
    if conversation.status == Conversation.Status.REQUESTED:
        raise ConversationError(_("Plan a time before the conversation can be held."))
    conversation.record = {"items": [item.as_record() for item in agenda_of(conversation)]}
    conversation.status = Conversation.Status.HELD
    conversation.held_at, conversation.held_by = now, by
    conversation.revision += 1
    conversation.save()
    if conversation.kind in DEVELOPMENT_KINDS:
        _development_recorded(conversation, field="held_at")
    thread = conversation.thread
    days = RHYTHM_DAYS.get(thread.rhythm)  # type: ignore[call-overload]
    if conversation.kind == Kind.ONE_ON_ONE and days and conversation.starts_at is not None:
        already = thread.conversations.filter(
            kind=Kind.ONE_ON_ONE, status=Conversation.Status.PLANNED
        ).exists()
        participants = participants_of(conversation)
        # A person who left gets no new conversations (issue 12), nor an invitation to one.
        if not already and all(person.is_active for person in participants):
            # Days on the wall clock in Copenhagen: the same time of day across summer time.
            local = conversation.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE))
            starts_at = local + timedelta(days=days)
            while starts_at <= now:
                starts_at += timedelta(days=days)
            following = Conversation.objects.create(
                thread=thread,
                kind=Kind.ONE_ON_ONE,
                template=template_current(Kind.ONE_ON_ONE),
                leader=conversation.leader,
                starts_at=starts_at,
                duration_minutes=conversation.duration_minutes,
                place=conversation.place,
                created_by=by,
            )
            _invite(
                following,
                participants=participants,
                text=gettext_lazy("{kind} with {names} is planned: {when}"),
                subject=gettext_lazy("{kind} with {names}: {when}"),
                now=now,
            )
    return conversation


@transaction.atomic
def thread_set_rhythm(*, thread: ConversationThread, by: User, rhythm: str) -> ConversationThread:
    if not Participant.objects.filter(thread=thread, user=by).exists():
        raise ConversationError(_("Only the participants can change this conversation."))
    if rhythm not in RHYTHM_DAYS and rhythm != "":
        raise ConversationError(_("Choose how often you hold a 1:1."))
    thread.rhythm = rhythm
    thread.save(update_fields=["rhythm"])
    return thread


# --- Before: private preparation -------------------------------------------------------------


@transaction.atomic
def preparation_save(
    *, conversation: Conversation, by: User, answers: dict[int, str], now: datetime
) -> list[Preparation]:
    """Keep `by`'s answers to the template's questions ({question id: text}). An answer that
    was shared stays shared, with its new text."""
    conversation = _open_for(conversation, by)
    questions = set(conversation.template.questions.values_list("pk", flat=True))
    if not set(answers) <= questions:
        raise ConversationError(_("Answer the conversation's own questions."))
    saved = []
    for question_id, text in answers.items():
        answer, _made = Preparation.objects.get_or_create(
            owner=by, conversation=conversation, question_id=question_id
        )
        answer.text = text.strip()
        answer.save(update_fields=["text", "updated_at"])
        saved.append(answer)
    if any(answer.shared_at for answer in saved):
        _changed(conversation)
    return saved


@transaction.atomic
def preparation_share(
    *,
    conversation: Conversation,
    by: User,
    now: datetime,
    question_ids: Iterable[int] | None = None,
) -> int:
    """Share `by`'s answers into the conversation: those to `question_ids`, or all. Shared, an
    answer is read by the conversation's other participants, and nobody else. Returns how many
    were shared now."""
    conversation = _open_for(conversation, by)
    answers = Preparation.objects.filter(
        owner=by, conversation=conversation, shared_at__isnull=True
    ).exclude(text="")
    if question_ids is not None:
        answers = answers.filter(question_id__in=list(question_ids))
    others = list(
        Participant.objects.filter(thread_id=conversation.thread_id)
        .exclude(user=by)
        .values_list("user_id", flat=True)
    )
    shared = list(answers)
    for answer in shared:
        answer.visibility = Visibility.SHARED
        answer.shared_at = now
        answer.save(update_fields=["visibility", "shared_at", "updated_at"])
        answer.shared_with.set(others)
    if shared:
        _changed(conversation)
    return len(shared)


@transaction.atomic
def private_note_save(*, conversation: Conversation, by: User, text: str) -> PrivateNote:
    """`by`'s own notes on the conversation, which only they ever read; they may keep
    writing them after the conversation is held."""
    participant_check(conversation, by)
    note, _made = PrivateNote.objects.get_or_create(owner=by, conversation=conversation)
    note.text = text.strip()
    note.save(update_fields=["text", "updated_at"])
    return note


# --- During: the shared agenda -----------------------------------------------------------------


def _next_position(thread: ConversationThread) -> int:
    last = Item.objects.filter(thread=thread).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _item_check(item: Item, conversation: Conversation) -> Item:
    """The item, read afresh, if it is on this conversation's agenda: raised in it, closed in
    it, or carried over to it."""
    item = Item.objects.select_for_update().select_related("raised_in").get(pk=item.pk)
    carried = item.status == Item.Status.OPEN and item.raised_in.is_held
    if item.thread_id != conversation.thread_id or not (
        item.raised_in_id == conversation.pk or item.closed_in_id == conversation.pk or carried
    ):
        raise ConversationError(_("This item is not on the conversation's agenda."))
    return item


@transaction.atomic
def item_add(
    *,
    conversation: Conversation,
    by: User,
    text: str,
    type: str = Item.Type.POINT,
    owner: User | None = None,
    due_on: date | None = None,
    now: datetime,
    source: str = "",
    source_id: int | None = None,
    quote: str = "",
) -> Item:
    """Put a talking point or an action on the shared agenda. An action has an owner among
    the participants, and may have a due date."""
    conversation = _open_for(conversation, by)
    text = " ".join(text.split())
    if not text:
        raise ConversationError(_("Write the talking point."))
    if type not in Item.Type.values:
        raise ConversationError(_("Choose a talking point or an action."))
    if type == Item.Type.ACTION:
        if owner is None:
            raise ConversationError(_("Choose who does it."))
        if not Participant.objects.filter(thread_id=conversation.thread_id, user=owner).exists():
            raise ConversationError(_("The owner of an action takes part in the conversation."))
        if due_on is not None and due_on < timezone.localtime(now).date():
            raise ConversationError(_("Choose a due date that has not passed."))
    else:
        owner, due_on = None, None
    item = Item.objects.create(
        thread_id=conversation.thread_id,
        raised_in=conversation,
        type=type,
        text=text,
        author=by,
        owner=owner,
        due_on=due_on,
        position=_next_position(conversation.thread),
        source=source,
        source_id=source_id,
        quote=quote,
    )
    _changed(conversation)
    return item


@transaction.atomic
def item_move(*, item: Item, conversation: Conversation, by: User, up: bool) -> None:
    """Move an item one place up or down the agenda."""
    conversation = _open_for(conversation, by)
    item = _item_check(item, conversation)
    order = [entry.id for entry in agenda_of(conversation)]
    at = order.index(item.pk)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(order):
        return
    order[at], order[to] = order[to], order[at]
    positions = dict(
        Item.objects.filter(pk__in=order).values_list("pk", "position").order_by("position")
    )
    slots = sorted(positions.values())
    for pk, position in zip(order, slots, strict=True):
        if positions[pk] != position:
            Item.objects.filter(pk=pk).update(position=position)
    if len(set(slots)) < len(slots):
        # Equal positions (two items added at the same moment): number them afresh.
        base = _next_position(conversation.thread)
        for offset, pk in enumerate(order):
            Item.objects.filter(pk=pk).update(position=base + offset)
    _changed(conversation)


@transaction.atomic
def item_close(
    *, item: Item, conversation: Conversation, by: User, status: str, now: datetime
) -> Item:
    """Mark a talking point discussed or an action done (`done`), drop it, or open it again
    (`open`) while the conversation is not held."""
    conversation = _open_for(conversation, by)
    item = _item_check(item, conversation)
    if status not in Item.Status.values:
        raise ConversationError(_("Choose what became of the item."))
    if status == Item.Status.OPEN:
        item.status, item.closed_in, item.closed_at = status, None, None
    else:
        item.status, item.closed_in, item.closed_at = status, conversation, now
    item.save(update_fields=["status", "closed_in", "closed_at", "updated_at"])
    _changed(conversation)
    return item


# --- Bringing in what a participant owns or was shared with them -------------------------------


def other_of_pair(conversation: Conversation, by: User) -> User | None:
    """The other participant of a conversation between two people; None in a group."""
    others = list(
        User.objects.filter(conversation_threads__thread_id=conversation.thread_id).exclude(
            pk=by.pk
        )[:2]
    )
    return others[0] if len(others) == 1 else None


def _participant_ids(conversation: Conversation) -> Any:
    """The conversation's people, as a subquery."""
    return Participant.objects.filter(thread_id=conversation.thread_id).values("user_id")


def _to_bring(*, conversation: Conversation, by: User, source: str, source_id: int) -> ToBring:
    """The item read afresh through its own app's access layer for `by`: what `by` may not
    read (or what is gone) cannot be brought, with one message for both."""
    found: ToBring | None = None
    if source == Item.Source.CHECKIN:
        found = checkin_selectors.checkin_to_bring(
            by, source_id, owners=_participant_ids(conversation)
        )
    elif source == Item.Source.REFLECTION:
        found = checkin_selectors.reflection_to_bring(by, source_id)
    elif source == Item.Source.FEEDBACK:
        found = one_feedback_to_bring(by, source_id)
    elif source == Item.Source.TEAM_ACTION:
        found = team_action_to_bring(by, source_id)
    elif source == Item.Source.ASSESSMENT:
        found = one_assessment_to_bring(by, source_id)
    elif source == Item.Source.REPLY:
        other = other_of_pair(conversation, by)
        if other is not None:
            found = checkin_selectors.talking_point_to_bring(by, other, source_id)
    if found is None:
        raise ConversationError(_("This is not among what you can bring into the conversation."))
    return found


@transaction.atomic
def item_bring(
    *, conversation: Conversation, by: User, source: str, source_id: int, now: datetime
) -> Item:
    """`by` brings something of theirs, or shared with them, into the conversation: a
    check-in with its replies, a reflection, feedback they kept, a team action, their own
    self-assessment, or a reply marked to take up at the next 1:1. The agenda item keeps a
    copy (`quote`) of it as it reads now: that copy is what `by` chose to share, and every
    participant of the conversation reads it, whoever could read the original."""
    conversation = _open_for(conversation, by)
    brought = _to_bring(conversation=conversation, by=by, source=source, source_id=source_id)
    already = Item.objects.filter(
        thread_id=conversation.thread_id, source=source, source_id=source_id
    ).filter(Q(raised_in=conversation) | Q(status=Item.Status.OPEN))
    if already.exists():
        raise ConversationError(_("This is already on the agenda."))
    item = item_add(
        conversation=conversation,
        by=by,
        text=brought.label[:500],
        now=now,
        source=source,
        source_id=source_id,
        quote=brought.quote,
    )
    if source == Item.Source.REPLY:
        replies_taken_up(reply_ids=[source_id], by=by, now=now)
    return item


def talking_points_add(
    *, conversation: Conversation, by: User, other: User, now: datetime
) -> list[Item]:
    """Put the replies either of the two marked to take up at their next 1:1 on the agenda,
    each once."""
    return [
        item_bring(
            conversation=conversation,
            by=by,
            source=Item.Source.REPLY,
            source_id=point.reply_id,
            now=now,
        )
        for point in checkin_selectors.talking_points_between(by, other)
    ]


# --- Notes, addenda and the summary ------------------------------------------------------------


@transaction.atomic
def shared_note_add(
    *, conversation: Conversation, by: User, text: str, now: datetime
) -> SharedNote:
    conversation = _open_for(conversation, by)
    if not text.strip():
        raise ConversationError(_("Write the note."))
    note = SharedNote.objects.create(conversation=conversation, author=by, text=text.strip())
    _changed(conversation)
    return note


@transaction.atomic
def shared_note_update(*, note: SharedNote, by: User, text: str, now: datetime) -> SharedNote:
    conversation = note.conversation
    conversation = _open_for(conversation, by)
    if note.author_id != by.pk:
        raise ConversationError(_("Only its author changes a note."))
    if not text.strip():
        raise ConversationError(_("Write the note."))
    note.text = text.strip()
    note.save(update_fields=["text", "updated_at"])
    _changed(conversation)
    return note


@transaction.atomic
def addendum_add(*, conversation: Conversation, by: User, text: str, now: datetime) -> Addendum:
    """A dated addition to a held conversation."""
    conversation = _locked(conversation)
    participant_check(conversation, by)
    if not conversation.is_held:
        raise ConversationError(_("Addenda are for held conversations; write a note instead."))
    if not text.strip():
        raise ConversationError(_("Write the addendum."))
    addendum = Addendum.objects.create(conversation=conversation, author=by, text=text.strip())
    _changed(conversation)
    return addendum


def _summary_check(conversation: Conversation) -> None:
    if conversation.kind != Kind.MUS:
        raise ConversationError(_("A written summary is made for a MUS."))
    if conversation.status == Conversation.Status.CANCELLED:
        raise ConversationError(_("The conversation was cancelled."))


@transaction.atomic
def summary_save(
    *, conversation: Conversation, by: User, text: str, now: datetime, revision: int | None = None
) -> Summary:
    """Write or change the MUS summary. A change is a new revision that all must approve.
    `revision` is the one the writer started from (0: none yet), if known: when another
    participant saved one since, nothing is overwritten."""
    conversation = _locked(conversation)
    participant_check(conversation, by)
    _summary_check(conversation)
    if not text.strip():
        raise ConversationError(_("Write the summary."))
    summary: Summary | None = (
        Summary.objects.select_for_update().filter(conversation=conversation).first()
    )
    if revision is not None and revision != (summary.revision if summary else 0):
        raise ConversationError(
            _(
                "The summary was changed by someone else while you wrote. Read it above, "
                "then save your text again."
            )
        )
    if summary is None:
        summary = Summary.objects.create(conversation=conversation, text=text.strip(), edited_by=by)
    else:
        if summary.is_locked:
            raise ConversationError(
                _("The summary was approved by everyone and is locked: add an addendum instead.")
            )
        if summary.text != text.strip():
            summary.text, summary.edited_by = text.strip(), by
            summary.revision += 1
            summary.save(update_fields=["text", "edited_by", "revision", "updated_at"])
    _changed(conversation)
    return summary


@transaction.atomic
def summary_approve(
    *, conversation: Conversation, by: User, revision: int, now: datetime
) -> Summary:
    """`by` approves the revision they read. When every participant has approved the same
    revision, the summary is locked."""
    conversation = _locked(conversation)
    participant_check(conversation, by)
    _summary_check(conversation)
    summary: Summary | None = (
        Summary.objects.select_for_update().filter(conversation=conversation).first()
    )
    if summary is None:
        raise ConversationError(_("Write the summary first."))
    if summary.is_locked:
        return summary
    if revision != summary.revision:
        raise ConversationError(
            _("The summary was changed while you read it. Read it again before you approve.")
        )
    Approval.objects.get_or_create(
        summary=summary, user=by, revision=revision, defaults={"approved_at": now}
    )
    everyone = Participant.objects.filter(thread_id=conversation.thread_id).count()
    approved = Approval.objects.filter(summary=summary, revision=revision).count()
    if approved >= everyone:
        summary.locked_at = now
        summary.save(update_fields=["locked_at", "updated_at"])
        if conversation.kind == Kind.MUS:
            _development_recorded(conversation, field="approved_at")
    _changed(conversation)
    return summary


# --- The development plan agreed in a MUS -------------------------------------------------------


@transaction.atomic
def development_plan_make(
    *, conversation: Conversation, by: User, now: datetime
) -> DevelopmentPlan:
    """An employee of a held MUS whose summary everyone approved makes their development plan
    from it: agreed in the MUS, so shared with their leaders, with the summary as the first
    draft of its goals. Once made, it is the one returned."""
    conversation = _locked(conversation)
    participant_check(conversation, by)
    summary = Summary.objects.filter(conversation=conversation).first()
    if not development_plan_possible(conversation, summary, by):
        raise ConversationError(
            _(
                "A development plan is made by the employee from a held MUS whose summary "
                "everyone approved."
            )
        )
    assert summary is not None  # checked above
    own = [plan for plan in plans_agreed_in(conversation.pk, by) if plan.owner_id == by.pk]
    if own:
        return own[0]
    day = conversation_day(conversation)
    try:
        return development_plan_create(
            owner=by,
            by=by,
            title=_("Development plan from MUS %(date)s")
            % {"date": date_label(day) if day else ""},
            follow_up_on=None,
            agreed_in=conversation,
            draft=summary.text,
            now=now,
        )
    except DevelopmentError as error:
        raise ConversationError(str(error)) from None


# --- Development records: what the administrator's overview counts ------------------------------


def _development_recorded(conversation: Conversation, *, field: str) -> None:
    """The held MUS or GRUS (`held_at`), or the MUS whose summary was just locked
    (`approved_at`), recorded for each of its employees (the participants but its leader), as
    the moment it was held."""
    held_at = conversation.held_at
    employees = Participant.objects.filter(thread_id=conversation.thread_id)
    if conversation.leader_id is not None:
        employees = employees.exclude(user_id=conversation.leader_id)
    for user_id in employees.values_list("user_id", flat=True):
        record, _created = DevelopmentRecord.objects.select_for_update().get_or_create(
            user_id=user_id
        )
        if getattr(record, field) is None or getattr(record, field) < held_at:
            setattr(record, field, held_at)
            record.save(update_fields=[field])


@transaction.atomic
def development_records_rebuild() -> int:
    """The development records made again from every held MUS and GRUS: what the services keep
    up to date one conversation at a time, for data written around them (an import, the
    benchmark's history). Returns how many people have one."""
    held: dict[int, datetime] = {}
    approved: dict[int, datetime] = {}
    people: dict[int, list[int]] = {}
    for thread_id, user_id in (
        Participant.objects.filter(
            thread__conversations__kind__in=DEVELOPMENT_KINDS,
            thread__conversations__status=Conversation.Status.HELD,
        )
        .distinct()
        .values_list("thread_id", "user_id")
    ):
        people.setdefault(thread_id, []).append(user_id)
    for thread_id, leader_id, kind, held_at, locked_at in Conversation.objects.filter(
        kind__in=DEVELOPMENT_KINDS, status=Conversation.Status.HELD
    ).values_list("thread_id", "leader_id", "kind", "held_at", "summary__locked_at"):
        if held_at is None:  # a held conversation has its moment; the type does not say so
            continue
        for user_id in people[thread_id]:
            if user_id == leader_id:
                continue
            held[user_id] = max(held.get(user_id, held_at), held_at)
            if kind == Kind.MUS and locked_at is not None:
                approved[user_id] = max(approved.get(user_id, held_at), held_at)
    DevelopmentRecord.objects.all().delete()
    DevelopmentRecord.objects.bulk_create(
        (
            DevelopmentRecord(user_id=user_id, held_at=at, approved_at=approved.get(user_id))
            for user_id, at in held.items()
        ),
        batch_size=1000,
    )
    return len(held)


def development_total_count(now: datetime) -> DevelopmentTotal:
    """Count the whole organisation's line of the administrators' overview at `now`, into the
    one row kept for it (two workers counting at once each write a whole count)."""
    figures = development_total(now)
    total, _created = DevelopmentTotal.objects.update_or_create(
        pk=DevelopmentTotal.ONLY, defaults={"counted_at": now, **figures}
    )
    return total


def participants_of(conversation: Conversation) -> list[User]:
    return list(
        User.objects.filter(conversation_threads__thread_id=conversation.thread_id).order_by(
            "first_name", "last_name", "pk"
        )
    )
