from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.functional import Promise as StrPromise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.failures import RETRY_AFTER_SECONDS, is_unavailable
from core.middleware import cookie_language

logger = logging.getLogger("sparring.errors")


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


# The pages below stand alone (errors/standalone.html): they read neither the database nor the
# session, so they render when the database is down or the disk is full.


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Called while the exception is being handled: a database or disk that is
    out of reach for now (core/failures.py) is a 503 with Retry-After, anything else a 500."""
    if is_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return _standalone(
        request, "errors/500.html", status=500, fallback=gettext_lazy("Something went wrong")
    )


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = _standalone(
        request,
        "errors/503.html",
        status=503,
        fallback=gettext_lazy("Sparring is unavailable for a moment"),
        context={"retry_url": request.get_full_path()},
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _standalone(
        request,
        "errors/400.html",
        status=400,
        fallback=gettext_lazy("The request could not be understood"),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _standalone(request, "errors/403.html", status=403, fallback=gettext_lazy("Not allowed"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open until its token expired."""
    return _standalone(
        request,
        "errors/403.html",
        status=403,
        fallback=gettext_lazy("Not allowed"),
        context={"csrf": True},
    )


def _standalone(
    request: HttpRequest,
    template: str,
    *,
    status: int,
    fallback: StrPromise,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    # The language from this browser's cookie: the account may be out of reach, and the
    # middleware that would set the language may be the one that failed.
    with translation.override(cookie_language(request)):
        try:
            html = loader.render_to_string(
                template,
                {"organisation_name": settings.SPARRING_ORGANISATION_NAME, **(context or {})},
            )
        except Exception:
            # The last resort (static files not collected, a broken template): the words
            # without the design system.
            logger.exception("Could not render %s", template)
            html = format_html(
                '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{}</title>'
                "</head><body><main><h1>{}</h1></main></body></html>",
                translation.get_language(),
                fallback,
                fallback,
            )
    return HttpResponse(html, status=status)
