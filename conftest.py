"""The shared cast of every test (STYLE.md): alice the member, bob her colleague, lena their
leader, ada the administrator, eve from another unit."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from accounts.models import User
from organisation.models import Membership, Unit
from organisation.services import unit_create

PASSWORD = "correct-horse-battery-staple"


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
    # Argon2 is slow by design; hash the cast's password once per test run.
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
