from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import PersonalContent
from core.links import link


class ProfileNote(PersonalContent):
    """A note a person keeps about themself: what I work on, how I like to collaborate, what I
    want to get better at. Private unless the owner shares it."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10_000)

    class Meta:
        verbose_name = _("profile note")
        verbose_name_plural = _("profile notes")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("profiles:detail", note_id=self.pk)
