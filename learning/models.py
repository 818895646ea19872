"""Learning that is shared: each person's learning log.

"Erfaringer deles åbent, så andre kan bygge videre på dem", and "Når vi dokumenterer, lærer
vi og når vi lærer, deler vi." An entry says what the person learned and what others can use,
with links to where it is written down (GitHub, the handbook, Nextcloud) and the focus areas
of the competence framework it is about. Unlike the rest of a person's writing, an entry is
shared with their teams by default, and the form says so; the person can keep it to
themselves, name people, or share it with the whole organisation.

Every read goes through `visible_to(user)`. Nothing here deletes what a person wrote as a side
effect: the owner is PROTECT, and an entry made from a development plan's activity keeps its
words if the activity goes (SET_NULL).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import PersonalContent, Visibility, can_read
from core.links import link
from organisation.models import Unit
from pulse.models import random_key

# Ways to share an entry; "My leaders" is for what a person tells their leader, not for what
# they learned.
ENTRY_VISIBILITIES = [
    Visibility.TEAM,
    Visibility.PRIVATE,
    Visibility.SHARED,
    Visibility.ORGANISATION,
]


class EntryKind(models.TextChoices):
    """Where the learning happened."""

    SPARRING = "sparring", _("Sparring")
    MEETING = "moede", _("Meeting or workshop")
    NETWORK = "netvaerk", _("Network")
    REVIEW = "evaluering", _("Evaluation or review")
    CONFERENCE = "konference", _("Conference")
    COURSE = "kursus", _("Course")
    DOCUMENTATION = "dokumentation", _("Documentation")
    OTHER = "andet", _("Other")


class Entry(PersonalContent):
    """One thing a person learned: where, when, what, and what others can use of it."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    happened_on = models.DateField(_("date"))
    learned = models.TextField(_("what I learned"), max_length=4000)
    for_others = models.TextField(_("what others can use"), max_length=4000, blank=True)
    # http(s) addresses, in the order given.
    links = models.JSONField(_("links"), default=list, blank=True)
    # Keys of the competence framework's focus areas (development.Area.key), which outlive
    # the framework's versions.
    area_keys = models.JSONField(_("focus areas"), default=list, blank=True)
    # The development plan's activity whose reflection the entry was made from.
    from_activity = models.ForeignKey(
        "development.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_entries",
        verbose_name=_("from the activity"),
    )
    visibility = models.CharField(
        _("who can see this"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.TEAM,
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # What search reads (learning.search), kept by save(): the title and texts as written (for
    # PostgreSQL's Danish full-text search), and their words stemmed (for SQLite's FTS5).
    search_document = models.TextField(editable=False, default="")
    search_stems = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("learning entry")
        verbose_name_plural = _("learning entries")
        ordering = ["-happened_on", "-pk"]
        indexes = [
            # A person's log, and a team's shared learning (the entries of its people).
            models.Index(fields=["owner", "-happened_on"]),
            # What is shared with the whole organisation, newest first.
            models.Index(fields=["visibility", "-happened_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("learning:entry", learning_entry_id=self.pk)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_fields_set()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_document", "search_stems"}
        super().save(*args, **kwargs)

    def search_fields_set(self) -> None:
        """What search reads, from what the entry says now (also for bulk_create)."""
        from learning.search import document_of, stems_of

        self.search_document = document_of(self.title, self.learned, self.for_others)
        self.search_stems = stems_of(self.search_document)


# --- Retrospectives ---------------------------------------------------------------------------
#
# "Evaluering og reviews i projekter": a team, or a project group across teams, looks back
# together and agrees what to do. The phases follow good retrospectives (check-in, private
# writing, reveal, grouping, votes, discussion, actions). In an anonymous retrospective notes,
# votes and health answers are stored as the wellbeing answers are: rows with a random key
# and no author or time, and counters; who took part is kept apart from what they wrote.


class RetroTemplate(models.TextChoices):
    WELL_BETTER_LEARNED = (
        "godt-bedre-laerte",
        _("What went well / What can be even better / What we learned"),
    )
    START_STOP_CONTINUE = "start-stop-fortsaet", _("Start, stop, continue")
    FOUR_L = "4l", _("4L: liked, learned, lacked, longed for")
    SAILBOAT = "sejlbaaden", _("The sailboat")
    FREE = "fri", _("Free: the facilitator writes the questions")


# Each template's questions (columns of notes). Stored on the retrospective in the language
# of the person who starts it, so they read the same for every participant afterwards.
RETRO_COLUMNS = {
    RetroTemplate.WELL_BETTER_LEARNED: [
        pgettext_lazy("retrospective", "What went well"),
        pgettext_lazy("retrospective", "What can be even better"),
        pgettext_lazy("retrospective", "What did we learn"),
    ],
    RetroTemplate.START_STOP_CONTINUE: [
        pgettext_lazy("retrospective", "What should we start doing"),
        pgettext_lazy("retrospective", "What should we stop doing"),
        pgettext_lazy("retrospective", "What should we continue doing"),
    ],
    RetroTemplate.FOUR_L: [
        pgettext_lazy("retrospective", "Liked"),
        pgettext_lazy("retrospective", "Learned"),
        pgettext_lazy("retrospective", "Lacked"),
        pgettext_lazy("retrospective", "Longed for"),
    ],
    RetroTemplate.SAILBOAT: [
        pgettext_lazy("retrospective", "Wind: what moves us forward"),
        pgettext_lazy("retrospective", "Anchor: what holds us back"),
        pgettext_lazy("retrospective", "Rocks: the risks ahead"),
        pgettext_lazy("retrospective", "Island: where we are heading"),
    ],
}


class RetroPhase(models.TextChoices):
    CHECKIN = "checkin", _("Check-in")
    WRITING = "writing", _("Private writing")
    REVEAL = "reveal", _("Reveal")
    GROUPING = "grouping", _("Grouping")
    VOTING = "voting", _("Votes")
    DISCUSSION = "discussion", _("Discussion")
    ACTIONS = "actions", _("Actions")
    CLOSED = "closed", _("Closed")


RETRO_PHASES = list(RetroPhase)


class RetrospectiveQuerySet(models.QuerySet["Retrospective"]):
    def visible_to(self, user: Any) -> RetrospectiveQuerySet:
        """Retrospectives `user` takes part in (the facilitator is a participant)."""
        if not can_read(user):
            return self.none()
        return self.filter(participants=user)

    def summaries_visible_to(self, user: Any) -> RetrospectiveQuerySet:
        """Closed retrospectives whose summary `user` may read: those they took part in, and
        those of a unit whose team page they may open. A summary holds no note."""
        if not can_read(user):
            return self.none()
        return self.filter(phase=RetroPhase.CLOSED).filter(
            models.Q(participants=user) | models.Q(unit__in=Unit.objects.visible_to(user))
        )


class Retrospective(models.Model):
    """A team's (or a project group's) look back, run by a facilitator through the phases."""

    # The team whose goals the actions become; a unit is archived, never deleted.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="retrospectives", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=200)
    template = models.CharField(_("template"), max_length=30, choices=RetroTemplate.choices)
    columns = models.JSONField(_("questions"), default=list)
    anonymous = models.BooleanField(_("anonymous notes"), default=True)
    votes_each = models.PositiveSmallIntegerField(
        _("votes each"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=RetroPhase.choices, default=RetroPhase.CHECKIN
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    # Each participant's row says how far they are (RetroParticipation).
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="RetroParticipation",
        related_name="retrospectives",
        verbose_name=_("participants"),
    )
    held_on = models.DateField(_("date"))
    # The summary (groups, votes, decisions, actions; never a note) may go to the handbook.
    published = models.BooleanField(_("approved for the handbook"), default=False)
    # Counts every change, so a participant's page asks only "anything new since N?".
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = RetrospectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "-held_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("learning:retrospective", retrospective_id=self.pk)

    @property
    def is_closed(self) -> bool:
        return self.phase == RetroPhase.CLOSED

    @property
    def phase_number(self) -> int:
        return RETRO_PHASES.index(RetroPhase(self.phase)) + 1


class RetroParticipation(models.Model):
    """How far one participant is: ready with a phase, health answered, votes used. Never what
    they wrote or voted for."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="progress"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ready_in = models.CharField(max_length=20, blank=True, default="")
    answered_health = models.BooleanField(default=False)
    votes_used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retrospective", "person"], name="retro_participation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.retrospective_id} {self.person_id}"


class RetroGroup(models.Model):
    """Notes that belong together, with the votes they got and what was decided about them."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="groups"
    )
    title = models.CharField(_("title"), max_length=200)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    decision = models.TextField(_("what we decided"), max_length=2000, blank=True, default="")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class RetroNote(models.Model):
    """One note under one of the retrospective's questions. In an anonymous retrospective it
    has no author and a random key, and nothing says when it was written."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    retrospective = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="notes")
    column = models.PositiveSmallIntegerField(_("question"))
    text = models.TextField(_("note"), max_length=500)
    # Only in a named retrospective.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    group = models.ForeignKey(
        RetroGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )

    class Meta:
        indexes = [models.Index(fields=["retrospective", "column"])]

    def __str__(self) -> str:
        return self.text[:50]


# The team health check: five statements, each answered from 1 (disagree) to 5 (agree).
HEALTH_STATEMENTS = [
    _("We trust each other and say what we think."),
    _("We share what we know and learn openly."),
    _("We help each other and ask for help in time."),
    _("We know what we are aiming for, and why."),
    _("We have the energy and the pace to do good work."),
]


class HealthAnswer(models.Model):
    """One participant's answers to the five statements, with a random key and no author or
    time: that someone answered is kept in RetroParticipation, apart from this."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="health_answers"
    )
    scores = models.JSONField(default=list)

    def __str__(self) -> str:
        return str(self.retrospective_id)


class RetroAction(models.Model):
    """An action agreed in the retrospective, kept as one of the team's goals."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="actions"
    )
    group = models.ForeignKey(
        RetroGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    # The goal outlives the retrospective's page; it is the team's.
    goal = models.OneToOneField(
        "teamwork.Goal", on_delete=models.PROTECT, related_name="retro_action"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.goal)
