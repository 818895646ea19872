from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can_read

# A unit's path is its ancestors' ids and its own, each in base 36 padded to a fixed width and
# ended by "/": "00001a/0000b2/". A subtree is then the units whose path starts with P: no
# recursive query, and correct under any database collation (a range on P would not be).
PATH_STEP = 6
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def path_step(pk: int) -> str:
    out = ""
    while pk:
        pk, rem = divmod(pk, 36)
        out = _DIGITS[rem] + out
    return out.rjust(PATH_STEP, "0") + "/"


def path_ids(path: str) -> list[int]:
    return [int(step, 36) for step in path.split("/") if step]


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree_of(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def visible_to(self, user: Any) -> UnitQuerySet:
        """Units whose team page `user` may open: their own units, every unit below one they
        lead, and all of them for an administrator."""
        if not can_read(user):
            return self.none()
        if user.is_administrator:
            return self.all()
        # A subquery and path prefixes, no join: SQLite plans an OR across a join badly.
        condition = models.Q(pk__in=Membership.objects.filter(user=user).values("unit_id"))
        for path in Unit.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.LEADER
        ).values_list("path", flat=True):
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)


class Unit(models.Model):
    """An organisational unit: a team, a section, a department, the whole municipality."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="")
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="unit_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:team", kwargs={"unit_id": self.pk})

    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)[:-1]

    def ancestors(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")


# A person's home unit, where one unit must stand for them (the team a check-in's help request
# goes to, the unit an anonymous answer counts in): where they are a member before where they
# lead ("member" sorts after "leader"), the deepest first, the oldest unit on a tie.
HOME_UNIT_ORDER = ("-role", "-unit__depth", "unit_id")


class Membership(models.Model):
    """A person's place in a unit. A leader of a unit has a leader membership of it."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEADER = "leader", _("Leader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_user_unit_unique")
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class Value(models.Model):
    """One of the organisation's values, used to tag recognition and reflections."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


# What an import is doing, for the progress shown while it runs.
IMPORT_STEPS = {
    "org_units": _("Reading units from OS2mo"),
    "engagements": _("Reading engagements from OS2mo"),
    "managers": _("Reading managers from OS2mo"),
    "addresses": _("Reading e-mail addresses from OS2mo"),
    "check": _("Checking the data"),
    "save": _("Saving the changes"),
    "units": _("Saving units"),
    "people": _("Saving people"),
}

# A job that has not reported progress for this long died with its process (a restart or a
# deploy); it no longer blocks a new import.
IMPORT_JOB_STALE_AFTER = timedelta(minutes=30)


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def under_way(self) -> ImportJobQuerySet:
        """Jobs queued or running that still show signs of life."""
        return self.filter(
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING],
            updated_at__gte=timezone.now() - IMPORT_JOB_STALE_AFTER,
        )

    def stale(self) -> ImportJobQuerySet:
        return self.filter(
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING],
            updated_at__lt=timezone.now() - IMPORT_JOB_STALE_AFTER,
        )


class ImportJob(models.Model):
    """One import of the organisation running in the background, and how it ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")
        DONE = "done", _("Done")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=50, blank=True, default="")
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # [{"where": ..., "message": ...}] when the data has problems and nothing was changed.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # The counts of `ImportResult` once the import is done.
    result = models.JSONField(_("result"), null=True, blank=True)
    # Why the job failed when the source could not be read at all.
    error = models.TextField(_("error"), blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def is_under_way(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not self.is_stale

    @property
    def is_stale(self) -> bool:
        return (
            self.status in (self.Status.QUEUED, self.Status.RUNNING)
            and self.updated_at < timezone.now() - IMPORT_JOB_STALE_AFTER
        )

    @property
    def step_display(self) -> str:
        return str(IMPORT_STEPS.get(self.step, self.step))
