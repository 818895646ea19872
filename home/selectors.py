"""The pages that gather: each asks the apps whose content it shows for their part, through
their selectors named for the page, and puts the parts together. A page's fields are the names
its template reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts import selectors as accounts
from accounts.models import User
from checkins import selectors as checkins
from checkins.models import CheckIn
from core import selectors as core
from feedback import selectors as feedback
from feedback.models import FeedbackAsk, SparringRequest
from notifications import selectors as notifications
from organisation import selectors as organisation
from organisation.models import Membership, Unit
from profiles import selectors as profiles
from profiles.models import ProfileNote
from pulse import selectors as pulse
from recognition import selectors as recognition
from recognition.models import Recognition
from teamwork import selectors as teamwork
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement


@dataclass(frozen=True)
class MinSide:
    memberships: list[Membership]
    led_units: list[Unit]
    notes: list[ProfileNote]
    latest_checkins: list[CheckIn]
    this_weeks_checkin: CheckIn | None
    colleague_requests: list[HelpRequest]
    my_requests: list[HelpRequest]
    feedback_asks: list[FeedbackAsk]
    sparring_waiting: list[SparringRequest]


def for_min_side(user: Any) -> MinSide:
    teams = organisation.for_min_side(user)
    notes = profiles.for_min_side(user)
    checkins_ = checkins.for_min_side(user)
    help_ = teamwork.for_min_side(user)
    feedback_ = feedback.for_min_side(user)
    return MinSide(
        memberships=teams.memberships,
        led_units=teams.led_units,
        notes=notes,
        latest_checkins=checkins_.latest_checkins,
        this_weeks_checkin=checkins_.this_weeks_checkin,
        colleague_requests=help_.colleague_requests,
        my_requests=help_.my_requests,
        feedback_asks=feedback_.feedback_asks,
        sparring_waiting=feedback_.sparring_waiting,
    )


@dataclass(frozen=True)
class TeamPage:
    unit: Unit
    leaders: list[Membership]
    members: list[Membership]
    in_unit: bool
    children: list[Unit]
    ancestors: list[tuple[Unit, bool]]
    notes: list[ProfileNote]
    checkins: list[CheckIn]
    recognitions: list[Recognition]
    team: Team
    help_requests: list[HelpRequest]
    goals: list[Goal]
    agreements: list[WorkingAgreement]


def for_team_page(*, unit: Unit, user: Any) -> TeamPage:
    """The caller has checked that `user` may open the unit's page."""
    people = organisation.for_team_page(unit=unit, user=user)
    teamwork_ = teamwork.for_team_page(unit=unit, user=user)
    return TeamPage(
        unit=people.unit,
        leaders=people.leaders,
        members=people.members,
        in_unit=people.in_unit,
        children=people.children,
        ancestors=people.ancestors,
        notes=profiles.for_team_page(user=user, member_ids=people.member_ids),
        checkins=checkins.for_team_page(user=user, member_ids=people.member_ids),
        recognitions=recognition.for_team_page(unit=unit, user=user),
        team=teamwork_.team,
        help_requests=teamwork_.help_requests,
        goals=teamwork_.goals,
        agreements=teamwork_.agreements,
    )


@dataclass(frozen=True)
class AdministratorsStart:
    """The administrator's part of Min side: the setup checklist and the system's health.
    Each fact comes from the app that owns it; the template words them."""

    now: datetime
    organisation: organisation.AdministratorsStartOrganisation
    login: accounts.AdministratorsStartLogin
    notifications: notifications.AdministratorsStartNotifications
    pulse: pulse.AdministratorsStartPulse
    worker: core.AdministratorsStartWorker

    @property
    def steps(self) -> list[bool]:
        """Each step of the checklist, done or not; chat channels are optional and not
        counted."""
        return [
            self.organisation.imported,
            self.organisation.has_values,
            self.login.done,
            self.notifications.email_tested,
            self.pulse.has_round,
        ]

    @property
    def steps_done(self) -> int:
        return sum(self.steps)


def for_administrators_start(*, user: User, now: datetime) -> AdministratorsStart | None:
    """The administrator's start at `now`; None for anyone who is not an administrator."""
    if not user.is_administrator:
        return None
    return AdministratorsStart(
        now=now,
        organisation=organisation.for_administrators_start(user=user, now=now),
        login=accounts.for_administrators_start(),
        notifications=notifications.for_administrators_start(user=user),
        pulse=pulse.for_administrators_start(),
        worker=core.for_administrators_start(now=now),
    )
