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

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import PersonalContent, Visibility

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
        return reverse("learning:entry", kwargs={"learning_entry_id": self.pk})

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
