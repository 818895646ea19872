from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.models import CheckIn, Reflection
from checkins.selectors import home_unit_of, leaders_of
from core.access import Visibility, sharing_people_check
from organisation.models import Value
from teamwork.models import HelpRequest
from teamwork.services import (
    help_request_create,
    help_request_resolve,
    help_request_update_text,
)


class CheckInError(ValueError):
    """A check-in that cannot be saved; the message is for the person writing it."""


@transaction.atomic
def checkin_write(
    *,
    owner: User,
    week: date,
    energy: int | None,
    went_well: str,
    is_hard: str,
    priorities: str,
    help_needed: str,
    visibility: str,
) -> CheckIn:
    """Write the person's check-in for `week`: the first time it is created, after that the
    same check-in is changed, as long as it may still be. A need for help becomes a help
    request to the person's team, and the check-in keeps a link to it."""
    texts = [t.strip() for t in (went_well, is_hard, priorities, help_needed)]
    if not any(texts):
        raise CheckInError(
            _("An empty check-in cannot be saved: write a few words in at least one of the fields.")
        )
    if visibility not in (Visibility.PRIVATE, Visibility.LEADER, Visibility.TEAM):
        raise CheckInError(_("A check-in is shared with your leader or your team, or no one."))
    if visibility == Visibility.LEADER and not leaders_of(owner).exists():
        raise CheckInError(_("None of your teams has a leader to share the check-in with."))

    checkin = CheckIn.objects.select_for_update().filter(owner=owner, week=week).first()
    if checkin is None:
        try:
            # The first check-in of the week from two tabs at once: the second one to arrive
            # finds the first and changes it, instead of failing on the one-per-week rule.
            with transaction.atomic():
                checkin = CheckIn.objects.create(owner=owner, week=week, went_well=texts[0])
        except IntegrityError:
            checkin = CheckIn.objects.select_for_update().get(owner=owner, week=week)
    if not checkin.is_editable():
        raise CheckInError(_("This check-in can no longer be changed."))
    checkin.energy = energy
    checkin.went_well, checkin.is_hard, checkin.priorities, checkin.help_needed = texts
    checkin.visibility = visibility
    checkin.save()

    asked = checkin.help_request
    if checkin.help_needed:
        # A resolved request stays as it was; a new need that week is a new request.
        if asked is None or (not asked.is_open and asked.text != checkin.help_needed):
            unit = home_unit_of(owner)
            if unit is None:
                raise CheckInError(
                    _("You are not in a team yet, so there is nobody to ask for help.")
                )
            checkin.help_request = help_request_create(
                asker=owner, unit=unit, text=checkin.help_needed, scope=HelpRequest.Scope.TEAM
            )
            checkin.save(update_fields=["help_request"])
        else:
            help_request_update_text(help_request=asked, text=checkin.help_needed)
    elif asked is not None and asked.is_open:
        # The need was taken back: the request is withdrawn, not left open with the old text.
        help_request_resolve(help_request=asked, by=owner)
    return checkin


@transaction.atomic
def reflection_save(
    *,
    reflection: Reflection,
    text: str,
    value: Value | None,
    theme: str,
    visibility: str,
    shared_with: Iterable[User] = (),
) -> Reflection:
    people = (
        sharing_people_check(owner=reflection.owner, people=shared_with)
        if visibility == Visibility.SHARED
        else []
    )
    reflection.text, reflection.value, reflection.theme = text.strip(), value, theme.strip()
    reflection.visibility = visibility
    reflection.save()
    reflection.shared_with.set(people)
    return reflection


@transaction.atomic
def reflection_delete(*, reflection: Reflection) -> None:
    reflection.delete()
