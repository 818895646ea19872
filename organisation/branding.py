"""The organisation's name and logo as every page's header shows them, kept in the cache so a
page costs no query for them. A change is seen at once on the server that made it and within
`CACHE_SECONDS` on any other (each app server has its own cache)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse

from core.failures import is_unavailable
from organisation.models import OrganisationSettings

CACHE_KEY = "organisation-branding"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Branding:
    name: str
    logo_digest: str

    @property
    def logo_url(self) -> str:
        """The logo's address with its digest, so a browser keeps it until it changes."""
        if not self.logo_digest:
            return ""
        return f"{reverse('organisation_logo')}?v={self.logo_digest[:16]}"


def branding_for_header() -> Branding:
    found = cache.get(CACHE_KEY)
    if isinstance(found, Branding):
        return found
    try:
        current = OrganisationSettings.objects.for_header()
    except DatabaseError as error:
        # A page that needs no database (the accessibility statement) still renders while the
        # database is out of reach, with the configured name; a page that does gives the 503.
        if not is_unavailable(error):
            raise
        return Branding(name=settings.SPARRING_ORGANISATION_NAME, logo_digest="")
    branding = Branding(name=current.display_name, logo_digest=current.logo_digest)
    cache.set(CACHE_KEY, branding, CACHE_SECONDS)
    return branding


def branding_forget() -> None:
    cache.delete(CACHE_KEY)
