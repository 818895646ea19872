"""The pages that gather: each asks the apps whose content it shows for their part, through
their selectors named for the page, and puts the parts together. A page's fields are the names
its template reads."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from accounts import selectors as accounts
from accounts.models import User
from checkins import selectors as checkins
from checkins.models import CheckIn
from conversations import selectors as conversations
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
class MemberWeek:
    """Min side's first part, for everyone, in the order a person needs it."""

    this_weeks_checkin: CheckIn | None
    this_week_editable: bool
    latest_checkins: list[CheckIn]
    # Threads waiting for the person's answer: on their own check-ins (and, for someone who
    # leads nothing, on colleagues' check-ins shared with them).
    replies_waiting: list[checkins.WaitingReply]
    # The wellbeing round open at `now` that asks the person, answered or not.
    open_round: pulse.HomeRound | None
    feedback_asks: list[FeedbackAsk]
    sparring_waiting: list[SparringRequest]
    colleague_requests: list[HelpRequest]
    my_requests: list[HelpRequest]
    goals_due: list[Goal]
    recognitions: list[recognition.ThanksReceived]


def for_member_week(
    user: Any,
    now: datetime,
    *,
    replies: list[checkins.WaitingReply] | None = None,
    open_rounds: list[int] | None = None,
) -> MemberWeek:
    """A member's week at `now`: their check-in, what others wait for them to answer, help
    asked for in their teams, the goals they own that are due, and thanks received.
    `replies` are the threads waiting for the person and `open_rounds` the wellbeing rounds
    open at `now`, when the caller has read them."""
    checkins_ = checkins.for_min_side(user, now)
    feedback_ = feedback.for_min_side(user)
    teamwork_ = teamwork.for_member_week(user, now)
    return MemberWeek(
        this_weeks_checkin=checkins_.this_weeks_checkin,
        this_week_editable=checkins_.this_week_editable,
        latest_checkins=checkins_.latest_checkins,
        replies_waiting=checkins.replies_waiting_for(user, now) if replies is None else replies,
        open_round=pulse.open_round_for_home(user, now, open_ids=open_rounds),
        feedback_asks=feedback_.feedback_asks,
        sparring_waiting=feedback_.sparring_waiting,
        colleague_requests=teamwork_.colleague_requests,
        my_requests=teamwork_.my_requests,
        goals_due=teamwork_.goals_due,
        recognitions=recognition.for_member_week(user),
    )


@dataclass(frozen=True)
class LeadersWeek:
    """What waits for a leader in the units they lead now: only what people shared with
    them and what the anonymity engine shows of their units."""

    units: list[Unit]
    # Check-ins people shared with the leader (or with a team she is in) for this week.
    shared_checkins: list[checkins.SharedCheckIn]
    # Threads on others' check-ins where the owner answered and the leader has not.
    replies_waiting: list[checkins.WaitingReply]
    help_requests: list[HelpRequest]
    goals_due: list[Goal]
    agreements_to_revisit: list[Team]
    # "N af M har svaret" per led unit of at least k people, for each open round asking them.
    participation: list[pulse.RoundParticipation]
    # Each led unit's latest energy and results, as far as the anonymity engine shows them.
    team_pulse: list[pulse.TeamPulse]
    # How many of the leader's people had no MUS or GRUS with them in the last 12 months.
    without_development: int = 0

    @property
    def has_pulse(self) -> bool:
        """Whether the engine shows anything of the units' wellbeing at all."""
        return any(open_.units for open_ in self.participation) or any(
            team.energy or team.latest for team in self.team_pulse
        )

    @property
    def is_quiet(self) -> bool:
        """Nothing waits: the Monday e-mail says so rather than listing zeros."""
        return not (
            self.shared_checkins
            or self.replies_waiting
            or self.help_requests
            or self.goals_due
            or self.agreements_to_revisit
        )


def for_leaders_week(
    user: Any,
    now: datetime,
    *,
    led_units: list[Unit] | None = None,
    replies: list[checkins.WaitingReply] | None = None,
    open_rounds: list[int] | None = None,
) -> LeadersWeek | None:
    """The leader's week at `now`, or None for someone who leads no unit. `led_units`,
    `replies` (all threads waiting for the person) and `open_rounds` (the wellbeing rounds
    open at `now`) save reading them again when the caller has them (Min side reads them for
    the member's part anyway)."""
    units = organisation.led_units_of(user) if led_units is None else led_units
    if not units:
        return None
    if replies is None:
        replies = checkins.replies_waiting_for(user, now)
    teamwork_ = teamwork.for_leaders_week(user, now)
    return LeadersWeek(
        units=units,
        shared_checkins=checkins.shared_with_me_this_week(user, now),
        replies_waiting=[reply for reply in replies if not reply.on_my_checkin],
        help_requests=teamwork_.help_requests,
        goals_due=teamwork_.goals_due,
        agreements_to_revisit=teamwork_.agreements_to_revisit,
        participation=pulse.participation_for_leader(units, now, open_ids=open_rounds),
        team_pulse=pulse.team_pulse_for_leader(units, now),
        without_development=conversations.without_development_count(user, now),
    )


@dataclass(frozen=True)
class MinSide:
    memberships: list[Membership]
    led_units: list[Unit]
    notes: list[ProfileNote]
    member: MemberWeek
    leader: LeadersWeek | None
    my_conversations: conversations.MinSideConversations


def for_min_side(user: Any, now: datetime) -> MinSide:
    """Min side at `now`: the member's week, the leader's week for someone who leads, and
    lower down their teams and notes."""
    teams = organisation.for_min_side(user)
    replies = checkins.replies_waiting_for(user, now)
    open_rounds = pulse.open_round_ids(now)
    member = for_member_week(user, now, replies=replies, open_rounds=open_rounds)
    leader = for_leaders_week(
        user, now, led_units=teams.led_units, replies=replies, open_rounds=open_rounds
    )
    if leader is not None:
        # What is in the leader's part is not shown again in the member's.
        shown = {help_request.pk for help_request in leader.help_requests}
        member = replace(
            member,
            colleague_requests=[r for r in member.colleague_requests if r.pk not in shown],
            replies_waiting=[reply for reply in replies if reply.on_my_checkin],
        )
    return MinSide(
        memberships=teams.memberships,
        led_units=teams.led_units,
        notes=profiles.for_min_side(user),
        member=member,
        leader=leader,
        my_conversations=conversations.for_min_side(user, now),
    )


@dataclass(frozen=True)
class TeamPage:
    unit: Unit
    leaders: list[User]
    members: list[User]
    in_unit: bool
    children: list[Unit]
    ancestors: list[tuple[Unit, bool]]
    notes: list[profiles.TeamNote]
    checkins: list[checkins.TeamCheckIn]
    recognitions: list[Recognition]
    team: Team
    help_requests: list[HelpRequest]
    goals: list[Goal]
    agreements: list[WorkingAgreement]


def for_team_page(*, unit_id: int, user: Any) -> TeamPage:
    """The page of a unit `user` may open; 404 for any other."""
    people = organisation.for_team_page(unit_id=unit_id, user=user)
    unit = people.unit
    teamwork_ = teamwork.for_team_page(unit=unit, user=user)
    return TeamPage(
        unit=unit,
        leaders=people.leaders,
        members=people.members,
        in_unit=people.in_unit,
        children=people.children,
        ancestors=people.ancestors,
        notes=profiles.for_team_page(user=user, unit_id=unit.pk),
        checkins=checkins.for_team_page(user=user, unit_id=unit.pk),
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
