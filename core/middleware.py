from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse
from django.utils import translation
from whitenoise.middleware import WhiteNoiseMiddleware


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


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]  # untyped
    """WhiteNoise, with its table of the collected files made once per process. WhiteNoise
    reads every file's size and headers when the middleware is made: about 75 ms for the
    2,500 files `collectstatic` writes. A server makes its middleware once; Django's test client
    makes it afresh for every client, and the test suite spent minutes of its CPU on the
    same table. The table is kept by the directory and the time `collectstatic` last wrote its
    manifest, so a new `collectstatic` makes a new one; the settings that shape it change only
    in a test, and a changed setting of static files forgets them all."""

    _tables: ClassVar[dict[tuple[Any, ...], dict[str, Any]]] = {}
    # WhiteNoise's: the responder of each URL.
    files: dict[str, Any]

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if self.autorefresh:
            # Looked up on each request: no table to keep.
            super().add_files(root, prefix)
            return
        key = (Path(root).resolve(), prefix, _written_at(root))
        table = self._tables.get(key)
        if table is None:
            files, self.files = self.files, {}
            try:
                super().add_files(root, prefix)
                table = self._tables[key] = self.files
            finally:
                self.files = files
        self.files.update(table)


@receiver(setting_changed)
def _static_settings_changed(setting: str, **kwargs: Any) -> None:
    # A file's headers depend on them (its lifetime, its media type, whether it is hashed);
    # WhiteNoise takes its lifetime from DEBUG unless told.
    if setting.startswith(("STATIC", "STORAGES", "WHITENOISE", "DEBUG")):
        StaticFilesMiddleware._tables.clear()
        # The addresses of the styles and scripts in base.html's "head" fragment, too.
        caches["fragments"].clear()


def _written_at(root: str) -> int | None:
    """When `collectstatic` last wrote `root` (its manifest, or the directory itself)."""
    for path in (Path(root) / "staticfiles.json", Path(root)):
        try:
            return path.stat().st_mtime_ns
        except OSError:
            continue
    return None


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
        # The one exception a view can ask for: a public asset kept in the database (the
        # organisation's logo), which holds nothing personal and no one's session.
        if getattr(response, "public_asset", False):
            return response
        # Replaces whatever a view set: nothing here may be kept by a browser or a proxy.
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
        return response


NO_STORE = "private, no-store"


class HealthCheckMiddleware:
    """Answers the health endpoints (core/health.py) first of all, so that a load balancer's
    probe, made by the machine's address over plain HTTP, passes no host check, no HTTPS
    redirect, no session and no login; the URL patterns exist for `reverse` and the sweeps.
    `/metrics` (core/metrics.py) is answered the same way, for a Prometheus server."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views: dict[str, Callable[[HttpRequest], HttpResponse]] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.views is None:
            # Found through the URLs, so this module imports none of the views' modules.
            self.views = {
                path: resolve(path).func
                for path in map(reverse, ("core:health_live", "core:health_ready", "core:metrics"))
            }
        view = self.views.get(request.path)
        if view is None:
            return self.get_response(request)
        response = view(request)
        response.headers["Cache-Control"] = NO_STORE
        return response


def cookie_language(request: HttpRequest) -> str:
    """The language this browser chose, else Danish. Never the browser's Accept-Language: a
    municipal PC with English Windows still shows Danish (PRODUCT.md)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class PersonLanguageMiddleware:
    """Speaks the language the person chose, saved on their account so that it follows them
    to every device; before login, the language chosen in this browser; else Danish."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        saved = user.language if user is not None and user.is_authenticated else ""
        code = saved or cookie_language(request)
        request.LANGUAGE_CODE = code
        # For this request only: the thread goes back to the language it had, so that work
        # done after it (a task, a test's next step) never speaks the last visitor's language.
        with translation.override(code):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
