"""The conversation page: private preparation shared one by one or all at once, the shared
agenda with its actions, shared and private notes, the live refresh, held and frozen with dated
addenda, and the MUS summary both approve. Every change works as a plain form (redirect back,
PRG) and with htmx (the changed regions); what cannot be done says so in Danish and changes
nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import FROZEN_AT, Cast
from conversations import services
from conversations.models import (
    Addendum,
    Approval,
    Conversation,
    Item,
    Kind,
    Preparation,
    PrivateNote,
    SharedNote,
    Summary,
)

NOW = FROZEN_AT
HTMX = {"HX-Request": "true"}
HELD_MESSAGE = "Samtalen blev afholdt 2. december 2026 og er låst: skriv en tilføjelse i stedet."


@pytest.fixture
def mus(cast: Cast, clock: Any) -> Conversation:
    """A MUS lena planned with alice for tomorrow at 10, the clock standing still today."""
    return services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.MUS,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=60,
        now=NOW,
    )


def _url(name: str, conversation: Conversation, **kwargs: int) -> str:
    return reverse(f"conversations:{name}", kwargs={"conversation_id": conversation.pk, **kwargs})


def _page(client: Client, conversation: Conversation) -> str:
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _messages(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _questions(conversation: Conversation) -> list[Any]:
    return list(conversation.template.questions.all())


def _hold(conversation: Conversation, cast: Cast) -> Conversation:
    return services.conversation_hold(
        conversation=conversation, by=cast.lena, now=NOW + timedelta(days=1, hours=1)
    )


# --- Preparation --------------------------------------------------------------------------------


def test_preparation_shows_the_questions_by_section_each_answer_private_until_shared(
    cast, mus, client_for
):
    first, second, *_rest = _questions(mus)
    alice = client_for(cast.alice)
    html = _page(alice, mus)
    assert first.section_da in html and first.text_da in html
    assert "Kun dig" in html and "Del alle" in html

    response = alice.post(
        _url("preparation", mus),
        {f"answer_{first.pk}": "Jeg vil lære brugerundersøgelser", f"answer_{second.pk}": "Travlt"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{mus.get_absolute_url()}#preparation"
    mine = Preparation.objects.filter(owner=cast.alice, conversation=mus)
    assert {(p.question_id, p.text, p.shared_at) for p in mine} == {
        (first.pk, "Jeg vil lære brugerundersøgelser", None),
        (second.pk, "Travlt", None),
    }
    lena_html = _page(client_for(cast.lena), mus)
    assert "Jeg vil lære brugerundersøgelser" not in lena_html and "Travlt" not in lena_html

    # "Del" on the first answer shares that one only, with the text just written.
    response = alice.post(
        _url("preparation", mus),
        {
            f"answer_{first.pk}": "Jeg vil lære brugerundersøgelser i år",
            f"answer_{second.pk}": "Travlt",
            "share": str(first.pk),
        },
        follow=True,
    )
    assert "1 svar blev delt i samtalen" in " ".join(_messages(response))
    assert "Delt i samtalen" in response.content.decode()
    lena_html = _page(client_for(cast.lena), mus)
    assert "Alice Andersen delte:" in lena_html
    assert "Jeg vil lære brugerundersøgelser i år" in lena_html and "Travlt" not in lena_html

    # "Del alle" with htmx: the form comes back with both shared, the revision raised.
    revision = Conversation.objects.get(pk=mus.pk).revision
    response = alice.post(
        _url("preparation", mus),
        {
            f"answer_{first.pk}": "Jeg vil lære brugerundersøgelser i år",
            f"answer_{second.pk}": "Travlt",
            "share": "all",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="preparation-form" hx-swap-oob="true"' in html and "Kun dig" in html  # the rest
    assert mine.filter(shared_at__isnull=False).count() == 2
    assert Conversation.objects.get(pk=mus.pk).revision > revision
    assert "Travlt" in _page(client_for(cast.lena), mus)

    # An unanswered question has nothing to share.
    third = _questions(mus)[2]
    response = alice.post(
        _url("preparation", mus), {f"answer_{third.pk}": "", "share": str(third.pk)}, follow=True
    )
    assert "Der var ikke noget nyt at dele" in _messages(response)[-1]
    assert sorted(mine.values_list("text", flat=True)) == [
        "Jeg vil lære brugerundersøgelser i år",
        "Travlt",
    ]


def test_private_note_and_unshared_answers_never_reach_the_other_participant(cast, mus, client_for):
    first, second, *_rest = _questions(mus)
    alice = client_for(cast.alice)
    alice.post(
        _url("preparation", mus),
        {f"answer_{first.pk}": "HEMMELIGT-SVAR", f"answer_{second.pk}": "DELT-SVAR"},
    )
    alice.post(
        _url("preparation", mus), {f"answer_{second.pk}": "DELT-SVAR", "share": str(second.pk)}
    )
    response = alice.post(_url("private_note", mus), {"private-text": "PRIVAT-NOTE om Lena"})
    assert response.status_code == 302
    assert PrivateNote.objects.get(owner=cast.alice, conversation=mus).text == "PRIVAT-NOTE om Lena"
    own = _page(alice, mus)
    assert "PRIVAT-NOTE om Lena" in own and "Kun du kan se dine private noter" in own

    lena = client_for(cast.lena)
    html = _page(lena, mus)
    live = lena.get(_url("live", mus) + "?revision=0").content.decode()
    for text in (html, live):
        assert "DELT-SVAR" in text
        assert "HEMMELIGT-SVAR" not in text and "PRIVAT-NOTE" not in text


# --- The agenda ---------------------------------------------------------------------------------


def test_talking_points_and_actions_are_added_plain_and_with_htmx(cast, mus, client_for):
    alice = client_for(cast.alice)
    response = alice.post(_url("item_add", mus), {"type": "point", "point-text": "For mange møder"})
    assert response.status_code == 302
    assert response["Location"] == f"{mus.get_absolute_url()}#agenda"
    response = alice.post(
        _url("item_add", mus),
        {
            "type": "action",
            "action-text": "Find et kursus",
            "action-owner": str(cast.alice.pk),
            "action-due_on": "2026-12-31",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="agenda-list" hx-swap-oob="true"' in html and "Find et kursus" in html
    assert 'id="action-form"' in html and "Skriv handlingen." not in html
    assert "HX-Request" in response["Vary"]
    point, action = Item.objects.order_by("pk")
    assert (point.type, point.text, point.author, point.raised_in) == (
        "point",
        "For mange møder",
        cast.alice,
        mus,
    )
    assert (action.type, action.owner, action.due_on.isoformat()) == (
        "action",
        cast.alice,
        "2026-12-31",
    )
    html = _page(client_for(cast.lena), mus)
    assert "For mange møder" in html and "Ansvarlig: Alice Andersen" in html
    assert "Frist 31. december 2026" in html


def test_an_empty_talking_point_is_refused_in_danish(cast, mus, client_for):
    alice = client_for(cast.alice)
    response = alice.post(_url("item_add", mus), {"type": "point", "point-text": "  "}, follow=True)
    assert _messages(response) == ["Skriv punktet."]
    response = alice.post(_url("item_add", mus), {"type": "point", "point-text": ""}, headers=HTMX)
    html = response.content.decode()
    assert 'id="point-form"' in html and "Skriv punktet." in html
    assert 'aria-invalid="true"' in html
    assert not Item.objects.exists()


def test_an_action_owner_outside_the_conversation_is_refused_in_danish(cast, mus, client_for):
    alice = client_for(cast.alice)
    data = {"type": "action", "action-text": "Ring til Eve", "action-owner": str(cast.eve.pk)}
    response = alice.post(_url("item_add", mus), data, follow=True)
    assert _messages(response) == ["Den ansvarlige for en handling skal deltage i samtalen."]
    html = alice.post(_url("item_add", mus), data, headers=HTMX).content.decode()
    assert "Den ansvarlige for en handling skal deltage i samtalen." in html
    assert "Ring til Eve" in html  # kept in the form, to choose again
    assert not Item.objects.exists()


def test_items_move_and_are_discussed_dropped_and_reopened(cast, mus, client_for):
    first = services.item_add(conversation=mus, by=cast.alice, text="Første", now=NOW)
    second = services.item_add(conversation=mus, by=cast.lena, text="Andet", now=NOW)
    alice = client_for(cast.alice)

    def order() -> list[str]:
        return [i.text for i in Item.objects.order_by("position", "pk")]

    response = alice.post(_url("item_move", mus, item_id=second.pk), {"direction": "up"})
    assert response.status_code == 302 and order() == ["Andet", "Første"]
    response = alice.post(
        _url("item_move", mus, item_id=second.pk), {"direction": "down"}, headers=HTMX
    )
    assert response.status_code == 200 and order() == ["Første", "Andet"]
    html = response.content.decode()
    assert html.index("Første") < html.index("Andet")
    assert f'id="item-{second.pk}-up"' in html  # focus stays on the button pressed

    status = _url("item_status", mus, item_id=first.pk)
    alice.post(status, {"status": "done"})
    first.refresh_from_db()
    assert (first.status, first.closed_in) == ("done", mus)
    assert "Drøftet" in _page(alice, mus)
    alice.post(status, {"status": "open"}, headers=HTMX)
    first.refresh_from_db()
    assert (first.status, first.closed_in) == ("open", None)
    alice.post(status, {"status": "dropped"})
    first.refresh_from_db()
    assert first.status == "dropped"
    assert "Droppet" in _page(alice, mus)


def test_carried_and_brought_in_items_are_marked(cast, mus, client_for):
    services.item_add(
        conversation=mus,
        by=cast.alice,
        text="Feedback fra Bob",
        now=NOW,
        source=Item.Source.FEEDBACK,
        source_id=1,
        quote="Du forklarer godt.",
    )
    services.item_add(conversation=mus, by=cast.alice, text="Kursus", now=NOW)
    _hold(mus, cast)
    one_on_one = services.conversation_plan(
        by=cast.lena,
        people=[cast.alice],
        kind=Kind.ONE_ON_ONE,
        starts_at=NOW + timedelta(days=8),
        duration_minutes=30,
        now=NOW + timedelta(days=2),
    )
    html = _page(client_for(cast.alice), one_on_one)
    assert html.count("Videreført fra 2. december 2026") == 2
    assert "Du forklarer godt." in html and "Bragt ind: Feedback" in html


# --- Notes --------------------------------------------------------------------------------------


def test_shared_notes_are_added_and_changed_by_their_author_only(cast, mus, client_for):
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    response = alice.post(_url("shared_note_add", mus), {"note-text": "Vi aftalte fredage"})
    assert response.status_code == 302
    html = lena.post(
        _url("shared_note_add", mus), {"note-text": "Godt"}, headers=HTMX
    ).content.decode()
    assert 'id="notes-list" hx-swap-oob="true"' in html and "Vi aftalte fredage" in html
    note = SharedNote.objects.get(author=cast.alice)
    edit = _url("shared_note_edit", mus, shared_note_id=note.pk)
    assert "Vi aftalte fredage" in alice.get(edit).content.decode()
    assert lena.get(edit).status_code == 404
    assert lena.post(edit, {"note-text": "Lena retter"}).status_code == 404
    response = alice.post(edit, {"note-text": "Vi aftalte torsdage"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Vi aftalte torsdage"
    response = alice.post(edit, {"note-text": ""})
    assert response.status_code == 200 and "Skriv noten." in response.content.decode()
    note.refresh_from_db()
    assert note.text == "Vi aftalte torsdage"

    response = alice.post(_url("shared_note_add", mus), {"note-text": " "}, follow=True)
    assert _messages(response) == ["Skriv noten."]
    assert SharedNote.objects.count() == 2


def test_the_private_note_is_saved_with_htmx_and_stays_after_held(cast, mus, client_for):
    alice = client_for(cast.alice)
    response = alice.post(_url("private_note", mus), {"private-text": "Mit eget"}, headers=HTMX)
    html = response.content.decode()
    assert 'id="private-form"' in html and 'hx-swap-oob="true"' in html
    assert "Dine private noter er gemt." in html and "Mit eget" in html
    _hold(mus, cast)
    response = alice.post(_url("private_note", mus), {"private-text": "Efter samtalen"})
    assert response.status_code == 302
    assert PrivateNote.objects.get().text == "Efter samtalen"
    assert "Efter samtalen" not in _page(client_for(cast.lena), mus)


# --- Live ---------------------------------------------------------------------------------------


def test_the_poll_answers_204_until_the_other_changes_something(cast, mus, client_for):
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    html = _page(alice, mus)
    revision = Conversation.objects.get(pk=mus.pk).revision
    poll = f"{_url('live', mus)}?revision={revision}&open=1"
    assert f"revision={revision}&amp;open=1" in html and 'hx-trigger="every 5s"' in html
    assert alice.get(poll, headers=HTMX).status_code == 204

    lena.post(_url("item_add", mus), {"type": "point", "point-text": "Lenas punkt"})
    new = Conversation.objects.get(pk=mus.pk).revision
    assert new > revision
    response = alice.get(poll, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lenas punkt" in body and 'id="agenda-list" hx-swap-oob="true"' in body
    assert f"revision={new}&amp;open=1" in body  # polling goes on from the new revision
    assert 'id="point-form"' not in body  # a form being typed in is never replaced
    assert alice.get(f"{_url('live', mus)}?revision={new}&open=1").status_code == 204

    # Held meanwhile: the page is loaded afresh.
    _hold(mus, cast)
    response = alice.get(poll.replace(f"revision={revision}", f"revision={new}"), headers=HTMX)
    assert response["HX-Refresh"] == "true"


# --- Held ---------------------------------------------------------------------------------------


def test_marking_held_asks_first_then_freezes_the_record(cast, mus, client_for):
    services.item_add(conversation=mus, by=cast.alice, text="Kursus i UX", now=NOW)
    services.shared_note_add(conversation=mus, by=cast.lena, text="Aftalt", now=NOW)
    alice = client_for(cast.alice)
    assert "Markér som afholdt" in _page(alice, mus)
    confirm = alice.get(_url("hold", mus))
    assert confirm.status_code == 200 and "låst" in confirm.content.decode()
    assert Conversation.objects.get(pk=mus.pk).status == "planned"
    response = alice.post(_url("hold", mus), follow=True)
    held = Conversation.objects.get(pk=mus.pk)
    assert held.status == "held" and held.held_by == cast.alice and held.record is not None
    html = response.content.decode()
    assert "Kursus i UX" in html and "Aftalt" in html
    assert "Dagsordenen som den så ud, da samtalen blev afholdt." in html
    assert 'name="addendum-text"' in html and 'name="point-text"' not in html

    response = alice.post(_url("addendum_add", mus), {"addendum-text": "Kurset er booket"})
    assert response.status_code == 302
    html = (
        client_for(cast.lena)
        .post(_url("addendum_add", mus), {"addendum-text": "Fint"}, headers=HTMX)
        .content.decode()
    )
    assert 'id="addenda-list" hx-swap-oob="true"' in html and "Kurset er booket" in html
    assert list(Addendum.objects.values_list("text", flat=True)) == ["Kurset er booket", "Fint"]
    assert "1. dec. 2026 kl." in _page(alice, mus)  # each addendum with its date


def test_any_change_after_held_is_refused_in_danish_and_changes_nothing(cast, mus, client_for):
    question = _questions(mus)[0]
    item = services.item_add(conversation=mus, by=cast.alice, text="Kursus", now=NOW)
    note = services.shared_note_add(conversation=mus, by=cast.alice, text="Aftalt", now=NOW)
    services.preparation_save(
        conversation=mus, by=cast.alice, answers={question.pk: "Før"}, now=NOW
    )
    mus = _hold(mus, cast)
    revision = Conversation.objects.get(pk=mus.pk).revision
    alice = client_for(cast.alice)
    attempts = [
        (_url("item_add", mus), {"type": "point", "point-text": "Nyt punkt"}),
        (
            _url("item_add", mus),
            {"type": "action", "action-text": "Ny", "action-owner": str(cast.alice.pk)},
        ),
        (_url("item_move", mus, item_id=item.pk), {"direction": "up"}),
        (_url("item_status", mus, item_id=item.pk), {"status": "done"}),
        (_url("shared_note_add", mus), {"note-text": "Ny note"}),
        (_url("shared_note_edit", mus, shared_note_id=note.pk), {"note-text": "Ændret"}),
        (_url("preparation", mus), {f"answer_{question.pk}": "Efter", "share": "all"}),
    ]
    edit = _url("shared_note_edit", mus, shared_note_id=note.pk)
    for url, data in attempts:
        response = alice.post(url, data, follow=True)
        assert _messages(response) == [HELD_MESSAGE], url
        if url == edit:
            continue  # the note's own page is a plain form
        # With htmx the page is stale: it is loaded afresh, with the message waiting.
        response = alice.post(url, data, headers=HTMX)
        assert response["HX-Refresh"] == "true", url
        assert _messages(alice.get(mus.get_absolute_url())) == [HELD_MESSAGE], url
    assert Item.objects.count() == 1
    item.refresh_from_db()
    assert item.status == "open"
    assert list(SharedNote.objects.values_list("text", flat=True)) == ["Aftalt"]
    answer = Preparation.objects.get()
    assert (answer.text, answer.shared_at) == ("Før", None)
    assert Conversation.objects.get(pk=mus.pk).revision == revision
    response = alice.post(_url("hold", mus), follow=True)
    assert _messages(response) == [HELD_MESSAGE]
    assert alice.get(_url("hold", mus))["Location"] == mus.get_absolute_url()


# --- The MUS summary ------------------------------------------------------------------------------


def test_the_summary_is_approved_by_both_then_locked_and_shown_with_the_dates(
    cast, mus, client_for
):
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    response = lena.post(_url("summary", mus), {"summary-text": "Alice tager et kursus i UX."})
    assert response.status_code == 302
    summary = Summary.objects.get()
    assert (summary.text, summary.revision) == ("Alice tager et kursus i UX.", 1)
    html = _page(alice, mus)
    assert "Alice tager et kursus i UX." in html and "ikke godkendt endnu" in html
    html = alice.post(
        _url("summary_approve", mus), {"revision": "1"}, headers=HTMX
    ).content.decode()
    assert 'id="summary-status" hx-swap-oob="true"' in html and "godkendt den" in html

    # lena changes it: a new revision, which alice must approve again.
    lena.post(_url("summary", mus), {"summary-text": "Alice tager et kursus i UX i foråret."})
    response = lena.post(_url("summary_approve", mus), {"revision": "1"}, follow=True)
    assert _messages(response)[-1:] == [
        "Referatet blev ændret, mens du læste det. Læs det igen, før du godkender."
    ]
    lena.post(_url("summary_approve", mus), {"revision": "2"})
    assert Summary.objects.get().locked_at is None
    alice.post(_url("summary_approve", mus), {"revision": "2"})
    summary = Summary.objects.get()
    assert summary.is_locked
    assert Approval.objects.filter(revision=2).count() == 2

    html = _page(alice, mus)
    assert "Godkendt af alle" in html and "Låst den 1. december 2026." in html
    assert html.count("godkendt den 1. december 2026") == 2
    assert 'name="summary-text"' not in html
    response = alice.post(_url("summary", mus), {"summary-text": "Ændret"}, follow=True)
    assert _messages(response) == [
        "Referatet er godkendt af alle og låst: skriv en tilføjelse i stedet."
    ]
    assert Summary.objects.get().text == "Alice tager et kursus i UX i foråret."


def test_a_summary_changed_meanwhile_is_not_overwritten(cast, mus, client_for):
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    lena.post(_url("summary", mus), {"summary-text": "Første udkast", "revision": "0"})
    lena.post(_url("summary", mus), {"summary-text": "Lenas rettelse", "revision": "1"})
    # alice began from the first draft.
    html = alice.post(
        _url("summary", mus),
        {"summary-text": "Alices udgave", "revision": "1"},
        headers=HTMX,
    ).content.decode()
    assert "Referatet blev ændret af en anden, mens du skrev." in html
    assert "Alices udgave" in html and 'name="revision" value="2"' in html
    assert Summary.objects.get().text == "Lenas rettelse"
    # Having read it, she saves from the new revision.
    alice.post(_url("summary", mus), {"summary-text": "Alices udgave", "revision": "2"})
    summary = Summary.objects.get()
    assert (summary.text, summary.revision, summary.edited_by) == ("Alices udgave", 3, cast.alice)


def test_an_empty_summary_or_addendum_is_refused(cast, mus, client_for):
    alice = client_for(cast.alice)
    response = alice.post(_url("summary", mus), {"summary-text": ""}, follow=True)
    assert _messages(response) == ["Skriv referatet."]
    html = alice.post(_url("summary", mus), {"summary-text": ""}, headers=HTMX).content.decode()
    assert 'id="summary-form"' in html and "Skriv referatet." in html
    assert not Summary.objects.exists()
    response = alice.post(_url("addendum_add", mus), {"addendum-text": "For tidligt"}, follow=True)
    assert _messages(response) == ["Tilføjelser er til afholdte samtaler; skriv en note i stedet."]
    _hold(mus, cast)
    response = alice.post(_url("addendum_add", mus), {"addendum-text": " "}, follow=True)
    assert _messages(response) == ["Skriv tilføjelsen."]
    assert not Addendum.objects.exists()


# --- Who may open it, and what it costs ---------------------------------------------------------


def _every_url(cast: Cast, mus: Conversation) -> list[str]:
    item = services.item_add(conversation=mus, by=cast.alice, text="Punkt", now=NOW)
    note = services.shared_note_add(conversation=mus, by=cast.alice, text="Note", now=NOW)
    return [
        mus.get_absolute_url(),
        _url("live", mus),
        _url("preparation", mus),
        _url("item_add", mus),
        _url("item_move", mus, item_id=item.pk),
        _url("item_status", mus, item_id=item.pk),
        _url("shared_note_add", mus),
        _url("shared_note_edit", mus, shared_note_id=note.pk),
        _url("private_note", mus),
        _url("hold", mus),
        _url("addendum_add", mus),
        _url("summary", mus),
        _url("summary_approve", mus),
    ]


@pytest.mark.parametrize("stranger", ["bob", "eve", "ada"])
def test_a_stranger_gets_404_from_every_url_of_the_page(cast, mus, client_for, stranger):
    client = client_for(getattr(cast, stranger))
    for url in _every_url(cast, mus):
        statuses = {client.get(url).status_code, client.post(url).status_code}
        assert 404 in statuses and statuses <= {404, 405}, f"{stranger}: {url} gave {statuses}"
    assert Item.objects.count() == 1 and Conversation.objects.get(pk=mus.pk).status == "planned"


def test_an_item_of_another_thread_is_404(cast, mus, client_for):
    other = services.conversation_plan(
        by=cast.lena,
        people=[cast.bob],
        kind=Kind.ONE_ON_ONE,
        starts_at=NOW + timedelta(days=1),
        duration_minutes=30,
        now=NOW,
    )
    item = services.item_add(conversation=other, by=cast.bob, text="Bobs punkt", now=NOW)
    response = client_for(cast.lena).post(
        _url("item_status", mus, item_id=item.pk), {"status": "done"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_the_page_reads_in_a_fixed_number_of_queries(
    cast, mus, client_for, django_assert_max_num_queries
):
    for n in range(10):
        services.item_add(conversation=mus, by=cast.alice, text=f"Punkt {n}", now=NOW)
        services.shared_note_add(conversation=mus, by=cast.lena, text=f"Note {n}", now=NOW)
    answers = {q.pk: f"Svar {q.pk}" for q in _questions(mus)}
    for person in (cast.alice, cast.lena):
        services.preparation_save(conversation=mus, by=person, answers=answers, now=NOW)
        services.preparation_share(conversation=mus, by=person, now=NOW)
    services.summary_save(conversation=mus, by=cast.lena, text="Referat", now=NOW)
    alice = client_for(cast.alice)
    # The session, alice, the conversation, its participants, the answers, the questions, the
    # summary and its approvals, the agenda, the notes, the private note; the page's frame
    # (unread notifications, the organisation); the session saved once.
    with django_assert_max_num_queries(16):
        _page(alice, mus)
    with django_assert_max_num_queries(12):
        assert alice.get(_url("live", mus) + "?revision=0").status_code == 200
    # Polled every 5 seconds by every open page: unchanged, it reads the session, alice and
    # the conversation, and nothing more.
    revision = Conversation.objects.get(pk=mus.pk).revision
    with django_assert_max_num_queries(3):
        assert alice.get(f"{_url('live', mus)}?revision={revision}&open=1").status_code == 204


def test_the_page_speaks_english_to_who_chose_it(cast, mus, client_for):
    cast.alice.language = "en"
    cast.alice.save(update_fields=["language"])
    question = _questions(mus)[0]
    html = _page(client_for(cast.alice), mus)
    assert question.section_en in html and question.text_en in html
    assert question.text_da not in html
    for words in ("Only you", "Share all", "Agenda", "Only you can see your private notes."):
        assert words in html
    response = client_for(cast.alice).post(
        _url("item_add", mus), {"type": "point", "point-text": ""}, follow=True
    )
    assert _messages(response) == ["Write the talking point."]
