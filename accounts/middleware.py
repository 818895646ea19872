"""Session lifetime: an idle timeout (the cookie age, renewed at most once a minute) and an
absolute one counted from login, after which the person logs in again."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.backends import person_of

LOGIN_AT = "sparring_login_at"
SEEN_AT = "sparring_seen_at"


class PersonAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's, with the request's person read with its session: one statement, where
    Django's reads the session and then the person."""

    def process_request(self, request: Any) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: person_of(request))


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.setdefault(LOGIN_AT, now)
            if now - login_at > settings.SESSION_ABSOLUTE_HOURS * 3600:
                auth.logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
            # Writing the session renews its expiry; once a minute is enough for an idle
            # timeout counted in minutes and spares the database a write per request.
            if now - request.session.get(SEEN_AT, 0) > 60:
                request.session[SEEN_AT] = now
        return self.get_response(request)
