"""Reads about people and accounts: the directory that the people picker searches (names, job
titles and units, never anything a person wrote) and how people log in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery

from accounts.models import FOLDED, User
from accounts.services import INVITATION
from core.models import AuditEntry


def name_columns(relation: str) -> tuple[str, str, str, str]:
    """A person's name as a page writes it, read as columns through `relation` (`user`, an
    owner), for lists of people where loading each account would cost more than the list;
    `named` makes the person again from them."""
    return (
        f"{relation}_id",
        f"{relation}__first_name",
        f"{relation}__last_name",
        f"{relation}__username",
    )


# Through a relation named `user` (`values_list(*NAME_COLUMNS)`).
NAME_COLUMNS = name_columns("user")


def named(pk: int, first_name: str, last_name: str, username: str) -> User:
    """A person as far as writing their name needs (`display_name`, `avatar`), from the values
    of `name_columns`."""
    return User(pk=pk, first_name=first_name, last_name=last_name, username=username)


# Enough to find someone by a few letters of their name; more is a list to scroll, not a search.
SEARCH_LIMIT = 10
# Words of a search beyond these add nothing but work.
SEARCH_WORDS = 4


@dataclass(frozen=True)
class PersonFound:
    """A person as the picker shows them: name, job title and the unit they belong to."""

    pk: int
    name: str
    job_title: str
    unit: str


def search_words(text: str) -> list[str]:
    """The words of what a person typed, folded the way User.search_name is."""
    folded = text.casefold()
    for letter, plain in (*FOLDED, ("-", " ")):
        folded = folded.replace(letter, plain)
    return folded.split()[:SEARCH_WORDS]


def people_for_picker(
    *, user: User, query: str, exclude_self: bool = True, limit: int = SEARCH_LIMIT
) -> list[PersonFound]:
    """Active people in the organisation whose names have words that begin with each word of
    `query`: the searcher's own colleagues first, then everyone else, by name. One query."""
    from organisation.models import HOME_UNIT_ORDER, Membership

    words = search_words(query)
    if not words:
        return []
    condition = Q()
    for word in words:
        # search_name begins with a space, so " word" matches the start of any word of it.
        condition &= Q(search_name__contains=f" {word}")
    people = User.objects.filter(condition, is_active=True)
    if exclude_self:
        people = people.exclude(pk=user.pk)
    my_units = Membership.objects.filter(user=user).values("unit_id")
    home_unit = (
        Membership.objects.filter(user=OuterRef("pk"), unit__archived_at__isnull=True)
        .order_by(*HOME_UNIT_ORDER)
        .values("unit__name")[:1]
    )
    rows: Any = (
        people.annotate(
            colleague=Exists(Membership.objects.filter(user=OuterRef("pk"), unit_id__in=my_units)),
            unit_name=Subquery(home_unit),
        )
        .order_by("-colleague", "first_name", "last_name", "pk")
        .values("pk", "first_name", "last_name", "username", "job_title", "unit_name")[:limit]
    )
    return [
        PersonFound(
            pk=row["pk"],
            name=f"{row['first_name']} {row['last_name']}".strip() or row["username"],
            job_title=row["job_title"],
            unit=row["unit_name"] or "",
        )
        for row in rows
    ]


@dataclass(frozen=True)
class AdministratorsStartLogin:
    """How people log in, for the administrator's start."""

    oidc: bool
    invitations_sent: bool

    @property
    def done(self) -> bool:
        return self.oidc or self.invitations_sent


def for_administrators_start() -> AdministratorsStartLogin:
    """Whether people have a way in: OpenID Connect is configured, or local accounts have
    been invited to choose a password (the audit log keeps every link sent)."""
    if settings.OIDC_ENABLED:
        return AdministratorsStartLogin(oidc=True, invitations_sent=False)
    invited = AuditEntry.objects.filter(action="password.link_sent", data__kind=INVITATION).exists()
    return AdministratorsStartLogin(oidc=False, invitations_sent=invited)
