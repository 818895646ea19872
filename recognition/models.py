"""Recognition (anerkendelse): a short note of thanks to colleagues, tied to the organisation's
values, for the team or for everyone to see. It is public by the author's choice, so unlike
feedback it is not personal content with an owner who decides later who reads it."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import can_read
from core.compiled import compiled_query
from core.links import link
from organisation.models import Membership, Unit, Value


def reading_lists(user: Any) -> tuple[list[int], list[int]] | None:
    """What the rules of `visible_rules` take for `user`: the units they are in and the thanks
    they received, two short lists read first (with subqueries inside the rules' OR, the
    database read every recognition ever written). None for someone who may read nothing."""
    if not can_read(user):
        return None
    return _units_of(reader_id=user.pk), _received_by(reader_id=user.pk)


def visible_rules(reader_id: int, units: list[int], received: list[int]) -> list[models.Q]:
    """The rules of `visible_to` for the reader `reader_id` with their `reading_lists`: thanks
    for everyone, to one's units, written by oneself, received. What any of them lets
    through, the reader may read. A feed reads the newest of each on its own, along an index,
    rather than all that the OR of them lets through (recognition.selectors)."""
    return [
        models.Q(unit__isnull=True),
        models.Q(unit_id__in=units),
        models.Q(author_id=reader_id),
        models.Q(pk__in=received),
    ]


@compiled_query
def _units_of(reader_id: int) -> models.QuerySet[Any, int]:
    return Membership.objects.filter(user_id=reader_id).values_list("unit_id", flat=True)


@compiled_query
def _received_by(reader_id: int) -> models.QuerySet[Any, int]:
    return Recognition.recipients.through.objects.filter(user_id=reader_id).values_list(
        "recognition_id", flat=True
    )


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def visible_to(self, user: Any) -> RecognitionQuerySet:
        """Recognition for everyone; a team's recognition to the people of that unit; and what
        one wrote or received oneself: the rules of `visible_parts`, any of them."""
        parts = self.visible_parts(user)
        if not parts:
            return self.none()
        return self.filter(reduce(operator.or_, parts))

    def visible_parts(self, user: Any) -> list[models.Q]:
        """The rules of `visible_to` one by one (none for someone who may read nothing): what
        any of them lets through, `user` may read."""
        lists = reading_lists(user)
        return [] if lists is None else visible_rules(user.pk, *lists)

    def posted_to(self, unit: Unit, user: Any) -> RecognitionQuerySet:
        """What was posted to `unit` that `user` may read: `visible_to`'s rules for one unit
        (all of it for the unit's people, else what `user` wrote or received), in one query
        along the unit's index, without first reading the `reading_lists`."""
        if not can_read(user):
            return self.none()
        received = Recognition.recipients.through.objects.filter(user=user)
        return self.filter(unit=unit).filter(
            models.Q(models.Exists(Membership.objects.filter(unit=unit, user=user)))
            | models.Q(author=user)
            | models.Q(pk__in=received.values("recognition_id"))
        )

    def received_by(self, user: Any) -> RecognitionQuerySet:
        """What `user` received: theirs to read whatever it was posted to (see visible_to),
        without first reading the lists visible_to needs."""
        if not can_read(user):
            return self.none()
        return self.filter(recipients=user)

    def for_feed(self) -> RecognitionQuerySet:
        """With author and unit; `selectors.with_details` adds the people, values and
        reactions a feed shows."""
        return self.select_related("author", "unit")


class Recognition(models.Model):
    """Thanks from one person to one or more colleagues, tied to at least one value."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recognitions_written",
        verbose_name=_("from"),
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="recognitions_received", verbose_name=_("to")
    )
    text = models.TextField(_("thanks for"), max_length=1000)
    values = models.ManyToManyField(Value, related_name="recognitions", verbose_name=_("values"))
    # Empty: for everyone in the organisation; set: for the people of that unit.
    unit = models.ForeignKey(
        Unit,
        # Units are archived, never deleted while anything refers to them.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("team"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            # The thanks to everyone, newest first, for the feed: PostgreSQL does not take
            # "unit IS NULL" as one value of the index above, and sorted all of them (a tenth
            # of all thanks, growing) for each page of twenty.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(unit__isnull=True),
                name="recognition_everyone_newest",
            ),
        ]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return self.text[:50]

    def get_absolute_url(self) -> str:
        return link("recognition:detail", self.pk)


class Reaction(models.Model):
    """A colleague's small sign that they saw and share the thanks."""

    class Kind(models.TextChoices):
        APPLAUSE = "applause", _("Applause")
        HEART = "heart", _("Heart")
        CELEBRATE = "celebrate", _("Celebrate")

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reactions"
    )
    kind = models.CharField(_("reaction"), max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "user", "kind"], name="reaction_once_per_kind"
            )
        ]
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"
