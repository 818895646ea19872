from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.services import login_attempt_record, login_is_locked
from core.forms import DesignSystemForm


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LoginForm(DesignSystemForm, AuthenticationForm):
    """Django's login form with lock-out after repeated failures and a record of every try."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts. Wait %(minutes)d minutes and try again, "
            "or ask an administrator."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django focuses the username field on load, which jumps past the skip link and the
        # page heading and leaves a screen-reader user in a form without its context.
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        if username and login_is_locked(username=username, ip_address=client_ip(self.request)):
            login_attempt_record(
                username=username, ip_address=client_ip(self.request), succeeded=False
            )
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.SPARRING_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_attempt_record(
                    username=username, ip_address=client_ip(self.request), succeeded=False
                )
            raise
        login_attempt_record(username=username, ip_address=client_ip(self.request), succeeded=True)
        return cleaned
