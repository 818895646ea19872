from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from mozilla_django_oidc import views as oidc_views

from accounts.forms import LoginForm
from accounts.oidc import provider_logout_url


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


@method_decorator(login_not_required, name="dispatch")
class OIDCAuthenticationRequestView(oidc_views.OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider. Open to everyone: nobody is logged in yet."""


@method_decorator(login_not_required, name="dispatch")
class OIDCAuthenticationCallbackView(oidc_views.OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends the browser back. Open to everyone: the login happens here."""

    def login_failure(self) -> HttpResponse:
        # The library's default is LOGIN_REDIRECT_URL, which needs a login and so would only
        # bounce to the login page without saying why.
        messages.error(
            self.request,
            _(
                "You could not be logged in with %(provider)s. "
                "Please try again or contact an administrator."
            )
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))


class LogoutView(auth_views.LogoutView):
    """POST only. Flushing deletes the session row on the server; a person who came through
    OIDC is then sent to the provider so its session ends as well."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = (
            provider_logout_url(request)
            if settings.OIDC_OP_LOGOUT_ENDPOINT and "oidc_id_token" in request.session
            else None
        )
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response
