"""How a team works together: its purpose and check-in day, working agreements, shared goals
and help requests. This is team content, not personal content: it belongs to a unit and is
read by the people of that unit."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import can_read, unit_ids_of
from core.choices import ChoiceLabels
from core.dates import date_label
from core.links import link
from organisation.models import Unit

# OS2's own handbook keeps a weekly check-in on Tuesdays.
DEFAULT_CHECKIN_WEEKDAY = 1

# A reminder (to check in, to revisit the agreements) belongs to the working day, not to the
# minute after midnight.
REMIND_FROM = time(9, 0)

# The seed's five expectations ("Vi forventer af hinanden, at vi: ..."), offered as a start
# when a team has no agreements yet. They are data in the organisation's language, which the
# team then rewrites in its own words, so they are not translated.
STARTING_AGREEMENTS = [
    "Vi tager ansvar for opgaver og fælles mål.",
    "Vi deler viden og erfaringer åbent.",
    "Vi hjælper hinanden og beder om hjælp i tide.",
    "Vi kommunikerer respektfuldt og ærligt.",
    "Vi bidrager til et positivt og løsningsorienteret arbejdsmiljø.",
]


class TeamQuerySet(models.QuerySet["Team"]):
    def for_unit(self, unit: Unit) -> Team:
        """The unit's team settings, created the first time something is written to them."""
        team, _created = self.get_or_create(unit=unit)
        return team

    def for_unit_or_default(self, unit: Unit) -> Team:
        """For reading: the unit's settings, or unsaved defaults, so a page view never writes."""
        return self.filter(unit=unit).first() or Team(unit=unit)


class Team(models.Model):
    """A unit's settings as a team. Created on demand; a unit without one has the defaults."""

    # A unit is archived, never deleted while its team has history.
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="team")
    purpose = models.TextField(
        _("purpose"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Why the team exists and where it is heading, in a sentence or two."),
    )
    checkin_weekday = models.PositiveSmallIntegerField(
        _("check-in day"),
        choices=list(WEEKDAYS.items()),
        default=DEFAULT_CHECKIN_WEEKDAY,
        validators=[MaxValueValidator(6)],
        help_text=_("The day the team writes its weekly check-ins. People get a reminder."),
    )
    agreements_revisit_on = models.DateField(_("revisit the agreements on"), null=True, blank=True)
    # The revisit date whose reminders have all gone out, so the worker's later ticks skip it.
    agreements_reminded_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        indexes = [models.Index(fields=["checkin_weekday"])]

    def __str__(self) -> str:
        return str(self.unit)


# --- Help requests --------------------------------------------------------------------------


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    def visible_to(self, user: Any) -> HelpRequestQuerySet:
        """Requests `user` may read: their own, those posted to a unit they are a member or
        leader of, and those posted to the whole organisation."""
        if not can_read(user):
            return self.none()
        return self.filter(
            models.Q(asker=user)
            | models.Q(scope=HelpRequest.Scope.ORGANISATION)
            | models.Q(scope=HelpRequest.Scope.TEAM, unit_id__in=unit_ids_of(user))
        )

    def open(self) -> HelpRequestQuerySet:
        return self.filter(status=HelpRequest.Status.OPEN)

    def asked_by(self, user: Any) -> HelpRequestQuerySet:
        return self.filter(asker=user)


class HelpRequest(models.Model):
    """A person asks their team (or everyone) for a hand: "beder om hjælp i tide"."""

    class Scope(models.TextChoices):
        TEAM = "team", _("My team")
        ORGANISATION = "organisation", _("Everyone in the organisation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="help_requests",
        verbose_name=_("asked by"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("team")
    )
    scope = models.CharField(
        _("who is asked"), max_length=20, choices=Scope.choices, default=Scope.TEAM
    )
    text = models.TextField(_("what I need help with"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["asker", "status"]),
            models.Index(fields=["scope", "status"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return link("teamwork:help_detail", help_request_id=self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class HelpOffer(models.Model):
    """A colleague's offer to help with a request."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="help_offers",
        verbose_name=_("helper"),
    )
    message = models.TextField(_("message"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)
    accepted = models.BooleanField(_("accepted"), default=False)

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "helper"], name="help_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.request}"


# --- Working agreements ---------------------------------------------------------------------


class WorkingAgreement(models.Model):
    """One of a team's working agreements (spilleregler)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="agreements")
    text = models.CharField(_("agreement"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("working agreement")
        verbose_name_plural = _("working agreements")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class AgreementChange(models.Model):
    """The visible history of a team's agreements: who added, changed or removed what."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        EDITED = "edited", _("Changed")
        REMOVED = "removed", _("Removed")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="agreement_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    action = models.CharField(_("change"), max_length=10, choices=Action.choices)
    old_text = models.CharField(_("before"), max_length=300, blank=True, default="")
    new_text = models.CharField(_("after"), max_length=300, blank=True, default="")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of an agreement")
        verbose_name_plural = _("changes of agreements")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.new_text or self.old_text}"


# --- Goals ----------------------------------------------------------------------------------


class GoalQuerySet(models.QuerySet["Goal"]):
    def visible_to(self, user: Any) -> GoalQuerySet:
        """Goals of the units whose team page `user` may open."""
        return self.filter(team__unit__in=Unit.objects.visible_to(user))


class Goal(ChoiceLabels, models.Model):
    """A goal the team shares, with one person who keeps it moving."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_goals",
        verbose_name=_("owner"),
        help_text=_("The person who keeps the goal moving."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        # The nearest due date first; goals without one after those that have one.
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("teamwork:goal_detail", unit_id=self.team.unit_id, goal_id=self.pk)

    @property
    def status_badge(self) -> str:
        return {
            self.Status.ON_TRACK: "badge-success",
            self.Status.AT_RISK: "badge-warning",
            self.Status.DONE: "badge-success",
        }.get(self.Status(self.status), "badge-info")

    @property
    def owner_and_due(self) -> str:
        """ "Mette Hansen · frist 2. december 2026", or the owner's name alone without a due
        date: worded here, not by blocktranslate in the goal's line, which cost more than the
        rest of the line."""
        name = self.owner.display_name
        if self.due_date is None:
            return name
        when = date_label(self.due_date)
        return gettext("%(name)s · due %(when)s") % {"name": name, "when": when}


class GoalNote(models.Model):
    """A note on how a goal is going."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("progress note"), max_length=1000)
    at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]
