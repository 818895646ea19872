from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from organisation.branding import branding_for_header


def branding(request: HttpRequest) -> dict[str, Any]:
    """The organisation's name and logo for every page's header."""
    current = branding_for_header()
    return {"organisation_name": current.name, "organisation_logo_url": current.logo_url}
