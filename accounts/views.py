from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from mozilla_django_oidc import views as oidc_views

from accounts.forms import LoginForm, PasswordChangeOwnForm, PasswordForgotForm, PasswordSetForm
from accounts.net import client_address
from accounts.oidc import CALLBACK_FAILURES, callback_failure_reason, provider_logout_url
from accounts.selectors import people_for_picker
from accounts.services import (
    INVITATION,
    link_lifetime,
    password_change,
    password_forgot_request,
    password_link_person,
    password_set_by_link,
    person_language_set,
)
from core.http import AuthenticatedRequest

logger = logging.getLogger("sparring.accounts")


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "now": timezone.now()}

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
    """Where the provider sends the browser back. Open to everyone: the login happens here.

    Whatever goes wrong (a tampered or replayed state, a missing code, a token with the wrong
    signature, issuer or audience, a provider that does not answer), the browser ends on our
    own login page with a message, never on a bare "Bad Request"."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except CALLBACK_FAILURES as error:
            logger.warning("oidc: callback failed: %s: %s", type(error).__name__, error)
            return self.login_failure(reason=callback_failure_reason(error))

    def login_failure(self, reason: str = "") -> HttpResponse:
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
        if reason:
            messages.info(self.request, reason)
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


# --- Passwords --------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def password_forgot(request: HttpRequest) -> HttpResponse:
    """The answer is the same whether the address belongs to someone or not."""
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_forgot_request(
            email=form.cleaned_data["email"],
            address=client_address(request),
            now=timezone.now(),
        )
        return redirect("accounts:password_forgot_sent")
    return render(request, "accounts/password_forgot.html", {"form": form})


@login_not_required
def password_forgot_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_forgot_sent.html",
        {"hours": settings.SPARRING_PASSWORD_RESET_HOURS},
    )


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_link(request: HttpRequest, purpose: str, uidb64: str, token: str) -> HttpResponse:
    """Choose a password through a link from an e-mail. When the link is valid, whoever is
    logged in in this browser is logged out first: the link may be someone else's, and
    ending the person's sessions must not pull the ground from under this request."""
    now = timezone.now()
    person = password_link_person(purpose=purpose, uidb64=uidb64, token=token, now=now)
    if person is None:
        # Nobody is logged out by a link that is no link: any page could embed one.
        return render(request, "accounts/password_link_invalid.html", status=404)
    if request.user.is_authenticated:
        auth.logout(request)
        messages.info(request, _("You were logged out, so the link can be used."))
    form = PasswordSetForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set_by_link(person=person, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. You can log in with it now."))
        return redirect(settings.LOGIN_URL)
    return render(
        request,
        "accounts/password_link.html",
        {
            "form": form,
            "person": person,
            "invitation": purpose == INVITATION,
            "lifetime": link_lifetime(purpose),
        },
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change_view(request: AuthenticatedRequest) -> HttpResponse:
    """Change one's own password; every other session of the person ends, this one stays."""
    form = PasswordChangeOwnForm(
        request.user,
        request.POST or None,
        now=timezone.now(),
        address=client_address(request),
    )
    if request.method == "POST" and form.is_valid():
        ended = password_change(
            person=request.user,
            password=form.cleaned_data["new_password1"],
            keep_session_key=request.session.session_key,
        )
        auth.update_session_auth_hash(request, request.user)
        if ended:
            messages.success(
                request,
                ngettext(
                    "Your password is changed. You were logged out on %(count)d other device.",
                    "Your password is changed. You were logged out on %(count)d other devices.",
                    ended,
                )
                % {"count": ended},
            )
        else:
            messages.success(request, _("Your password is changed."))
        return redirect("home:index")
    return render(request, "accounts/password_change.html", {"form": form})


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


@require_GET
def people_search(request: AuthenticatedRequest) -> HttpResponse:
    """The people picker's listbox of the people whose names begin with what was typed."""
    listbox = request.GET.get("listbox", "")
    if not listbox.replace("-", "").replace("_", "").isalnum():
        listbox = "people-listbox"
    query = request.GET.get("q", "")[:100]
    # Rendered without the request's context processors: the partial needs none of what the
    # page around it shows (such as the count of unread notifications).
    html = render_to_string(
        "accounts/_people_found.html",
        {
            "listbox": listbox[:100],
            "multiple": bool(request.GET.get("multiple")),
            "people": people_for_picker(user=request.user, query=query) if query.strip() else None,
        },
    )
    return HttpResponse(html)
