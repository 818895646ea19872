"""Passwords only their owner knows: invitations and reset links that work once and expire,
"forgot my password" with one answer for everyone, changing one's own password, and no page
where an administrator can learn or set a password."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.core import mail
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Session, User
from accounts.services import (
    INVITATION,
    AccountError,
    password_link_person,
    password_link_send,
    password_link_url,
    person_email_changed,
)
from conftest import PASSWORD
from core.models import AuditEntry
from notifications.delivery import deliver_due
from notifications.models import OutgoingEmail

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
GOOD = "a-password-only-nina-knows"


def _link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+/password/\S+/", str(message.body))
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _deliver() -> list[mail.EmailMessage]:
    mail.outbox.clear()
    deliver_due(clock=timezone.now)
    return list(mail.outbox)


def _nina() -> User:
    nina = User.objects.create(username="nina", first_name="Nina", email="nina@example.org")
    nina.set_unusable_password()
    nina.save()
    return nina


def _admin_urls() -> list[str]:
    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> list[str]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append(prefix + str(pattern.pattern))
        return found

    return [p for p in walk(get_resolver().url_patterns, "/") if p.startswith("/administration/")]


def test_no_page_lets_an_administrator_learn_or_set_a_password(cast, client_for):
    admin = client_for(cast.ada)
    old_hash = cast.alice.password
    ids = {
        "user_id": cast.alice.pk,
        "unit_id": cast.team.pk,
        "value_id": 1,
        "job_id": 1,
        "webhook_id": 1,
        "survey_id": 1,
        "question_id": 1,
        "round_id": 1,
    }
    pages = 0
    for pattern in _admin_urls():
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), pattern)
        response = admin.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        body = response.content.decode()
        assert 'type="password"' not in body, url
        assert PASSWORD not in body and old_hash not in body, url
    assert pages >= 8
    # Posting password fields anyway changes nothing.
    for field in ("password", "password1", "password2", "new_password1", "new_password2"):
        admin.post(
            reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk}),
            {
                "username": "alice",
                "first_name": "Alice",
                "email": "alice@example.org",
                "units": [cast.team.pk],
                field: "the-admin-knows-this-1",
                "new_password2": "the-admin-knows-this-1",
            },
        )
    cast.alice.refresh_from_db()
    assert cast.alice.password == old_hash


def test_an_invitation_link_lets_the_person_choose_their_own_password_once(cast, client_for):
    nina = _nina()
    response = client_for(cast.ada).post(
        reverse("administration:person_send_link", kwargs={"user_id": nina.pk})
    )
    assert response.status_code == 302
    queued = OutgoingEmail.objects.get(recipient=nina, kind="account_invitation")
    assert "/password/" not in queued.body
    [message] = _deliver()
    queued.refresh_from_db()
    assert queued.sent_at is not None and "/password/" not in queued.body, "no link at rest"
    assert "nina" not in message.subject.lower()
    link = _link_in(message)

    browser = Client()
    assert browser.get(link).status_code == 200
    weak = browser.post(link, {"new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200
    with translation.override("da"):
        assert gettext("This password is too common.") in weak.content.decode()
    done = browser.post(link, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302
    nina.refresh_from_db()
    assert nina.check_password(GOOD)
    assert browser.post("/login/", {"username": "nina", "password": GOOD}).status_code == 302
    assert Client().get(link).status_code == 404, "single use"
    assert AuditEntry.objects.filter(action="password.link_sent", actor=cast.ada).exists()


def test_links_expire_and_die_with_a_new_password(cast):
    invitation = password_link_url(person=cast.alice, purpose="invitation", now=NOW)
    reset = password_link_url(person=cast.alice, purpose="reset", now=NOW)

    def still(url: str, purpose: str, later: timedelta) -> bool:
        _, _, _, uidb64, token, _ = url.rsplit("/", 5)
        found = password_link_person(purpose=purpose, uidb64=uidb64, token=token, now=NOW + later)
        return bool(found == cast.alice)

    assert still(invitation, "invitation", timedelta(days=6, hours=23))
    assert not still(invitation, "invitation", timedelta(days=7, minutes=1))
    assert still(reset, "reset", timedelta(hours=1, minutes=59))
    assert not still(reset, "reset", timedelta(hours=2, minutes=1))
    assert not still(reset, "invitation", timedelta(minutes=1)), "one purpose, one token"
    cast.alice.set_password("another-one-of-hers")
    cast.alice.save()
    assert not still(reset, "reset", timedelta(minutes=1))


def test_forgot_password_gives_the_same_answer_whether_or_not_the_address_is_known(cast):
    known = Client().post("/password/forgot/", {"email": "ALICE@example.org"})
    unknown = Client().post("/password/forgot/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert OutgoingEmail.objects.filter(kind="account_password_reset").count() == 1
    [message] = _deliver()
    assert message.to == ["alice@example.org"]
    link = _link_in(message)
    done = Client().post(link, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(GOOD)


@override_settings(
    SPARRING_PASSWORD_LINKS_PER_HOUR=3, SPARRING_PASSWORD_LINKS_PER_ADDRESS_PER_HOUR=5
)
def test_forgot_password_is_rate_limited_per_account_and_per_address(cast):
    for n in range(6):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert client.post("/password/forgot/", {"email": "alice@example.org"}).status_code == 302
    assert OutgoingEmail.objects.filter(recipient=cast.alice).count() == 3, "per account"
    one_address = Client(REMOTE_ADDR="198.51.100.1")
    for person in ("bob", "lena", "eve", "ada", "bob", "lena", "eve"):
        response = one_address.post("/password/forgot/", {"email": f"{person}@example.org"})
        assert response.status_code == 302, "the same answer when limited"
    assert OutgoingEmail.objects.exclude(recipient=cast.alice).count() == 5, "per address"


def test_changing_ones_password_asks_for_the_current_one_and_ends_only_other_sessions(cast):
    laptop, phone = Client(), Client()
    laptop.post("/login/", {"username": "alice", "password": PASSWORD})
    phone.post("/login/", {"username": "alice", "password": PASSWORD})
    wrong = laptop.post(
        "/password/change/",
        {"old_password": "not-it", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert wrong.status_code == 200
    response = laptop.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200, "this session stays"
    assert phone.get("/").status_code == 302, "the other one ended"
    assert Session.objects.filter(user=cast.alice).count() == 1
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(GOOD)


def test_opening_a_link_while_logged_in_as_someone_else_logs_out_first(cast, client_for):
    link = password_link_url(person=cast.alice, purpose="reset", now=datetime.now(tz=UTC))
    link = "/" + link.split("://", 1)[1].split("/", 1)[1]
    as_bob = client_for(cast.bob)
    page = as_bob.get(link)
    assert page.status_code == 200
    assert as_bob.post(link, {"new_password1": GOOD, "new_password2": GOOD}).status_code == 302
    assert (
        not Session.objects.filter(user=cast.bob)
        .exclude(session_key="")
        .filter(session_key=as_bob.cookies["sessionid"].value)
        .exists()
    )


def test_opening_ones_own_link_while_logged_in_does_not_crash(cast):
    client = Client()
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    cast.alice.refresh_from_db()
    link = password_link_url(person=cast.alice, purpose="reset", now=datetime.now(tz=UTC))
    link = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(link).status_code == 200
    assert client.post(link, {"new_password1": GOOD, "new_password2": GOOD}).status_code == 302
    assert not Session.objects.filter(user=cast.alice).exists()


def test_an_email_change_by_an_administrator_tells_the_old_address_and_holds_links(
    cast, client_for
):
    admin = client_for(cast.ada)
    admin.post(
        reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk}),
        {
            "username": "alice",
            "first_name": "Alice",
            "email": "ada.private@example.net",
            "units": [cast.team.pk],
        },
    )
    cast.alice.refresh_from_db()
    assert cast.alice.email == "ada.private@example.net"
    told = OutgoingEmail.objects.get(recipient=cast.alice, kind="account_email_changed")
    assert told.to_address == "alice@example.org"
    entry = AuditEntry.objects.get(action="person.email_change")
    assert entry.actor == cast.ada and entry.data["old"] == "alice@example.org"
    # The administrator cannot now send a link to the address they put in ...
    response = admin.post(
        reverse("administration:person_send_link", kwargs={"user_id": cast.alice.pk}),
        follow=True,
    )
    with translation.override("da"):
        refused = gettext(
            "The e-mail address of %(name)s was changed recently. For safety, no link "
            "can be sent before %(date)s. The person can still log in with their own "
            "password and change it themselves."
        )
    shown = refused.split("%(date)s")[0] % {"name": cast.alice.display_name}
    assert shown in response.content.decode()
    # ... nor ask for one as "forgot my password".
    Client().post("/password/forgot/", {"email": "ada.private@example.net"})
    assert not OutgoingEmail.objects.filter(
        kind__in=["account_invitation", "account_password_reset"]
    ).exists()
    try:
        password_link_send(actor=cast.ada, person=cast.alice, now=cast.alice.email_changed_at)
    except AccountError:
        pass
    else:
        raise AssertionError("links are held")
    later = cast.alice.email_changed_at + timedelta(days=7, minutes=1)
    assert password_link_send(actor=cast.ada, person=cast.alice, now=later) == "reset"


def test_an_email_change_by_an_import_tells_the_old_address_and_holds_links(cast):
    from organisation.importing import snapshot_apply, snapshot_from_csv

    cast.alice.external_id = "1"
    cast.alice.save(update_fields=["external_id"])
    units = "id;navn;overenhed_id\ns;Sekretariatet;\n"
    people = (
        "id,username,first_name,last_name,email,job_title,unit_id,leader\n"
        "1,alice,Alice,Andersen,someone.else@example.net,Produktkonsulent,s,nej\n"
    )
    snapshot, problems = snapshot_from_csv(units_file=units.encode(), people_file=people.encode())
    assert not problems
    snapshot_apply(snapshot, actor=cast.ada, source="test", now=NOW)
    cast.alice.refresh_from_db()
    assert cast.alice.email == "someone.else@example.net"
    assert cast.alice.email_changed_at == NOW
    told = OutgoingEmail.objects.get(recipient=cast.alice, kind="account_email_changed")
    assert told.to_address == "alice@example.org"
    assert AuditEntry.objects.filter(action="person.email_change", actor=cast.ada).exists()
    try:
        password_link_send(actor=cast.ada, person=cast.alice, now=NOW + timedelta(days=1))
    except AccountError:
        pass
    else:
        raise AssertionError("links are held after an import changed the address")


def test_guessing_the_current_password_on_the_change_page_is_locked_out_like_a_login(cast):
    """A session left open must not let anyone guess the password without limit."""
    client = Client()
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    for _ in range(5):
        wrong = client.post(
            "/password/change/",
            {"old_password": "a-guess", "new_password1": GOOD, "new_password2": GOOD},
        )
        assert wrong.status_code == 200
    right = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert right.status_code == 200, "locked: even the right password is refused for now"
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="login.locked", target_id=cast.alice.pk).exists()
    assert Client().post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 200


def test_a_made_up_link_does_not_log_out_whoever_is_logged_in(cast, client_for):
    """Any page could embed such an address as an image and end the visitor's session."""
    as_bob = client_for(cast.bob)
    assert as_bob.get("/password/reset/MQ/made-up-token/").status_code == 404
    assert as_bob.get("/").status_code == 200, "still logged in"


def test_a_first_address_for_someone_who_can_log_in_holds_links_like_a_change(cast, client_for):
    """A person with a password and no e-mail address: an administrator who puts in their own
    address must not then be able to send themselves a link to the account."""
    cast.alice.email = ""
    cast.alice.save(update_fields=["email"])
    client_for(cast.ada).post(
        reverse("administration:person_edit", kwargs={"user_id": cast.alice.pk}),
        {
            "username": "alice",
            "first_name": "Alice",
            "email": "ada.private@example.net",
            "units": [cast.team.pk],
        },
    )
    cast.alice.refresh_from_db()
    assert cast.alice.email == "ada.private@example.net"
    assert cast.alice.email_changed_at is not None
    assert AuditEntry.objects.filter(action="person.email_change", actor=cast.ada).exists()
    try:
        password_link_send(actor=cast.ada, person=cast.alice, now=cast.alice.email_changed_at)
    except AccountError:
        pass
    else:
        raise AssertionError("links are held")
    assert not OutgoingEmail.objects.filter(kind="account_password_reset").exists()


def test_a_first_address_from_an_import_for_someone_who_can_log_in_holds_links(cast):
    from organisation.importing import snapshot_apply, snapshot_from_csv

    cast.alice.external_id = "1"
    cast.alice.email = ""
    cast.alice.save(update_fields=["external_id", "email"])
    units = "id;navn;overenhed_id\ns;Sekretariatet;\n"
    people = (
        "id,username,first_name,last_name,email,job_title,unit_id,leader\n"
        "1,alice,Alice,Andersen,someone.else@example.net,Produktkonsulent,s,nej\n"
    )
    snapshot, problems = snapshot_from_csv(units_file=units.encode(), people_file=people.encode())
    assert not problems
    snapshot_apply(snapshot, actor=cast.ada, source="test", now=NOW)
    cast.alice.refresh_from_db()
    assert cast.alice.email == "someone.else@example.net"
    assert cast.alice.email_changed_at == NOW
    try:
        password_link_send(actor=cast.ada, person=cast.alice, now=NOW + timedelta(days=1))
    except AccountError:
        pass
    else:
        raise AssertionError("links are held after an import gave the first address")


def _invited(username: str, *, joined: datetime) -> User:
    person = User.objects.create(username=username, email=f"{username}@example.org")
    person.set_unusable_password()
    person.date_joined = joined
    person.save(update_fields=["password", "date_joined"])
    return person


def test_an_invited_person_who_never_logged_in_is_held_too_after_their_first_day(cast):
    """Colleagues may already have asked nora for feedback: an administrator who puts in their
    own address must not be able to send themselves her invitation."""
    nora = _invited("nora", joined=NOW - timedelta(days=3))
    nora.email = "ada.private@example.net"
    nora.save(update_fields=["email"])
    person_email_changed(actor=cast.ada, person=nora, old_email="nora@example.org", now=NOW)

    try:
        password_link_send(actor=cast.ada, person=nora, now=NOW + timedelta(days=1))
    except AccountError:
        pass
    else:
        raise AssertionError("links are held")
    assert not OutgoingEmail.objects.filter(kind="account_invitation").exists()
    told = OutgoingEmail.objects.get(kind="account_email_changed")
    assert told.to_address == "nora@example.org"


def test_a_mistyped_address_can_be_corrected_on_the_first_day_and_the_invitation_sent(cast):
    nora = _invited("nora", joined=NOW - timedelta(hours=2))
    nora.email = "nora.holm@example.org"
    nora.save(update_fields=["email"])
    person_email_changed(actor=cast.ada, person=nora, old_email="nora@example.org", now=NOW)

    assert password_link_send(actor=cast.ada, person=nora, now=NOW) == INVITATION
