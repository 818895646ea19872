"""Feedback that is a gift, not control ("Feedback og sparring er en gave – ikke en kontrol"):
feedback people ask for, feedback that belongs to the person who receives it, and sparring on
request. There are no numeric ratings of people anywhere in this app."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import (
    PersonalContent,
    PersonalQuerySet,
    Visibility,
    can_read,
    id_list,
    led_people_ids,
)
from core.links import link
from organisation.models import Value


class Theme(models.TextChoices):
    """What feedback is about, in the words of the seed's focus areas for development, so the
    receiver can bring it into their own development."""

    PROJECT = "project", _("Project and process")
    OPEN_SOURCE = "open_source", _("Open source and digital administration")
    COMMUNICATION = "communication", _("Communication and collaboration")
    STRATEGY = "strategy", _("Strategic and analytical thinking")
    INNOVATION = "innovation", _("Innovation and learning in practice")
    PERSONAL = "personal", _("Personal development and wellbeing")


# Feedback is shared onward only with chosen people or one's leader, never with a team or
# the organisation: it stays a conversation between people.
FEEDBACK_VISIBILITIES = [Visibility.PRIVATE, Visibility.LEADER, Visibility.SHARED]


# --- Asking for feedback --------------------------------------------------------------------


class FeedbackRequestQuerySet(models.QuerySet["FeedbackRequest"]):
    def visible_to(self, user: Any) -> FeedbackRequestQuerySet:
        """The asker and the people asked; nobody else, leaders and administrators included."""
        if not can_read(user):
            return self.none()
        asked = FeedbackAsk.objects.filter(person=user).values("request_id")
        return self.filter(models.Q(asker=user) | models.Q(pk__in=asked))


class FeedbackRequest(models.Model):
    """A person asks one or more colleagues for feedback on something specific."""

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="feedback_requests",
        verbose_name=_("asked by"),
    )
    about = models.CharField(
        _("what would you like feedback on?"),
        max_length=200,
        help_text=_("Something specific, such as a meeting you led, a document or a project."),
    )
    questions = models.TextField(
        _("your questions"),
        max_length=1000,
        blank=True,
        default="",
        help_text=_("A question or two helps the others give useful feedback."),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    wished_by = models.DateField(_("wished for by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")

    def __str__(self) -> str:
        return self.about

    def get_absolute_url(self) -> str:
        return link("feedback:request", self.pk)


class FeedbackAskQuerySet(models.QuerySet["FeedbackAsk"]):
    def pending_for(self, user: Any) -> FeedbackAskQuerySet:
        """What `user` has been asked and not yet answered or declined."""
        if not can_read(user):
            return self.none()
        # A request from someone who has left can no longer be answered.
        return self.filter(
            person=user, status=FeedbackAsk.Status.PENDING, request__asker__is_active=True
        )


class FeedbackAsk(models.Model):
    """One person asked in a feedback request, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="asks")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="feedback_asks",
        verbose_name=_("asked"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decline_note = models.CharField(_("a word to the asker"), max_length=200, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = FeedbackAskQuerySet.as_manager()

    class Meta:
        ordering = ["person__first_name", "person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="feedback_ask_unique")
        ]
        indexes = [models.Index(fields=["person", "status"])]
        verbose_name = _("person asked for feedback")
        verbose_name_plural = _("people asked for feedback")

    def __str__(self) -> str:
        return f"{self.person} – {self.request}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


# --- Feedback -------------------------------------------------------------------------------


class FeedbackQuerySet(PersonalQuerySet["Feedback"]):
    def visible_to(self, user: Any) -> FeedbackQuerySet:
        """The receiver (the owner), the giver, and whoever the receiver shared it with. A leader
        sees only what was shared with them; an administrator sees nothing of anyone's."""
        if not can_read(user):
            return self.none()
        return self.filter(self.readers_condition(user) | models.Q(giver=user))

    def received_by(self, user: Any) -> FeedbackQuerySet:
        return self.filter(owner=user)

    def given_by(self, user: Any) -> FeedbackQuerySet:
        return self.filter(giver=user)

    def shared_with_me(self, user: Any) -> FeedbackQuerySet:
        """Other people's feedback they chose to share with `user`, as named person or leader:
        the part of `visible_to` that is neither one's own nor one's given feedback.

        The people `user` leads and the feedback named to them are read first, as two short
        lists: the same condition with subqueries inside an OR makes the database scan all
        the organisation's feedback."""
        if not can_read(user):
            return self.none()
        led = id_list(led_people_ids(user))
        named = list(
            Feedback.shared_with.through.objects.filter(user=user).values_list(
                "feedback_id", flat=True
            )
        )
        return (
            self.filter(
                models.Q(visibility=Visibility.LEADER, owner_id__in=led)
                | models.Q(visibility=Visibility.SHARED, pk__in=named)
            )
            .exclude(owner=user)
            .exclude(giver=user)
        )


class Feedback(PersonalContent):
    """Feedback from one person to another. It belongs to its receiver (`owner`): private to
    receiver and giver until the receiver shares it onward."""

    # Feedback belongs to its receiver: when the giver's account goes, the feedback stays and
    # shows as from "a former colleague".
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_given",
        verbose_name=_("given by"),
    )
    ask = models.OneToOneField(
        FeedbackAsk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answer",
        verbose_name=_("answer to"),
    )
    about = models.CharField(_("about"), max_length=200, blank=True, default="")
    works_well = models.TextField(_("what works"), max_length=2000, blank=True, default="")
    even_better = models.TextField(
        _("what could be even better"), max_length=2000, blank=True, default=""
    )
    values = models.ManyToManyField(
        Value, blank=True, related_name="feedback", verbose_name=_("values")
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    thanked_at = models.DateTimeField(_("thanked"), null=True, blank=True)
    kept = models.BooleanField(
        _("kept for my development"),
        default=False,
        help_text=_("Kept feedback comes first on your overview, to bring into your development."),
    )

    # Adds the giver to the readers PersonalContent knows (FeedbackQuerySet.visible_to).
    objects = FeedbackQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=FEEDBACK_VISIBILITIES),
                name="feedback_never_team_or_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("owner")), name="feedback_not_to_oneself"
            ),
        ]
        indexes = [models.Index(fields=["owner", "created_at"])]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return self.about or str(_("Feedback"))

    @property
    def giver_name(self) -> str:
        """Who gave it, or "a former colleague" once the giver's account is gone."""
        return self.giver.display_name if self.giver else str(_("a former colleague"))

    def get_absolute_url(self) -> str:
        return link("feedback:detail", self.pk)

    @property
    def receiver(self) -> Any:
        return self.owner


# --- Sparring -------------------------------------------------------------------------------


class SparringQuerySet(models.QuerySet["SparringRequest"]):
    def visible_to(self, user: Any) -> SparringQuerySet:
        """The two people in the sparring, and nobody else."""
        if not can_read(user):
            return self.none()
        return self.filter(models.Q(asker=user) | models.Q(partner=user))

    def waiting_for(self, user: Any, started_after: datetime) -> SparringQuerySet:
        """What waits for `user`: requests to them that wait for their answer, and agreed
        sparring that started at `started_after` or later (MAX_DURATION before now, worked out
        by the caller: such a sparring may not have ended yet); the unanswered first, then by
        time."""
        return self.filter(
            models.Q(status=SparringRequest.Status.REQUESTED, partner=user, asker__is_active=True)
            | models.Q(status=SparringRequest.Status.SCHEDULED, starts_at__gte=started_after)
        ).order_by(models.F("starts_at").asc(nulls_first=True), "-created_at")


# The lengths of sparring one can propose.
SPARRING_MINUTES = (15, 30, 45, 60, 90, 120)
MAX_DURATION = timedelta(minutes=max(SPARRING_MINUTES))


class SparringRequest(models.Model):
    """A person asks a colleague for sparring on a topic; the colleague proposes a time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        SCHEDULED = "scheduled", _("Time agreed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sparring_asked",
        verbose_name=_("asked by"),
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sparring_partner",
        verbose_name=_("sparring partner"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    message = models.TextField(_("message"), max_length=1000, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reply = models.CharField(_("reply"), max_length=300, blank=True, default="")
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    # The calendar's SEQUENCE: each new time or a cancellation replaces the earlier invitation.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SparringQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(asker=models.F("partner")), name="sparring_not_with_oneself"
            )
        ]
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["asker", "status"]),
        ]
        verbose_name = _("sparring")
        verbose_name_plural = _("sparring")

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return link("feedback:sparring", self.pk)

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.SCHEDULED)

    @property
    def has_invitation(self) -> bool:
        return self.starts_at is not None and self.status in (
            self.Status.SCHEDULED,
            self.Status.CANCELLED,
        )

    def other_person(self, user: Any) -> Any:
        return self.partner if user.pk == self.asker_id else self.asker
