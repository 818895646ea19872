"""Planning conversations in Chromium, on a desktop and a phone: a leader plans MUS for three
people, each gets an invitation, and the plan's page shows how far each got; an employee asks
for a conversation and the leader plans its time from the list. Every page is checked with
axe-core."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import _person
from conversations.models import Conversation, Plan
from notifications.delivery import deliver_due
from notifications.tests.conftest import mail_settings, smtp_server  # noqa: F401 (the SMTP server's fixtures)
from organisation.models import Membership
from tests.browser.conftest import PHONE, follow, login, path_of, submit, visit
from tests.browser.test_people_picker import pick


@pytest.mark.browser
def test_a_leader_plans_mus_for_three_and_an_employee_asks(new_page, live_server, cast, request):
    """The leader plans on a phone and the employee asks on a desktop (the conversations'
    acceptance test has them the other way round)."""
    inbox = request.getfixturevalue("smtp_server")
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    carl = _person("carl", "Carl", "Carlsen", job_title="Jurist")
    Membership.objects.create(user=carl, unit=cast.team)
    leader = new_page(**phone)
    login(leader, live_server, cast.lena)
    visit(leader, live_server.url + reverse("conversations:index"))
    follow(
        leader,
        lambda: leader.locator(f'main a[href="{reverse("conversations:plan_new")}"]').click(),
    )

    # An empty plan is refused, with the reason at the top.
    leader.locator("#id_title").fill("MUS 2027 i Sekretariatet")
    submit(leader)
    expect(leader.locator('[data-module="error-summary"]')).to_contain_text(
        "Foreslå et tidspunkt for mindst én person."
    )
    assert not Plan.objects.exists()

    # "Propose times" fills in a time for each; lena then chooses her own.
    follow(leader, lambda: leader.locator('main button[name="propose"]').click())
    expect(leader.locator("main [role=status]")).to_contain_text("Der er foreslået tidspunkter")
    expect(leader.locator(f"#id_person-{carl.pk}-start")).to_have_value("12:00")
    assert not Plan.objects.exists()

    first = timezone.localdate() + timedelta(days=20)
    for offset, person in enumerate((cast.alice, cast.bob, carl)):
        prefix = f"#id_person-{person.pk}"
        leader.locator(f"{prefix}-day").fill((first + timedelta(days=offset)).isoformat())
        leader.locator(f"{prefix}-start").fill("10:00")
        leader.locator(f"{prefix}-place").fill("Mødelokale 2")
    submit(leader)
    plan = Plan.objects.get()
    assert path_of(leader) == plan.get_absolute_url()
    main = leader.locator("main")
    for name in ("Alice Andersen", "Bob Bertelsen", "Carl Carlsen"):
        expect(main).to_contain_text(name)
    expect(main).to_contain_text("0 af 3 samtaler afholdt")

    # The worker delivers the invitations to a real SMTP server: each of the three, and the
    # leader for each, has one at 10:00 in Copenhagen.
    deliver_due(clock=timezone.now, limit=100)
    received = inbox.received
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(
        f"{name}@example.org" for name in ("alice", "bob", "carl", "lena", "lena", "lena")
    )
    for mail in received:
        (part,) = mail.message.iter_attachments()
        assert (
            part.get_content_type() == "text/calendar"
            and part["Content-Type"].params["method"] == "REQUEST"
        )
        (event,) = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == "Europe/Copenhagen" and (start.hour, start.minute) == (10, 0)
        assert "MUS" in mail.message["Subject"]

    # Alice asks for a wellbeing conversation; her leader is suggested.
    alice = new_page()
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + reverse("conversations:index"))
    expect(alice.locator("main")).to_contain_text("MUS: Lena Lund")
    follow(alice, lambda: alice.locator(f'main a[href="{reverse("conversations:ask")}"]').click())
    expect(alice.locator("[data-name=other] [data-picker-chosen]")).to_contain_text("Lena Lund")
    alice.locator("#id_kind").select_option("wellbeing")
    alice.locator("#id_message").fill("Gerne i næste uge")
    submit(alice)
    asked = Conversation.objects.get(status=Conversation.Status.REQUESTED)
    assert path_of(alice) == asked.get_absolute_url()

    # Lena finds it on the list and plans its time.
    visit(leader, live_server.url + reverse("conversations:index"))
    expect(leader.locator("main")).to_contain_text("Alice Andersen beder om en samtale")
    follow(
        leader,
        lambda: leader.locator(
            f'main a[href="{reverse("conversations:schedule", args=[asked.pk])}"]'
        ).click(),
    )
    leader.locator("#id_day").fill((first + timedelta(days=5)).isoformat())
    leader.locator("#id_start").fill("13:30")
    submit(leader)
    asked.refresh_from_db()
    assert asked.status == Conversation.Status.PLANNED
    assert path_of(leader) == asked.get_absolute_url()
    visit(leader, live_server.url + reverse("conversations:index"))

    # On the thread with alice, lena sets a weekly rhythm of 1:1s.
    visit(leader, live_server.url + asked.thread.get_absolute_url())
    leader.locator("#id_rhythm").select_option("weekly")
    submit(leader, 'main form[action$="/rhythm/"]')
    asked.thread.refresh_from_db()
    assert asked.thread.rhythm == "weekly"

    # A conversation of one's own with anyone, here eve from another unit: a time in the past
    # is refused, and nothing is made.
    visit(leader, live_server.url + reverse("conversations:new"))
    pick(leader, "people", "eve", "Eve Eriksen")
    leader.locator("#id_day").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    leader.locator("#id_start").fill("09:00")
    submit(leader)
    expect(leader.locator('[data-module="error-summary"]')).to_contain_text(
        "Vælg et tidspunkt, der ikke er passeret."
    )
    assert not Conversation.objects.filter(thread__participants__user=cast.eve).exists()
