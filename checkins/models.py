"""A person's weekly check-ins and reflections ("korte check-ins og refleksioner i hverdagen").

Both are personal content: private unless the person shares them, read only through the
access layer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import (
    PersonalContent,
    PersonalQuerySet,
    Visibility,
    can_read,
    colleague_ids,
    leader_ids_of,
)
from core.dates import week_label
from core.links import link
from organisation.models import Value
from teamwork.models import HelpRequest


def week_of(day: date) -> date:
    """The Monday of the ISO week `day` falls in."""
    return day - timedelta(days=day.weekday())


def current_week() -> date:
    """This week's Monday, in the organisation's time zone."""
    return week_of(timezone.localdate())


class Energy(models.IntegerChoices):
    VERY_LOW = 1, _("Very low")
    LOW = 2, _("Low")
    MIDDLE = 3, _("In between")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


# Who a check-in is shared with, as its owner and those it is shared with read it. A check-in
# is never shown to the whole organisation.
CHECKIN_SHARING = {
    Visibility.PRIVATE: _("Only me"),
    Visibility.LEADER: _("Shared with my leader"),
    Visibility.TEAM: _("Shared with the team"),
}

CHECKIN_TEXTS = ("went_well", "is_hard", "priorities", "help_needed")
# Each answer under the words the form asks it with: on the form, every page and every quote.
CHECKIN_LABELS = {
    "went_well": _("What went well"),
    "is_hard": _("What is hard"),
    "priorities": _("My priorities this week"),
    "help_needed": _("I need help with"),
}


class CheckIn(PersonalContent):
    """One person's check-in for one week."""

    week = models.DateField(_("week"), help_text=_("The Monday of the week."))
    energy = models.PositiveSmallIntegerField(
        _("my energy this week"), choices=Energy.choices, null=True, blank=True
    )
    went_well = models.TextField(_("what went well"), max_length=2000, blank=True, default="")
    is_hard = models.TextField(_("what is hard"), max_length=2000, blank=True, default="")
    priorities = models.TextField(
        _("my priorities this week"), max_length=2000, blank=True, default=""
    )
    help_needed = models.TextField(_("I need help with"), max_length=2000, blank=True, default="")
    help_request = models.OneToOneField(
        HelpRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_checkin",
        verbose_name=_("help request"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week"], name="checkin_one_per_week")
        ]
        indexes = [models.Index(fields=["week"])]

    def __str__(self) -> str:
        return self.week_label

    def get_absolute_url(self) -> str:
        return link("checkins:detail", checkin_id=self.pk)

    # Week and year as text, so that a template never writes the year "2.026".
    @property
    def iso_week(self) -> str:
        return str(self.week.isocalendar().week)

    @property
    def iso_year(self) -> str:
        return str(self.week.isocalendar().year)

    @property
    def week_label(self) -> str:
        return week_label(self.week)

    @property
    def sharing_label(self) -> str:
        label = CHECKIN_SHARING.get(Visibility(self.visibility))
        return str(self.get_visibility_display() if label is None else label)

    def editable_until(self) -> datetime:
        return self.created_at + timedelta(days=settings.SPARRING_CHECKIN_EDIT_DAYS)

    def is_editable(self, now: datetime | None = None) -> bool:
        """A check-in is a note of how the week was; after a while it stays as written."""
        if self.created_at is None:
            return True
        return (now or timezone.now()) < self.editable_until()


class Reflection(PersonalContent):
    """A short reflection in a person's journal, optionally tagged with a value or a theme."""

    text = models.TextField(_("reflection"), max_length=2000)
    value = models.ForeignKey(
        Value,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
        verbose_name=_("value"),
    )
    theme = models.CharField(_("theme"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return link("reflections:detail", reflection_id=self.pk)


class ReminderRound(models.Model):
    """A day whose check-in reminders have all gone out: the worker's later ticks that day
    have nothing to do and cost one query."""

    day = models.DateField(unique=True)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round of check-in reminders")
        verbose_name_plural = _("rounds of check-in reminders")

    def __str__(self) -> str:
        return self.day.isoformat()


# --- Replies to a shared check-in ------------------------------------------------------------


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, user: Any) -> ThreadQuerySet:
        """The check-in's owner and the thread's reader, and only while the reader may read the
        check-in: taken back to private, or the reader no longer its owner's leader or
        colleague, the thread is hidden from both (and kept)."""
        if not can_read(user):
            return self.none()
        # Only the check-ins of the user's own threads are tried against the access layer's
        # conditions: asked of every check-in, they cost a scan of all of them.
        readable = (
            CheckIn.objects.visible_to(user)
            .filter(pk__in=Thread.objects.filter(reader=user).values("checkin_id"))
            .exclude(owner=user)
            .values("pk")
        )
        return self.filter(
            models.Q(reader=user, checkin__in=readable)
            | models.Q(
                checkin__owner=user,
                checkin__visibility=Visibility.LEADER,
                reader_id__in=leader_ids_of(user),
                reader__is_active=True,
            )
            | models.Q(
                checkin__owner=user,
                checkin__visibility=Visibility.TEAM,
                reader_id__in=colleague_ids(user),
                reader__is_active=True,
            )
        )


class Thread(models.Model):
    """The conversation between a check-in's owner and one person it is shared with (the
    reader): one per check-in and reader, read by those two only."""

    # Nothing anyone wrote goes as a side effect: a check-in with replies to it is not deleted
    # until the replies are (by their authors, or by a retention rule that handles both).
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, related_name="threads", verbose_name=_("check-in")
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="checkin_threads",
        verbose_name=_("reader"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply thread")
        verbose_name_plural = _("reply threads")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "reader"], name="thread_one_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.checkin_id}/{self.reader_id}"

    def get_absolute_url(self) -> str:
        return f"{self.checkin.get_absolute_url()}#thread-{self.pk}"

    def other_party(self, user: Any) -> Any:
        """Who `user` talks with in this thread."""
        return self.reader if self.checkin.owner_id == user.pk else self.checkin.owner


class ReplyQuerySet(PersonalQuerySet["Reply"]):
    def visible_to(self, user: Any) -> ReplyQuerySet:
        """A reply is read by the two people in its thread, while the thread is readable."""
        return self.filter(thread__in=Thread.objects.visible_to(user).values("pk"))

    def talking_points(self) -> ReplyQuerySet:
        return self.filter(talking_point=True, talked_about_at__isnull=True)


class Reply(PersonalContent):
    """One message in a thread. It belongs to its author (`owner`); its readers are the two
    people in the thread, whatever `visibility` says."""

    thread = models.ForeignKey(
        Thread, on_delete=models.PROTECT, related_name="replies", verbose_name=_("thread")
    )
    text = models.TextField(_("reply"), max_length=2000)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    talking_point = models.BooleanField(
        _("take this up at our next 1:1"),
        default=False,
        help_text=_("Either of you can mark a reply to talk about at your next 1:1."),
    )
    # Set by the conversation that took the point up, so it is offered only once.
    talked_about_at = models.DateTimeField(_("talked about"), null=True, blank=True)

    objects = ReplyQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.thread.checkin.get_absolute_url()}#reply-{self.pk}"
