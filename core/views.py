from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET

from checkins.selectors import checkins_for_home
from core.http import AuthenticatedRequest
from feedback.selectors import for_home as feedback_for_home
from organisation.selectors import home_for
from profiles.models import ProfileNote
from teamwork.selectors import help_for_home


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
    """Switch language with a plain link (only a cookie changes, so GET is fine) and go back."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite="Lax",
        )
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For a load balancer: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
