"""A person's weekly check-ins and reflections ("korte check-ins og refleksioner i hverdagen").

Both are personal content: private unless the person shares them, read only through the
access layer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import PersonalContent, Visibility
from core.dates import week_label
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
        return reverse("checkins:detail", kwargs={"checkin_id": self.pk})

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
        return str(CHECKIN_SHARING.get(Visibility(self.visibility), self.get_visibility_display()))

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
        return reverse("reflections:detail", kwargs={"reflection_id": self.pk})


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
