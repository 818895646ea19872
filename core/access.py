"""The access layer. Every read of personal content goes through `visible_to(user)` or
`get_visible_or_404`; no view filters personal content by hand.

Visibility (PRODUCT.md, privacy rule 1):
- private: the owner only (the default);
- shared: the owner and the people named in `shared_with`;
- leader: the owner and whoever leads one of the owner's units now (a role, not names: a new
  leader sees it, a former leader no longer does);
- team: the owner and everyone who shares a unit with the owner;
- organisation: every active person.

Administrators get nothing extra here: they never read private content through the product.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels

if TYPE_CHECKING:
    from accounts.models import User


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    SHARED = "shared", _("People I choose")
    LEADER = "leader", _("My leaders")
    TEAM = "team", _("My teams")
    ORGANISATION = "organisation", _("Everyone in the organisation")


def can_read(user: Any) -> bool:
    """Whether `user` may read anything at all: logged in and not deactivated. Every
    `visible_to` starts here."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _ids(sql: str, *params: Any) -> RawSQL:
    """A subquery of ids, written out. The access layer puts two to five of these into nearly
    every read, and Django took longer to build each from a queryset (about 0.4 ms, every
    time) than the database takes to run it. `{membership}` names the memberships' table."""
    from organisation.models import Membership

    table = connection.ops.quote_name(Membership._meta.db_table)
    return RawSQL(sql.format(membership=table), params)  # noqa: S611 (the person is a parameter)


def unit_ids_of(user: User) -> RawSQL:
    """Ids of the units `user` is a member or leader of, as a subquery."""
    return _ids('SELECT "unit_id" FROM {membership} WHERE "user_id" = %s', user.pk)


def led_unit_ids(user: User) -> RawSQL:
    """Ids of the units `user` leads, as a subquery."""
    from organisation.models import Membership

    return _ids(
        'SELECT "unit_id" FROM {membership} WHERE "user_id" = %s AND "role" = %s',
        user.pk,
        Membership.Role.LEADER.value,
    )


def led_people_ids(user: User) -> RawSQL:
    """Ids of everyone in a unit `user` leads, as a subquery."""
    from organisation.models import Membership

    return _ids(
        'SELECT "user_id" FROM {membership} WHERE "unit_id" IN '
        '(SELECT "unit_id" FROM {membership} WHERE "user_id" = %s AND "role" = %s)',
        user.pk,
        Membership.Role.LEADER.value,
    )


def leader_ids_of(user: User) -> RawSQL:
    """Ids of whoever leads one of `user`'s units now (the readers of "my leaders"), as a
    subquery."""
    from organisation.models import Membership

    return _ids(
        'SELECT "user_id" FROM {membership} WHERE "role" = %s AND "user_id" <> %s AND "unit_id" IN '
        '(SELECT "unit_id" FROM {membership} WHERE "user_id" = %s)',
        Membership.Role.LEADER.value,
        user.pk,
        user.pk,
    )


def colleague_ids(user: User) -> RawSQL:
    """Ids of everyone who shares a unit with `user` (as member or leader), as a subquery."""
    return _ids(
        'SELECT "user_id" FROM {membership} WHERE "unit_id" IN '
        '(SELECT "unit_id" FROM {membership} WHERE "user_id" = %s)',
        user.pk,
    )


def reader(user_id: int) -> User:
    """An active person known by their id alone, to build a compiled query
    (`core.compiled`) for: `PersonalQuerySet.visible_to` reads nothing else of its reader. The
    caller checks `can_read` for the person it stands for."""
    from accounts.models import User

    return User(pk=user_id, is_active=True)


def id_list(ids: RawSQL) -> list[int]:
    """The ids a subquery of this module gives, read as a list."""
    with connection.cursor() as cursor:
        cursor.execute(ids.sql, ids.params)
        return [row[0] for row in cursor.fetchall()]


class SharingError(ValueError):
    """Content cannot be shared with the people named."""


def sharing_people_check(*, owner: User, people: Iterable[User]) -> list[User]:
    """The people `owner` names in "People I choose", if content can be shared with them:
    anyone active in the organisation but the owner. The one rule behind every such choice;
    the message names nobody, since a form posted with any id must not tell who that is."""
    from accounts.models import PERSON_LEFT

    people = list(people)
    for person in people:
        if person.pk == owner.pk:
            raise SharingError(_("You cannot share with yourself."))
        if not person.is_active:
            raise SharingError(str(PERSON_LEFT))
    return people


_M = TypeVar("_M", bound="PersonalContent")


class PersonalQuerySet(models.QuerySet[_M]):
    def visible_to(self, user: Any) -> PersonalQuerySet[_M]:
        if not can_read(user):
            return self.none()
        return self.filter(self.readers_condition(user))

    def readers_condition(self, user: Any) -> models.Q:
        """The condition `visible_to` filters by, for a model that adds readers of its own."""
        shared: Any = self.model._meta.get_field("shared_with")
        quote = connection.ops.quote_name
        shared_ids = RawSQL(  # noqa: S611 (our names; the person is a parameter)
            f"SELECT {quote(shared.m2m_column_name())} FROM {quote(shared.m2m_db_table())} "  # noqa: S608
            f"WHERE {quote(shared.m2m_reverse_name())} = %s",
            [user.pk],
        )
        return (
            models.Q(owner=user)
            | models.Q(visibility=Visibility.ORGANISATION)
            | models.Q(visibility=Visibility.TEAM, owner_id__in=colleague_ids(user))
            | models.Q(visibility=Visibility.LEADER, owner_id__in=led_people_ids(user))
            | models.Q(visibility=Visibility.SHARED, pk__in=shared_ids)
        )

    def owned_by(self, user: Any) -> PersonalQuerySet[_M]:
        return self.filter(owner=user)


class PersonalContent(ChoiceLabels, models.Model):
    """Base for every model that holds a person's own content."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # History is never collateral: a person with content is deactivated, not deleted.
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_owned",
        verbose_name=_("owner"),
    )
    visibility = models.CharField(
        _("who can see this"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="%(app_label)s_%(class)s_shared",
        verbose_name=_("shared with"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonalQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_owned_by(self, user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and self.owner_id == user.pk


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The object if `user` may see it; 404 when it is missing or forbidden alike."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def get_owned_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """For changes: only the owner may edit or delete; everyone else gets the same 404."""
    try:
        return queryset.visible_to(user).owned_by(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def administrator_required(view: Any) -> Any:
    """Administration pages: anyone else gets the same 404 as for a page that does not exist."""
    from functools import wraps

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(request.user, "is_administrator", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
