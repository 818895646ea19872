"""Weeks of daily rhythm on top of the municipal demo, so the pages are measured with history
in them: every member's weekly check-ins (most private, some shared with their leaders, some
with the team), open help requests, the teams' agreements and goals."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction

from checkins.models import CheckIn
from core.access import Visibility
from organisation.models import Membership
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement

AGREEMENTS = [
    "Vi tager ansvar for opgaver og fælles mål.",
    "Vi deler viden og erfaringer åbent.",
    "Vi hjælper hinanden og beder om hjælp i tide.",
]


@transaction.atomic
def history_create(*, weeks: int, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    monday = date.today() - timedelta(days=date.today().weekday())
    memberships = list(Membership.objects.values_list("user_id", "unit_id", "role"))
    leaders: dict[int, list[int]] = defaultdict(list)
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id, role in memberships:
        (leaders if role == Membership.Role.LEADER else members)[unit_id].append(user_id)

    checkins: list[CheckIn] = []
    shares: list[tuple[int, int]] = []  # (index into checkins, leader id)
    for unit_id, people in members.items():
        for user_id in people:
            for week in range(1, weeks + 1):
                roll = rng.random()
                visibility = (
                    Visibility.PRIVATE
                    if roll < 0.6
                    else Visibility.SHARED
                    if roll < 0.9
                    else Visibility.TEAM
                )
                checkins.append(
                    CheckIn(
                        owner_id=user_id,
                        week=monday - timedelta(weeks=week),
                        energy=rng.randint(1, 5),
                        went_well="Et godt møde med borgerne.",
                        is_hard="For mange sager på én gang.",
                        priorities="Få styr på indbakken.",
                        visibility=visibility,
                    )
                )
                if visibility == Visibility.SHARED:
                    shares += [(len(checkins) - 1, leader) for leader in leaders[unit_id]]
    CheckIn.objects.bulk_create(checkins, batch_size=2000)
    through = CheckIn.shared_with.through
    through.objects.bulk_create(
        [through(checkin_id=checkins[i].pk, user_id=leader) for i, leader in shares],
        batch_size=5000,
    )

    teams = Team.objects.bulk_create(
        [Team(unit_id=unit_id, purpose="Vi skaber værdi for borgerne.") for unit_id in members],
        batch_size=2000,
    )
    WorkingAgreement.objects.bulk_create(
        [
            WorkingAgreement(team=team, text=text, position=i)
            for team in teams
            for i, text in enumerate(AGREEMENTS)
        ],
        batch_size=2000,
    )
    Goal.objects.bulk_create(
        [
            Goal(team=team, title="Kortere svartider", owner_id=members[team.unit_id][0])
            for team in teams
            if members[team.unit_id]
        ],
        batch_size=2000,
    )
    requests = HelpRequest.objects.bulk_create(
        [
            HelpRequest(asker_id=people[0], unit_id=unit_id, text="Hvem kan hjælpe med et notat?")
            for unit_id, people in members.items()
            if people and rng.random() < 0.5
        ],
        batch_size=2000,
    )
    return {"check-ins": len(checkins), "help requests": len(requests), "teams": len(teams)}
