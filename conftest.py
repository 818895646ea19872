"""The shared cast of every test (STYLE.md): alice the member, bob her colleague, lena their
leader, ada the administrator, eve from another unit; and the clock that tests read instead of
the wall clock."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.test import Client

from accounts.models import User
from organisation.models import Membership, Unit
from organisation.services import unit_create

PASSWORD = "correct-horse-battery-staple"

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# The moment the clock stands still at: a Tuesday at 10:00 in Copenhagen, the default check-in
# day after its reminders are due, where a test that forgets the clock is most likely to trip.
FROZEN_AT = datetime(2026, 12, 1, 10, 0, tzinfo=COPENHAGEN)


@dataclass
class Cast:
    organisation: Unit
    team: Unit
    other_team: Unit
    alice: User
    bob: User
    lena: User
    ada: User
    eve: User


@functools.cache
def _password_hash() -> str:
    # The cast's password, hashed once per test process.
    return make_password(PASSWORD)


def _person(username: str, first: str, last: str, **extra: object) -> User:
    return User.objects.create(
        username=username,
        password=_password_hash(),
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        **extra,
    )


@pytest.fixture
def cast(db: None) -> Cast:
    organisation = unit_create(actor=None, name="Kommunen", parent=None)
    team = unit_create(actor=None, name="Sekretariatet", parent=organisation)
    other_team = unit_create(actor=None, name="Økonomi", parent=organisation)
    alice = _person("alice", "Alice", "Andersen", job_title="Produktkonsulent")
    bob = _person("bob", "Bob", "Bertelsen", job_title="Enterprisearkitekt")
    lena = _person("lena", "Lena", "Lund", job_title="Sekretariatschef")
    ada = _person("ada", "Ada", "Administrator", is_administrator=True)
    eve = _person("eve", "Eve", "Eriksen", job_title="Controller")
    Membership.objects.bulk_create(
        [
            Membership(user=alice, unit=team),
            Membership(user=bob, unit=team),
            Membership(user=lena, unit=team, role=Membership.Role.LEADER),
            Membership(user=eve, unit=other_team),
        ]
    )
    return Cast(organisation, team, other_team, alice, bob, lena, ada, eve)


@pytest.fixture
def client_for(db: None) -> object:
    """client_for(user) -> a test client logged in as that user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@dataclass
class Clock:
    """The time every part of the process sees in a test, standing still until moved."""

    traveller: time_machine.Traveller

    def now(self) -> datetime:
        return datetime.now(tz=COPENHAGEN)

    def today(self) -> date:
        return self.now().date()

    def advance(self, by: timedelta) -> datetime:
        """Let time pass, as if the test had waited; returns the new now."""
        self.traveller.shift(by)
        return self.now()

    def move_to(self, when: datetime) -> datetime:
        """Stand at another moment (aware), such as the night the clocks go back."""
        if when.tzinfo is None:
            raise ValueError("Give the clock an aware time")
        self.traveller.move_to(when)
        return self.now()


@pytest.fixture
def clock() -> Iterator[Clock]:
    """A frozen clock at FROZEN_AT: timezone.now(), date.today() and the database defaults all
    read it, in this thread and any other of the process, so a test passes on every day of the
    week. Move it with clock.advance(timedelta(...)) or clock.move_to(moment)."""
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield Clock(traveller)
