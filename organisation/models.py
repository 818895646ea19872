from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import can_read, unit_ids_of
from core.links import link

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
    def active(self) -> UnitQuerySet:
        """Units in use: what pickers and navigation offer. Archived units keep their history
        (and their pages, for those who could open them) but are offered nowhere."""
        return self.filter(archived_at__isnull=True)

    def subtree_of(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def visible_to(self, user: Any) -> UnitQuerySet:
        """Units whose team page `user` may open: their own units, every unit below one they
        lead, and all of them for an administrator. The team page tests units against the
        same rule in Python (`organisation.selectors.Reach`): a change here is a change there,
        and organisation/tests/test_reach.py holds the two equal."""
        if not can_read(user):
            return self.none()
        if user.is_administrator:
            return self.all()
        # A subquery and path prefixes, no join: SQLite plans an OR across a join badly.
        condition = models.Q(pk__in=unit_ids_of(user))
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
    # Set when the unit left the source of an import: a unit is archived, never deleted, so
    # what its team wrote stays.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

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
        return link("home:team", unit_id=self.pk)

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
    "files": _("Reading the files"),
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
# Kept files, previews and problem lists hold names and e-mail addresses: the worker purges
# them this long after the job was created.
IMPORT_JOB_KEPT_FOR = timedelta(days=14)


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def under_way(self, *, now: datetime) -> ImportJobQuerySet:
        """Jobs waiting for the worker or being worked on that still show signs of life."""
        return self.filter(
            status__in=ImportJob.WORKING, updated_at__gte=now - IMPORT_JOB_STALE_AFTER
        )

    def stale(self, *, now: datetime) -> ImportJobQuerySet:
        return self.filter(
            status__in=ImportJob.WORKING, updated_at__lt=now - IMPORT_JOB_STALE_AFTER
        )

    def to_purge(self, *, now: datetime) -> ImportJobQuerySet:
        return self.filter(created_at__lt=now - IMPORT_JOB_KEPT_FOR, purged_at__isnull=True)


class ImportJob(models.Model):
    """One import of the organisation: first checked into a preview of what it will change,
    then, once an administrator confirms that preview, applied. The worker does both."""

    class Source(models.TextChoices):
        CSV = "csv", _("CSV files")
        OS2MO = "os2mo", "OS2mo"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        RUNNING = "running", _("Being checked")
        PREVIEW = "preview", _("Checked, waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed, waiting to be imported")
        APPLYING = "applying", _("Being imported")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")
        DONE = "done", _("Done")

    # Waiting for the worker or being worked on by it.
    WORKING = (Status.QUEUED, Status.RUNNING, Status.CONFIRMED, Status.APPLYING)

    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.OS2MO
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=50, blank=True, default="")
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # The chosen CSV files, kept between the check and the import in the database (not on one
    # server's disk: there may be several), and purged by the worker.
    units_file = models.BinaryField(_("units file"), null=True, blank=True)
    people_file = models.BinaryField(_("people file"), null=True, blank=True)
    units_name = models.CharField(_("units file name"), max_length=200, blank=True, default="")
    people_name = models.CharField(_("people file name"), max_length=200, blank=True, default="")
    # A hash of the parsed source at the check; the import refuses a source that differs.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True, default="")
    # What the import will do (`ImportPlan`), shown for confirmation.
    plan = models.JSONField(_("preview"), null=True, blank=True)
    # [{"where": ..., "message": ...}] when the data has problems and nothing was changed.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # The counts of `ImportResult` once the import is done.
    result = models.JSONField(_("result"), null=True, blank=True)
    # Why the job failed when the source could not be read at all.
    error = models.TextField(_("error"), blank=True, default="")
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    def is_under_way(self, *, now: datetime) -> bool:
        return self.status in self.WORKING and not self.is_stale(now=now)

    def is_stale(self, *, now: datetime) -> bool:
        return self.status in self.WORKING and self.updated_at < now - IMPORT_JOB_STALE_AFTER

    @property
    def step_display(self) -> str:
        return str(IMPORT_STEPS.get(self.step, self.step))

    @property
    def source_display(self) -> str:
        if self.source == self.Source.CSV:
            return f"{self.units_name}, {self.people_name}"
        return str(self.get_source_display())


class OrganisationSettingsQuerySet(models.QuerySet["OrganisationSettings"]):
    def for_header(self) -> OrganisationSettings:
        """The settings as every page's header needs them: the name and the logo's digest,
        without the logo's bytes. An organisation that never saved them gets the defaults."""
        found = self.defer("logo").filter(pk=OrganisationSettings.SINGLETON).first()
        return found or OrganisationSettings(pk=OrganisationSettings.SINGLETON)


class OrganisationSettings(models.Model):
    """The organisation's name and logo in the header of every page: one row, kept by the
    administrators. The logo lives in the database so that several app servers serve the
    same one without shared disk."""

    SINGLETON = 1

    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    logo = models.BinaryField(_("logo"), blank=True, default=b"")
    logo_type = models.CharField(max_length=20, blank=True, default="")
    # The logo's SHA-256: its ETag, and the version in its URL so a new logo is fetched at once.
    logo_digest = models.CharField(max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or settings.SPARRING_ORGANISATION_NAME

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_digest)
