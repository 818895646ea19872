from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from core.models import AuditEntry
from notifications.models import OutgoingEmail
from organisation.models import Membership


def test_administrator_cannot_set_another_persons_password(cast, client_for):
    url = reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk})
    client = client_for(cast.ada)
    assert 'name="password"' not in client.get(url).content.decode()
    old_hash = cast.alice.password
    response = client.post(
        url,
        {
            "username": "alice",
            "first_name": "Alice",
            "last_name": "Andersen",
            "email": "alice@elsewhere.example",
            "job_title": "Produktkonsulent",
            "units": [cast.team.pk],
            "password": "a-new-password-the-admin-knows",
        },
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.password == old_hash
    entry = AuditEntry.objects.filter(action="person.update").latest("at")
    assert entry.actor == cast.ada
    assert entry.data["changes"]["email"] == ["alice@example.org", "alice@elsewhere.example"]
    assert "password_set" not in entry.data


def test_a_new_person_is_invited_to_choose_their_own_password(cast, client_for):
    client = client_for(cast.ada)
    data = {"username": "nina", "first_name": "Nina", "email": "nina@example.org"}
    response = client.post(
        reverse("administration:person_new"),
        {**data, "units": [cast.team.pk], "password": "a-long-enough-passphrase"},
    )
    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert not nina.has_usable_password(), "the posted password field is ignored"
    assert Membership.objects.filter(user=nina, unit=cast.team, role="member").exists()
    invitation = OutgoingEmail.objects.get(recipient=nina, kind="account_invitation")
    assert "nina" not in invitation.subject.lower() and "Nina" not in invitation.subject
    assert "/password/" not in invitation.body, "the link is made as the e-mail is sent"


def test_member_and_leader_of_the_same_unit_is_refused(cast, client_for):
    response = client_for(cast.ada).post(
        reverse("administration:person_new"),
        {"username": "x", "units": [cast.team.pk], "led_units": [cast.team.pk]},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="x").exists()


def test_the_demo_is_only_created_in_an_empty_database(cast):
    with pytest.raises(CommandError):
        call_command("demo")
    assert not User.objects.filter(username="mette").exists()


def test_the_demo_in_an_empty_database(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "mette" in out and "sparring-demo" in out
    mette = User.objects.get(username="mette")
    assert mette.check_password("sparring-demo")
    assert Membership.objects.get(user=mette).role == "leader"
    call_command("demo", "--if-empty")
    assert User.objects.filter(username="mette").count() == 1
