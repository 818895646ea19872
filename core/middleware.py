from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class ContentSecurityPolicyMiddleware:
    """Sends the strict policy from settings on every response (Django 5.2 has no CSP of its
    own yet). Pages may not loosen it: no inline script or style, nothing from elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class PrivateNoStoreMiddleware:
    """Marks every response the app renders `Cache-Control: private, no-store` (PRODUCT.md,
    privacy rule 8): pages for a logged-in person, downloads (CSV, JSON, .ics), and the pages
    around them, such as the login form with its CSRF token and the error pages.

    Sits below WhiteNoise, which answers for static files before this runs: they hold nothing
    personal and keep their long cache lifetime. One rule for everything else is simpler to
    trust than a list of which pages are personal, and it holds for new pages by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Replaces whatever a view set: nothing here may be kept by a browser or a proxy.
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
        return response


NO_STORE = "private, no-store"


class HealthCheckMiddleware:
    """Answers the health endpoints (core/health.py) first of all, so that a load balancer's
    probe, made by the machine's address over plain HTTP, passes no host check, no HTTPS
    redirect, no session and no login; the URL patterns exist for `reverse` and the sweeps."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views: dict[str, Callable[[HttpRequest], HttpResponse]] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.views is None:
            from core import health

            self.views = {
                reverse("core:health_live"): health.live,
                reverse("core:health_ready"): health.ready,
            }
        view = self.views.get(request.path)
        if view is None:
            return self.get_response(request)
        response = view(request)
        response.headers["Cache-Control"] = NO_STORE
        return response
