"""Conversations: 1:1s, MUS, GRUS and the talks in between.

Every conversation sits in one thread per relationship (a person and their leader, any two
people, a leader and a group), so agreements carry over from one conversation to the next of
any kind. A thread is read by its participants only, through `visible_to`: not by a leader
above, not by a new leader, not by an administrator (PRODUCT.md, privacy rules 3 and 4).

Who may read what:
- the thread, its conversations, the agenda, shared notes, addenda and the summary: the
  thread's participants;
- a preparation answer: its author, and the other participants once the author shares it;
- a private note: its author, always and only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.access import PersonalContent, PersonalQuerySet, Visibility, can_read
from core.links import link


class Kind(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("1:1")
    MUS = "mus", _("MUS")
    GRUS = "grus", _("GRUS")
    WELLBEING = "wellbeing", _("Wellbeing conversation")
    EXPECTATIONS = "expectations", _("Expectations or follow-up conversation")
    FREE = "free", _("Free conversation")


# A development conversation each employee has a right to once a year: an individual MUS, or
# GRUS where the workplace holds that.
DEVELOPMENT_KINDS = (Kind.MUS, Kind.GRUS)
# GRUS: a leader with a group of 3 to 8.
GROUP_SIZE = (3, 8)
# The lengths one can plan, in minutes.
DURATIONS = (15, 30, 45, 60, 90, 120)


class Rhythm(models.TextChoices):
    NONE = "", _("No fixed rhythm")
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every other week")
    MONTHLY = "monthly", _("Every month")


RHYTHM_DAYS = {Rhythm.WEEKLY: 7, Rhythm.FORTNIGHTLY: 14, Rhythm.MONTHLY: 28}


# --- Templates ---------------------------------------------------------------------------------


class Template(models.Model):
    """One version of a kind's questions. Administrators edit a template by making a new
    version; a conversation keeps the version it was prepared and held with."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation template")
        verbose_name_plural = _("conversation templates")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="template_kind_version"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_current=True), name="template_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class TemplateQuestion(models.Model):
    """A question of a template version, in its section, in Danish and English."""

    template = models.ForeignKey(
        Template, on_delete=models.PROTECT, related_name="questions", verbose_name=_("template")
    )
    position = models.PositiveIntegerField(_("position"))
    section_da = models.CharField(_("section (Danish)"), max_length=200)
    section_en = models.CharField(_("section (English)"), max_length=200)
    text_da = models.CharField(_("question (Danish)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_question_position"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def section(self) -> str:
        return self.section_en if translation.get_language() == "en" else self.section_da

    @property
    def text(self) -> str:
        return self.text_en if translation.get_language() == "en" else self.text_da


# --- Threads and conversations ----------------------------------------------------------------


def thread_key(user_ids: list[int]) -> str:
    """The one key of a set of people: their ids, sorted."""
    return "-".join(str(pk) for pk in sorted(set(user_ids)))


class ConversationThreadQuerySet(models.QuerySet["ConversationThread"]):
    def visible_to(self, user: Any) -> ConversationThreadQuerySet:
        """Its participants, and nobody else."""
        if not can_read(user):
            return self.none()
        return self.filter(pk__in=Participant.objects.filter(user=user).values("thread_id"))


class ConversationThread(models.Model):
    """All conversations between the same people, newest first, with their agreements. The
    participants never change: a new leader has a new thread with the person, and a leader
    who leaves keeps the thread they took part in."""

    key = models.CharField(max_length=255, unique=True, editable=False)
    rhythm = models.CharField(
        _("rhythm of 1:1s"), max_length=12, choices=Rhythm.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ConversationThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation thread")
        verbose_name_plural = _("conversation threads")

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return link("conversations:thread", self.pk)


class Participant(models.Model):
    thread = models.ForeignKey(
        ConversationThread, on_delete=models.PROTECT, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversation_threads"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="participant_once"),
        ]
        indexes = [models.Index(fields=["user", "thread"])]

    def __str__(self) -> str:
        return f"{self.thread_id}/{self.user_id}"


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: Any) -> PlanQuerySet:
        """The leader who made it."""
        if not can_read(user):
            return self.none()
        return self.filter(leader=user)


class Plan(models.Model):
    """A leader's planning of one kind of conversation for their people in a period, such as
    "MUS 2027 i Sekretariatet". Read by the leader who made it."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversation_plans",
        verbose_name=_("leader"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUS)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation plan")
        verbose_name_plural = _("conversation plans")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("conversations:plan", self.pk)


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def visible_to(self, user: Any) -> ConversationQuerySet:
        """The participants of its thread, and nobody else. A join, not `thread IN (...)`: with
        an OR in the rest of a query SQLite would otherwise walk every conversation of that
        status (a person is a participant of a thread once, so no row comes twice)."""
        if not can_read(user):
            return self.none()
        return self.filter(thread__participants__user=user)

    def newest_first(self) -> ConversationQuerySet:
        return self.order_by(models.F("starts_at").desc(nulls_first=True), "-created_at", "-pk")


class Conversation(models.Model):
    """One conversation of a thread: asked for, planned, held (and then frozen) or cancelled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked for")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    thread = models.ForeignKey(
        ConversationThread,
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("thread"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    template = models.ForeignKey(
        Template, on_delete=models.PROTECT, related_name="+", verbose_name=_("template")
    )
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # The leader in the conversation, if one of them leads the others: for a MUS or GRUS, the
    # others are the employees who had theirs.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leader"),
    )
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("plan"),
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    # The calendar's SEQUENCE: a new time or a cancellation replaces the earlier invitation.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    request_message = models.CharField(_("message"), max_length=500, blank=True, default="")
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marked held by"),
    )
    # The agenda as it stood when the conversation was held: the frozen record.
    record = models.JSONField(_("record"), null=True, blank=True, editable=False)
    # Raised by every change, so the open pages of the other participants fetch the agenda
    # again only when it changed.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = [models.F("starts_at").desc(nulls_first=True), "-created_at", "-pk"]
        indexes = [
            # A thread's last held and next planned conversation, by the index alone: with
            # (status, starts_at) only, the next one was searched among everyone's.
            models.Index(fields=["thread", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            # Who had a MUS this year, read from the index alone: the thread and the leader are
            # in it (the overview per unit reads a year of these among many years).
            models.Index(fields=["kind", "status", "held_at", "thread", "leader"]),
            # A leader's MUS and GRUS of the year (how many of their people had none): with the
            # index above, SQLite read everyone's of the year to find one leader's.
            models.Index(fields=["leader", "kind", "status", "held_at"]),
        ]

    def __str__(self) -> str:
        return self.title or str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return link("conversations:conversation", self.pk)

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_open(self) -> bool:
        """Asked for or planned: it can still be prepared and changed."""
        return self.status in (self.Status.REQUESTED, self.Status.PLANNED)

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


# --- Before: private preparation -------------------------------------------------------------


class PreparationQuerySet(PersonalQuerySet["Preparation"]):
    def readers_condition(self, user: Any) -> models.Q:
        """Its author, and once shared, the people it was shared with: the conversation's other
        participants. Never a leader above or a colleague, whatever `visibility` says."""
        shared_ids = Preparation.shared_with.through.objects.filter(user=user).values(
            "preparation_id"
        )
        return models.Q(owner=user) | models.Q(
            visibility=Visibility.SHARED, shared_at__isnull=False, pk__in=shared_ids
        )


class Preparation(PersonalContent):
    """A participant's answer to one of the template's questions, private until its author
    shares it into the conversation."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="preparations",
        verbose_name=_("conversation"),
    )
    question = models.ForeignKey(
        TemplateQuestion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("question"),
    )
    text = models.TextField(_("answer"), max_length=4000, blank=True, default="")
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)

    objects = PreparationQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")
        ordering = ["question__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "conversation", "question"], name="preparation_one_answer"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PrivateNoteQuerySet(PersonalQuerySet["PrivateNote"]):
    def readers_condition(self, user: Any) -> models.Q:
        """Its author only, always."""
        return models.Q(owner=user)


class PrivateNote(PersonalContent):
    """A participant's own notes on a conversation; they never leave their author."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="private_notes",
        verbose_name=_("conversation"),
    )
    text = models.TextField(_("my private notes"), max_length=10000, blank=True, default="")

    objects = PrivateNoteQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(fields=["owner", "conversation"], name="private_note_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


# --- During: the shared agenda, notes and actions --------------------------------------------


class ThreadContentQuerySet(models.QuerySet[Any]):
    """For what the participants share in a thread: read by the thread's participants."""

    thread_path = "thread"

    def visible_to(self, user: Any) -> Self:
        if not can_read(user):
            return self.none()
        threads = Participant.objects.filter(user=user).values("thread_id")
        return self.filter(**{f"{self.thread_path}_id__in": threads})


class ItemQuerySet(ThreadContentQuerySet):
    def open(self) -> ItemQuerySet:
        return self.filter(status=Item.Status.OPEN)


class Item(models.Model):
    """A talking point or an action on the shared agenda. It is raised in one conversation and,
    while open, carried over to the thread's next conversations of any kind until it is done
    or dropped."""

    class Type(models.TextChoices):
        POINT = "point", _("Talking point")
        ACTION = "action", _("Action")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        NONE = "", _("Written here")
        CHECKIN = "checkin", _("Check-in")
        REPLY = "reply", _("Reply to a check-in")
        FEEDBACK = "feedback", _("Feedback")
        REFLECTION = "reflection", _("Reflection")
        TEAM_ACTION = "team_action", _("Team action")
        ASSESSMENT = "assessment", _("Self-assessment")

    thread = models.ForeignKey(
        ConversationThread, on_delete=models.PROTECT, related_name="items", verbose_name=_("thread")
    )
    raised_in = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="raised_items",
        verbose_name=_("raised in"),
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.POINT)
    text = models.CharField(_("text"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    # For an action: who does it, and by when.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversation_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_in = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_items",
        verbose_name=_("closed in"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # What a participant brought in, as it read when they brought it: the item is the copy
    # they chose to share into the conversation.
    source = models.CharField(
        _("brought from"), max_length=20, choices=Source.choices, blank=True, default=""
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    quote = models.TextField(_("brought in"), max_length=10000, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["thread", "status"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class NoteQuerySet(ThreadContentQuerySet):
    thread_path = "conversation__thread"


class SharedNote(models.Model):
    """A note both (all) participants read; its author changes it until the conversation is
    held."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="shared_notes",
        verbose_name=_("conversation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared note")
        verbose_name_plural = _("shared notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Addendum(models.Model):
    """A dated addition to a held conversation, which is otherwise frozen."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        related_name="addenda",
        verbose_name=_("conversation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("addendum"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


# --- After: the summary both approve ---------------------------------------------------------


class Summary(models.Model):
    """The written summary of a MUS (the first draft of the development plan). Every change
    makes a new revision; when every participant has approved the same revision, it is
    locked."""

    conversation = models.OneToOneField(
        Conversation,
        on_delete=models.PROTECT,
        related_name="summary",
        verbose_name=_("conversation"),
    )
    text = models.TextField(_("summary"), max_length=20000)
    revision = models.PositiveIntegerField(default=1, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    locked_at = models.DateTimeField(_("approved by all"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Approval(models.Model):
    """A participant's approval of one revision of a summary."""

    summary = models.ForeignKey(Summary, on_delete=models.PROTECT, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField()
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["summary", "user", "revision"], name="approval_once_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.summary_id}/{self.user_id}@{self.revision}"


class DevelopmentRecord(models.Model):
    """When a person last had a MUS or GRUS as an employee (not as its leader), and when the
    last MUS was held whose summary everyone approved. Figures, never content: the services
    that hold a conversation and lock a summary keep them up to date, and
    `development_records_rebuild` makes them again from the conversations. They let the
    administrator's overview count a municipality without reading a year of conversations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="development_record",
    )
    held_at = models.DateTimeField(null=True)
    approved_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("development record")
        verbose_name_plural = _("development records")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.held_at}/{self.approved_at}"


class DevelopmentTotal(models.Model):
    """The whole organisation's line of the administrators' overview: how many people are in
    a unit, how many of them had a MUS or GRUS in the year up to `counted_at`, and how many an
    approved summary. The worker counts it every few minutes (`development_total_count`):
    counted on each view, the 25,000 people of a municipality took most of the page's time.
    One row, counted again in place; figures, never who."""

    # The primary key of the one row.
    ONLY = 1

    counted_at = models.DateTimeField(_("counted"))
    people = models.PositiveIntegerField()
    held = models.PositiveIntegerField()
    approved = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("development total")
        verbose_name_plural = _("development totals")

    def __str__(self) -> str:
        return f"{self.counted_at}: {self.held}/{self.people}"
