"""Tokens for the links that let a person set their own password.

Django's token generator, with the time passed in and an expiry per purpose. A token is
bound to the person's password hash, last login and e-mail address: setting a password,
logging in or a change of address makes every earlier link useless (single use)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User


def _naive_utc(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(tzinfo=None)


class LinkTokens(PasswordResetTokenGenerator):
    def __init__(self, purpose: str) -> None:
        self.key_salt = f"sparring.accounts.tokens.{purpose}"
        super().__init__()

    def make(self, person: User, *, now: datetime) -> str:
        return str(
            self._make_token_with_timestamp(person, self._num_seconds(_naive_utc(now)), self.secret)
        )

    def is_valid(self, person: User, token: str, *, now: datetime, lifetime: timedelta) -> bool:
        try:
            stamp_b36, _hash = token.split("-")
            stamp = base36_to_int(stamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(person, stamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(_naive_utc(now)) - stamp
        return 0 <= age <= lifetime.total_seconds()
