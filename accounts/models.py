from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Concat, Lower, Replace
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from organisation.models import Unit


# How a name is folded for searching, the same in the database (search_name below) and for
# what a person types (accounts.selectors.search_words): lower case, Danish and other accented
# letters spelt without their marks, so "soren", "Søren" and "SØREN" all find Søren, and a
# hyphen splits a name into words.
UPPER_TO_LOWER = (
    ("Æ", "æ"),
    ("Ø", "ø"),
    ("Å", "å"),
    ("É", "é"),
    ("Ö", "ö"),
    ("Ä", "ä"),
    ("Ü", "ü"),
)
FOLDED = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("é", "e"), ("ö", "o"), ("ä", "a"), ("ü", "u"))


def _folded_name() -> models.Func:
    # SQLite's lower() knows only ASCII, so the capitals above are lowered by hand first.
    expression: models.Func = Concat(
        models.Value(" "),
        models.F("first_name"),
        models.Value(" "),
        models.F("last_name"),
        models.Value(" "),
        models.F("username"),
        output_field=models.CharField(),
    )
    for upper, lower in UPPER_TO_LOWER:
        expression = Replace(expression, models.Value(upper), models.Value(lower))
    expression = Lower(expression)
    for letter, plain in (*FOLDED, ("-", " ")):
        expression = Replace(expression, models.Value(letter), models.Value(plain))
    return expression


# What a service says when a person chosen (for feedback, thanks, sparring, sharing) has left. It
# names nobody: a form posted with any id must not tell who that is.
PERSON_LEFT = _("A person you chose has left the organisation and can no longer be chosen.")


class User(AbstractUser):
    """A person in the organisation. Created by import, by OIDC login or by an administrator."""

    # Stable key from the source system (OS2mo uuid or the CSV's id column); matches the person
    # again on the next import even after a change of name, e-mail or unit.
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="")
    job_title = models.CharField(_("job title"), max_length=200, blank=True, default="")
    is_administrator = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Manages organisation, people and values. Never reads private content."),
    )
    # When an administrator or an import last changed the e-mail address of a person who can
    # log in. For some days after, nobody can send that person a link to set a password: the
    # new address might be someone else's, and the link would hand them the account.
    email_changed_at = models.DateTimeField(_("e-mail changed"), null=True, blank=True)
    # When the person was last deactivated (left the organisation); a deletion deadline for
    # leavers' content counts from it. Empty while they are active, and for people deactivated
    # before it was kept, whose content no deadline reaches.
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    # The language the person chose; empty until they choose, and then Danish.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=[("da", _("Danish")), ("en", _("English"))],
    )
    # The name as the people picker searches it: " first last username", folded as above and
    # kept by the database itself, so imports that write people in bulk keep it too.
    search_name = models.GeneratedField(
        expression=_folded_name(),
        output_field=models.CharField(max_length=600),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name", "username"]
        indexes = [
            # The administrator's list of people: the active first, by name, fifty a page.
            # Without it each page sorted all 25,000 people of a municipality.
            models.Index(
                fields=["-is_active", "first_name", "last_name", "username"],
                name="user_people_list",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="user_external_id_unique",
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def led_units(self) -> models.QuerySet[Unit]:
        from organisation.models import Unit

        return Unit.objects.filter(memberships__user=self, memberships__role="leader")


class Session(AbstractBaseSession):
    """Django's session row plus its user, so all of a person's sessions can be ended at once."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls) -> type:
        from accounts.session_store import SessionStore

        return SessionStore


class LoginAttempt(models.Model):
    """A local login attempt of a known person, or from an address with a name that matches
    no one: a name typed in the login form is never kept. The lock-out does not count these
    rows (see LoginThrottle); they are the record of who tried, purged after 90 days."""

    # Not CASCADE: a row of the security record is not history of its own that must follow
    # the person, but deleting a person must not fail over it either.
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["ip_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """One counter per typed user name (as a keyed digest, never the name itself) or per
    client address (an IPv6 address counted per /64), or per reason to send a link.

    A row, not a count over LoginAttempt: checking it costs the same at any number of
    attempts, and locking the row (select_for_update) serialises parallel tries of one
    account or address so they cannot slip past the limit together."""

    key = models.CharField(max_length=100, unique=True)
    # Failures in a row (pending tries included), or links sent in the current window.
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
