"""Writes about teamwork. Each is atomic; what people are told goes through notifications."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from notifications.services import notify
from organisation.models import Membership, Unit
from organisation.selectors import is_member
from teamwork.models import (
    STARTING_AGREEMENTS,
    AgreementChange,
    Goal,
    GoalNote,
    HelpOffer,
    HelpRequest,
    Team,
    WorkingAgreement,
)


class TeamworkError(ValueError):
    """A change that cannot be made; the message is for the person who tried."""


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(120)


def _people_of(unit: Unit) -> list[User]:
    """The unit's active members and leaders, in one query."""
    return list(User.objects.filter(is_active=True, memberships__unit=unit).distinct())


# --- The team's settings --------------------------------------------------------------------


@transaction.atomic
def team_update(*, unit: Unit, purpose: str, checkin_weekday: int) -> Team:
    team = Team.objects.for_unit(unit)
    team.purpose, team.checkin_weekday = purpose.strip(), checkin_weekday
    team.save()
    return team


# --- Help requests --------------------------------------------------------------------------


@transaction.atomic
def help_request_create(
    *, asker: User, unit: Unit, text: str, scope: str = HelpRequest.Scope.TEAM
) -> HelpRequest:
    """Post a request to `unit` and tell its other people about it."""
    if not is_member(asker, unit):
        raise TeamworkError(_("You can only ask a team you are part of."))
    request = HelpRequest.objects.create(asker=asker, unit=unit, scope=scope, text=text.strip())
    # Lazy: notifications render the text in each recipient's language, not the asker's.
    message = format_lazy(
        gettext_lazy("{name} asks for help: {text}"),
        name=asker.display_name,
        text=_short(request.text),
    )
    # Colleagues in the unit hear of it; a request to the whole organisation is shown to
    # everyone, but is not pushed to thousands of people.
    subject = format_lazy(gettext_lazy("{name} asks for help"), name=asker.display_name)
    for person in _people_of(unit):
        if person.pk != asker.pk:
            notify(
                recipient=person,
                kind="help_request",
                text=message,
                subject=subject,
                url=request.get_absolute_url(),
            )
    return request


@transaction.atomic
def help_request_update_text(*, help_request: HelpRequest, text: str) -> HelpRequest:
    if help_request.is_open and text.strip() != help_request.text:
        help_request.text = text.strip()
        help_request.save(update_fields=["text"])
    return help_request


@transaction.atomic
def help_offer_create(*, help_request: HelpRequest, helper: User, message: str) -> HelpOffer:
    if helper.pk == help_request.asker_id:
        raise TeamworkError(_("You cannot offer help with your own request."))
    if not help_request.is_open:
        raise TeamworkError(_("This request has been resolved; it needs no more offers."))
    if help_request.offers.filter(helper=helper).exists():
        raise TeamworkError(_("You have already offered to help with this request."))
    try:
        # Two clicks at once pass the check above together; the constraint decides.
        with transaction.atomic():
            offer = HelpOffer.objects.create(
                request=help_request, helper=helper, message=message.strip()
            )
    except IntegrityError:
        raise TeamworkError(_("You have already offered to help with this request.")) from None
    notify(
        recipient=help_request.asker,
        kind="help_offer",
        text=format_lazy(
            gettext_lazy("{name} offers to help with: {text}"),
            name=helper.display_name,
            text=_short(help_request.text),
        ),
        subject=format_lazy(gettext_lazy("{name} offers to help you"), name=helper.display_name),
        url=help_request.get_absolute_url(),
    )
    return offer


@transaction.atomic
def help_offer_accept(*, offer: HelpOffer, by: User) -> HelpOffer:
    help_request = offer.request
    if by.pk != help_request.asker_id:
        raise TeamworkError(_("Only the person who asked can accept an offer."))
    if not offer.accepted:
        offer.accepted = True
        offer.save(update_fields=["accepted"])
        notify(
            recipient=offer.helper,
            kind="help_offer",
            text=format_lazy(
                gettext_lazy("{name} accepted your offer to help with: {text}"),
                name=by.display_name,
                text=_short(help_request.text),
            ),
            subject=format_lazy(
                gettext_lazy("{name} accepted your offer of help"), name=by.display_name
            ),
            url=help_request.get_absolute_url(),
        )
    return offer


@transaction.atomic
def help_request_resolve(*, help_request: HelpRequest, by: User) -> HelpRequest:
    if by.pk != help_request.asker_id:
        raise TeamworkError(_("Only the person who asked can mark the request resolved."))
    if help_request.is_open:
        help_request.status = HelpRequest.Status.RESOLVED
        help_request.resolved_at = timezone.now()
        help_request.save(update_fields=["status", "resolved_at"])
    return help_request


# --- Working agreements ---------------------------------------------------------------------


def _record(team: Team, by: User, action: str, old: str = "", new: str = "") -> None:
    AgreementChange.objects.create(
        team=team, changed_by=by, action=action, old_text=old, new_text=new
    )


@transaction.atomic
def agreement_add(*, unit: Unit, text: str, by: User) -> WorkingAgreement:
    team = Team.objects.for_unit(unit)
    last = team.agreements.aggregate(last=Max("position"))["last"]
    agreement = WorkingAgreement.objects.create(
        team=team, text=text.strip(), position=0 if last is None else last + 1
    )
    _record(team, by, AgreementChange.Action.ADDED, new=agreement.text)
    return agreement


@transaction.atomic
def agreement_edit(*, agreement: WorkingAgreement, text: str, by: User) -> WorkingAgreement:
    text = text.strip()
    if text != agreement.text:
        _record(agreement.team, by, AgreementChange.Action.EDITED, old=agreement.text, new=text)
        agreement.text = text
        agreement.save(update_fields=["text"])
    return agreement


@transaction.atomic
def agreement_remove(*, agreement: WorkingAgreement, by: User) -> None:
    _record(agreement.team, by, AgreementChange.Action.REMOVED, old=agreement.text)
    agreement.delete()


@transaction.atomic
def agreements_start_from_templates(*, unit: Unit, by: User) -> list[WorkingAgreement]:
    """Give a team with no agreements the seed's five expectations to start from."""
    team = Team.objects.for_unit(unit)
    if team.agreements.exists():
        raise TeamworkError(_("The team already has agreements; add to them one at a time."))
    return [agreement_add(unit=unit, text=text, by=by) for text in STARTING_AGREEMENTS]


@transaction.atomic
def agreements_revisit_set(*, unit: Unit, on: date | None) -> Team:
    team = Team.objects.for_unit(unit)
    team.agreements_revisit_on = on
    team.save(update_fields=["agreements_revisit_on", "updated_at"])
    return team


# --- Goals ----------------------------------------------------------------------------------


def _check_owner(unit: Unit, owner: User) -> None:
    if not Membership.objects.filter(user=owner, unit=unit, user__is_active=True).exists():
        raise TeamworkError(_("The owner of a goal must be one of the team's people."))


@transaction.atomic
def goal_create(*, unit: Unit, title: str, owner: User, due_date: date | None, status: str) -> Goal:
    _check_owner(unit, owner)
    return Goal.objects.create(
        team=Team.objects.for_unit(unit),
        title=title.strip(),
        owner=owner,
        due_date=due_date,
        status=status,
    )


@transaction.atomic
def goal_update(*, goal: Goal, title: str, owner: User, due_date: date | None, status: str) -> Goal:
    if owner.pk != goal.owner_id:
        _check_owner(goal.team.unit, owner)
    goal.title, goal.owner, goal.due_date, goal.status = title.strip(), owner, due_date, status
    goal.save()
    return goal


@transaction.atomic
def goal_note_add(*, goal: Goal, author: User, text: str) -> GoalNote:
    note = GoalNote.objects.create(goal=goal, author=author, text=text.strip())
    goal.save(update_fields=["updated_at"])
    return note
