"""Personal access tokens: made by their person, shown once, kept as a keyed hash.

A token reads `spr_<lookup>_<secret>`: the lookup finds its row, and the whole token's
HMAC-SHA256 under the server's secret key must match what is kept. Nothing kept can be turned
back into a token, and a copy of the database without the secret key cannot test one."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from api.models import Token

PREFIX = "spr"
# At most a year: a token someone forgot does not open their data for ever.
MAX_LIFETIME = timedelta(days=365)
# Its last use is written at most this often, not on every request.
LAST_USE_EVERY = timedelta(minutes=1)
# What a token may reach, area by area, read or read and write.
AREAS = {
    "checkins": gettext_lazy("Check-ins"),
    "reflections": gettext_lazy("Reflections"),
    "notes": gettext_lazy("Notes about yourself"),
    "learning": gettext_lazy("Learning entries"),
    "feedback": gettext_lazy("Feedback received and given"),
    "conversations": gettext_lazy("Conversations you take part in"),
    "teams": gettext_lazy("Your teams: purpose, agreements and help asked for"),
    "goals": gettext_lazy("Team goals and their progress notes"),
    "recognition": gettext_lazy("Recognition"),
    "wellbeing": gettext_lazy("Wellbeing results"),
}
# The areas the API can write; the others are read only.
WRITABLE = {"checkins", "reflections", "notes", "learning", "feedback", "conversations", "goals"}
READ, WRITE = "read", "write"
# Everything a token can be given: each area read, and written where the API can.
FULL_ACCESS = {area: WRITE if area in WRITABLE else READ for area in AREAS}


class TokenError(ValueError):
    """A token that cannot be made; the message is for the person making it."""


def _hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def scopes_of(access: dict[str, str]) -> list[str]:
    """The scopes for an area's access ("", READ or WRITE): write includes read."""
    scopes = []
    for area, level in access.items():
        if (
            area not in AREAS
            or level not in ("", READ, WRITE)
            or (level == WRITE and area not in WRITABLE)
        ):
            raise TokenError(_("Choose no access, read, or read and write for each area."))
        if level:
            scopes.append(f"{area}:{READ}")
        if level == WRITE:
            scopes.append(f"{area}:{WRITE}")
    return scopes


@transaction.atomic
def token_create(
    *, person: User, name: str, scopes: list[str], expires_at: datetime, now: datetime
) -> tuple[Token, str]:
    """Make a token for `person`; returns it with the only copy of its secret."""
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name, so you know it again."))
    if not scopes:
        raise TokenError(_("Give the token access to at least one area."))
    if not now < expires_at <= now + MAX_LIFETIME:
        raise TokenError(_("A token expires within a year, and not in the past."))
    lookup = secrets.token_hex(6)
    secret = f"{PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
    token = Token.objects.create(
        person=person,
        name=name[:100],
        lookup=lookup,
        key_hash=_hash(secret),
        scopes=scopes,
        created_at=now,
        expires_at=expires_at,
    )
    return token, secret


def token_revoke(*, token: Token, now: datetime) -> None:
    Token.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


def token_authenticate(secret: str, *, now: datetime) -> Token | None:
    """The usable token `secret` is, or None; its last use is noted at most once a minute."""
    prefix, _sep, rest = secret.partition("_")
    lookup, _sep, _key = rest.partition("_")
    if prefix != PREFIX or not lookup:
        return None
    token = Token.objects.usable(now=now).select_related("person").filter(lookup=lookup).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
