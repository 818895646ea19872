from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.net import client_address
from accounts.services import login_try_begin, login_try_failed, login_try_succeeded
from core.forms import DesignSystemForm


class LoginForm(DesignSystemForm, AuthenticationForm):
    """Django's login form behind the lock-out. The lock-out message is the same for a name
    that matches no one, so it tells nobody whether an account exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts. Wait %(minutes)d minutes and try again, "
            "or ask an administrator."
        ),
    }

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        # Django focuses the username field on load, which jumps past the skip link and the
        # page heading and leaves a screen-reader user in a form without its context.
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        attempt = login_try_begin(
            username=username, address=client_address(self.request), now=self.now
        )
        if attempt is None:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.SPARRING_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_try_failed(attempt=attempt, now=self.now)
            raise
        login_try_succeeded(attempt=attempt, person=self.get_user(), now=self.now)
        return cleaned


class PasswordForgotForm(DesignSystemForm, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordSetForm(DesignSystemForm, SetPasswordForm):  # type: ignore[type-arg]
    """Choose a password through a link; Django's validators decide what is good enough."""


class PasswordChangeOwnForm(DesignSystemForm, PasswordChangeForm):
    """Change one's own password, giving the current one first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
