"""The worker's part of accounts: links put into e-mails as they are sent, and forgetting
old login counters. Imported at start-up by the notifications app."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from accounts.services import LINK_EMAIL_KINDS, login_throttles_purge, password_link_url
from notifications.account_emails import Composer, register_link_composer
from notifications.scheduler import periodic


def _composer(purpose: str) -> Composer:
    def compose(person: User, now: datetime) -> str:
        return password_link_url(person=person, purpose=purpose, now=now)

    return compose


for _purpose, _kind in LINK_EMAIL_KINDS.items():
    register_link_composer(_kind, _composer(_purpose))


@periodic("login_throttles_purge")
def purge_login_throttles(now: datetime) -> None:
    login_throttles_purge(now=now)
