from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How long a copy of a person's data waits for them to download it.
EXPORT_KEPT_FOR = timedelta(days=7)
# A copy being made that has shown no progress for this long died with its worker.
EXPORT_STALE_AFTER = timedelta(minutes=10)


class DataExportQuerySet(models.QuerySet["DataExport"]):
    def under_way(self, *, now: datetime) -> DataExportQuerySet:
        """Copies waiting for the worker, or being made, that still show signs of life."""
        return self.filter(status__in=DataExport.WORKING, updated_at__gte=now - EXPORT_STALE_AFTER)

    def stale(self, *, now: datetime) -> DataExportQuerySet:
        return self.filter(status__in=DataExport.WORKING, updated_at__lt=now - EXPORT_STALE_AFTER)

    def to_delete(self, *, now: datetime) -> DataExportQuerySet:
        return self.filter(requested_at__lt=now - EXPORT_KEPT_FOR)


class DataExport(models.Model):
    """A copy of everything Sparring holds about a person, made by the worker for them to
    download as a zip. Kept in the database, not on one server's disk (there may be several),
    and deleted after EXPORT_KEPT_FOR."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be made")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    WORKING = (Status.WAITING, Status.RUNNING)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    # The kinds of data copied so far, of all kinds.
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # The person's language when they asked: the summary in the copy is written in it.
    language = models.CharField(_("language"), max_length=10)
    requested_at = models.DateTimeField(_("requested"))
    updated_at = models.DateTimeField(_("updated"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    archive = models.BinaryField(_("archive"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("copy of one's data")
        verbose_name_plural = _("copies of one's data")
        indexes = [models.Index(fields=["person", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self) -> datetime:
        return self.requested_at + EXPORT_KEPT_FOR


class RetentionSetting(models.Model):
    """The deletion deadline an organisation set for one kind of data (a retention rule of
    core.personal_data, by its key). Without a row, the kind is kept until it is deleted.
    Who changed it, and when, is in the audit log."""

    key = models.CharField(_("kind"), max_length=50, unique=True)
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        verbose_name = _("deletion deadline")
        verbose_name_plural = _("deletion deadlines")

    def __str__(self) -> str:
        return f"{self.key}: {self.days}"


class RetentionRun(models.Model):
    """One day's run of the deletion deadlines: one row per day in the organisation's time
    zone, so that of several workers only one runs it. Counts only, nothing deleted is named."""

    ran_on = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    deleted = models.JSONField(_("deleted"), default=dict)

    class Meta:
        verbose_name = _("run of the deletion deadlines")
        verbose_name_plural = _("runs of the deletion deadlines")

    def __str__(self) -> str:
        return str(self.ran_on)
