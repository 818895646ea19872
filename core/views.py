from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.functional import Promise as StrPromise
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_lazy
from django.views.decorators.http import require_GET

from accounts.services import person_language_set
from checkins.selectors import checkins_for_home
from core.failures import RETRY_AFTER_SECONDS, is_unavailable
from core.http import AuthenticatedRequest
from core.middleware import cookie_language
from feedback.selectors import for_home as feedback_for_home
from organisation.selectors import home_for
from profiles.models import ProfileNote
from teamwork.selectors import help_for_home

logger = logging.getLogger("sparring.errors")


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """ "Min side": where a person starts; their week's check-in, colleagues who ask for help,
    their teams and their own notes."""
    context = home_for(request.user)
    context["notes"] = ProfileNote.objects.owned_by(request.user)[:5]
    context.update(checkins_for_home(request.user))
    context.update(help_for_home(request.user))
    context.update(feedback_for_home(request.user))
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
@require_GET
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language with a plain link and go back. The choice is kept in a cookie for this
    browser and, for a person who is logged in, on their account (so GET changes nothing but
    the person's own preference)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            person_language_set(person=request.user, code=code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite="Lax",
        )
    return response


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
