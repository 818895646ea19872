"""The conversation page in Chromium: alice and lena each have the MUS open; lena adds a
talking point and it appears on alice's page by itself (the poll), without a reload. Then the
page as it looks planned (with preparation), during (the agenda) and held with its approved
summary, on desktop and phone in Danish; every page and swap is checked with axe-core."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations import services
from conversations.models import Conversation, Item, Kind
from tests.browser.conftest import PHONE, check, follow, login, shot, visit

# Pictures for a person to look at, besides those every check takes.
SHOTS = Path(os.environ.get("CONVERSATION_SHOTS", "test-artifacts/screenshots/conversation"))


def _plan(cast, *, kind: str = Kind.MUS, days: int = 1) -> Conversation:
    now = timezone.now()
    return services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=kind,
        starts_at=now + timedelta(days=days),
        duration_minutes=60,
        now=now,
        place="Mødelokale 2",
    )


@pytest.mark.browser
def test_a_talking_point_lena_adds_appears_on_alices_page_without_a_reload(
    new_page, live_server, cast
):
    mus = _plan(cast)
    alice, lena = new_page(), new_page()
    login(alice, live_server, cast.alice)
    login(lena, live_server, cast.lena)
    visit(alice, live_server.url + mus.get_absolute_url())
    visit(lena, live_server.url + mus.get_absolute_url())
    # alice starts writing a note of her own; the refresh must leave it be.
    alice.locator("#id_note-text").fill("Halvskrevet note")
    alice.evaluate("window.notReloaded = true")

    lena.locator("#id_point-text").fill("Hvordan går det med det nye system?")
    lena.get_by_role("button", name="Tilføj punkt").click()
    expect(lena.locator("#agenda-list")).to_contain_text("Hvordan går det med det nye system?")
    expect(lena.locator("#id_point-text")).to_have_value("")
    check(lena)

    expect(alice.locator("#agenda-list")).to_contain_text(
        "Hvordan går det med det nye system?", timeout=10_000
    )
    assert alice.evaluate("window.notReloaded === true")
    expect(alice.locator("#id_note-text")).to_have_value("Halvskrevet note")
    check(alice)

    # Her note goes in; she changes it on its own page.
    alice.get_by_role("button", name="Tilføj note").click()
    expect(lena.locator("#notes-list")).to_contain_text("Halvskrevet note", timeout=10_000)
    follow(alice, lambda: alice.locator("#notes-list a").click())
    alice.locator("#id_note-text").fill("Færdig note")
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    expect(alice.locator("#notes-list")).to_contain_text("Færdig note")

    # With the keyboard, alice moves lena's point below a second one (the button keeps the
    # focus) and marks it discussed; lena sees both changes.
    first = Item.objects.get()
    alice.locator("#id_point-text").fill("Kompetenceudvikling")
    alice.locator("#id_point-text").press("Enter")
    expect(alice.locator("#agenda-list")).to_contain_text("Kompetenceudvikling")
    # A poll sent before her point went in answers with the agenda again; let it land first
    # (a keypress in the instant of that second swap can be lost: see the note).
    alice.wait_for_timeout(5_500)
    alice.locator(f"#item-{first.pk}-down").focus()
    alice.keyboard.press("Enter")
    expect(alice.locator("#agenda-list li").last).to_contain_text("Hvordan går det")
    expect(alice.locator(f"#item-{first.pk}-down")).to_be_focused()
    expect(lena.locator("#agenda-list li").last).to_contain_text("Hvordan går", timeout=10_000)
    alice.locator(f"#item-{first.pk}-done").focus()
    alice.keyboard.press("Enter")
    expect(alice.locator("#agenda-list")).to_contain_text("Drøftet")
    expect(lena.locator("#agenda-list")).to_contain_text("Drøftet", timeout=10_000)
    check(alice)
    check(lena)

    # lena marks it held: alice's page loads afresh as the record, without the forms.
    services.conversation_hold(conversation=mus, by=cast.lena, now=timezone.now())
    expect(alice.locator("#agenda")).to_contain_text(
        "Dagsordenen som den så ud, da samtalen blev afholdt.", timeout=10_000
    )
    expect(alice.locator("#id_point-text")).to_have_count(0)
    check(alice)


def _prepare(cast, mus: Conversation) -> None:
    """alice and lena answer some questions; alice shares two, lena one."""
    now = timezone.now()
    questions = list(mus.template.questions.all())
    services.preparation_save(
        conversation=mus,
        by=cast.alice,
        answers={
            questions[0].pk: "Jeg fik sat brugerundersøgelserne i gang, og de første fund er "
            "allerede brugt i designet.",
            questions[1].pk: "Mødemængden, især om mandagen.",
            questions[2].pk: "Et kursus i interviewteknik.",
        },
        now=now,
    )
    services.preparation_share(
        conversation=mus, by=cast.alice, now=now, question_ids=[questions[0].pk, questions[1].pk]
    )
    services.preparation_save(
        conversation=mus,
        by=cast.lena,
        answers={questions[0].pk: "Alice har løftet brugerinddragelsen i hele teamet."},
        now=now,
    )
    services.preparation_share(conversation=mus, by=cast.lena, now=now)


def _agenda(cast, mus: Conversation) -> None:
    now = timezone.now()
    services.item_add(conversation=mus, by=cast.alice, text="For mange møder om mandagen", now=now)
    services.item_add(
        conversation=mus,
        by=cast.lena,
        text="Find et kursus i interviewteknik",
        type=Item.Type.ACTION,
        owner=cast.alice,
        due_on=(now + timedelta(days=60)).date(),
        now=now,
    )
    services.item_add(
        conversation=mus,
        by=cast.alice,
        text="Feedback fra workshoppen",
        source=Item.Source.FEEDBACK,
        source_id=1,
        quote="Klar dagsorden og god tid til spørgsmål.",
        now=now,
    )
    services.shared_note_add(
        conversation=mus,
        by=cast.lena,
        text="Vi aftalte at flytte mandagsmødet til tirsdag.",
        now=now,
    )
    services.private_note_save(
        conversation=mus, by=cast.alice, text="Husk at nævne ønsket om hjemmearbejde."
    )


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_page_planned_during_and_held_with_its_summary(device, new_page, live_server, cast):
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if device == "phone" else {}
    options = options or {"viewport": {"width": 1280, "height": 900}}
    # An earlier 1:1 whose open action carries over to the MUS.
    earlier = _plan(cast, kind=Kind.ONE_ON_ONE, days=1)
    services.item_add(
        conversation=earlier,
        by=cast.lena,
        text="Aftal sparring med Bob om arkitekturen",
        type=Item.Type.ACTION,
        owner=cast.alice,
        now=timezone.now(),
    )
    services.conversation_hold(
        conversation=earlier, by=cast.lena, now=timezone.now() + timedelta(days=1, hours=1)
    )
    mus = _plan(cast, days=3)
    _prepare(cast, mus)

    alice = new_page(**options)
    login(alice, live_server, cast.alice)
    visit(alice, live_server.url + mus.get_absolute_url())
    expect(alice.locator("#preparation")).to_contain_text("Delt i samtalen")
    expect(alice.locator("#preparation")).to_contain_text("Kun dig")
    expect(alice.locator("#preparation")).to_contain_text("Lena Lund delte:")
    shot(alice, SHOTS, f"planned-preparation-{device}")

    _agenda(cast, mus)
    visit(alice, live_server.url + mus.get_absolute_url())
    expect(alice.locator("#agenda-list")).to_contain_text("Videreført fra")
    alice.locator("#agenda").scroll_into_view_if_needed()
    shot(alice, SHOTS, f"during-agenda-{device}")

    # Marked held after the confirmation; the summary written and approved by both.
    follow(alice, lambda: alice.get_by_role("link", name="Markér som afholdt").click())
    follow(alice, lambda: alice.locator("main form button[type=submit]").click())
    expect(alice.locator("main")).to_contain_text("Samtalen er markeret som afholdt.")
    now = timezone.now()
    summary = services.summary_save(
        conversation=mus,
        by=cast.lena,
        text="Alice fortsætter med brugerundersøgelserne og tager et kursus i "
        "interviewteknik i foråret.\n\nMandagsmødet flyttes til tirsdag.",
        now=now,
    )
    services.summary_approve(conversation=mus, by=cast.lena, revision=summary.revision, now=now)
    visit(alice, live_server.url + mus.get_absolute_url())
    alice.get_by_role("button", name="Godkend").click()
    expect(alice.locator("#summary-status")).to_contain_text("Godkendt af alle")
    check(alice)
    shot(alice, SHOTS, f"held-summary-{device}")
    alice.emulate_media(media="print")
    shot(alice, SHOTS, f"held-summary-print-{device}")
    alice.emulate_media(media="screen")
