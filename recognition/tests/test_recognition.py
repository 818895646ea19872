"""Recognition: thanks tied to values, on the team's feed or everyone's, with reactions, and
posted to the matching chat channel through the worker."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.services import person_deactivate
from conftest import FROZEN_AT
from notifications.models import ChatWebhook, Notification, WebhookDelivery
from organisation.models import Value
from recognition.models import Reaction, Recognition
from recognition.services import RecognitionError, reaction_toggle, recognition_create


@pytest.fixture
def value(db):
    return Value.objects.filter(is_active=True).first()


@pytest.fixture
def webhooks(cast):
    return {
        "organisation": ChatWebhook.objects.create(
            name="Alle", format="mattermost", url="https://chat.example.org/hooks/a"
        ),
        "team": ChatWebhook.objects.create(
            name="Sekretariatet",
            format="slack",
            url="https://chat.example.org/hooks/b",
            unit=cast.team,
        ),
        "other": ChatWebhook.objects.create(
            name="Økonomi",
            format="teams",
            url="https://chat.example.org/hooks/c",
            unit=cast.other_team,
        ),
    }


def test_a_team_thanks_reaches_the_team_and_its_channel_only(cast, client_for, value, webhooks):
    response = client_for(cast.alice).post(
        reverse("recognition:new"),
        {
            "recipients": [cast.bob.pk],
            "text": "Tak for code review i går",
            "values": [value.pk],
            "where": str(cast.team.pk),
        },
    )
    recognition = Recognition.objects.get()
    assert response["Location"] == recognition.get_absolute_url()
    assert recognition.unit == cast.team
    assert Notification.objects.filter(recipient=cast.bob, kind="recognition").exists()
    # The team page and the feed show it to the team.
    for person in (cast.bob, cast.lena):
        client = client_for(person)
        assert "Tak for code review" in client.get(cast.team.get_absolute_url()).content.decode()
        assert "Tak for code review" in client.get(reverse("recognition:feed")).content.decode()
    # Someone from another team sees nothing of it.
    eve = client_for(cast.eve)
    assert eve.get(recognition.get_absolute_url()).status_code == 404
    assert "Tak for code review" not in eve.get(reverse("recognition:feed")).content.decode()
    # Only the team's channel gets it.
    delivery = WebhookDelivery.objects.get()
    assert delivery.webhook == webhooks["team"]
    assert "Tak for code review" in delivery.text and value.name in delivery.text
    assert delivery.link.endswith(recognition.get_absolute_url())


def test_thanks_for_everyone_goes_to_the_organisation_channel(cast, client_for, value, webhooks):
    client_for(cast.alice).post(
        reverse("recognition:new"),
        {
            "recipients": [cast.bob.pk],
            "text": "Tak for oplægget",
            "values": [value.pk],
            "where": "organisation",
        },
    )
    recognition = Recognition.objects.get()
    assert recognition.unit is None
    assert client_for(cast.eve).get(recognition.get_absolute_url()).status_code == 200
    assert [d.webhook for d in WebhookDelivery.objects.all()] == [webhooks["organisation"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"values": []}, "Choose at least one value."),
        ({"recipients": []}, "Choose at least one person to thank."),
        ({"recipients": ["alice"]}, "You cannot thank yourself."),
        ({"recipients": ["nobody"]}, "A person you chose could not be found."),
        ({"where": "other_team"}, "Select a valid choice."),
        ({"text": "   "}, "This field is required."),
    ],
)
def test_bad_input_changes_nothing(cast, client_for, value, webhooks, change, message):
    data = {
        "recipients": [cast.bob.pk],
        "text": "Tak",
        "values": [value.pk],
        "where": str(cast.team.pk),
    }
    for key, given in change.items():
        if key == "recipients":
            data[key] = [getattr(cast, name).pk if name != "nobody" else 987654 for name in given]
        elif given == "other_team":
            data[key] = str(cast.other_team.pk)
        else:
            data[key] = given
    client = client_for(cast.alice)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("recognition:new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Recognition.objects.exists() and not WebhookDelivery.objects.exists()


def test_thanking_someone_in_another_unit(cast, client_for, value):
    client = client_for(cast.alice)
    assert 'role="combobox"' in client.get(reverse("recognition:new")).content.decode()
    response = client.post(
        reverse("recognition:new"),
        {"recipients": [cast.eve.pk], "text": "Tak", "values": [value.pk], "where": "organisation"},
    )
    assert response.status_code == 302
    assert list(Recognition.objects.get().recipients.all()) == [cast.eve]


def test_thanking_someone_who_left(cast, value):
    person_deactivate(actor=None, person=cast.bob, now=FROZEN_AT)
    with pytest.raises(RecognitionError):
        recognition_create(
            author=cast.alice, recipients=[cast.bob], text="Tak", values=[value], unit=None
        )
    assert not Recognition.objects.exists()


def test_reactions_toggle_and_answer_htmx_with_the_partial(cast, client_for, value):
    recognition = recognition_create(
        author=cast.alice, recipients=[cast.bob], text="Tak", values=[value], unit=cast.team
    )
    bob = client_for(cast.bob)
    url = reverse("recognition:react", args=[recognition.pk])
    response = bob.post(url, {"kind": "applause"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post"') and 'class="reactions"' in html
    assert 'aria-pressed="true"' in html
    assert Reaction.objects.filter(user=cast.bob, kind="applause").count() == 1
    bob.post(url, {"kind": "applause"})
    assert not Reaction.objects.exists()
    bob.post(url, {"kind": "thumbs-down"})
    assert not Reaction.objects.exists()
    # Only the team (and the people in it) can react.
    assert client_for(cast.eve).post(url, {"kind": "heart"}).status_code == 404


def test_only_the_author_deletes(cast, client_for, value):
    recognition = recognition_create(
        author=cast.alice, recipients=[cast.bob], text="Tak", values=[value], unit=cast.team
    )
    client_for(cast.bob).post(reverse("recognition:delete", args=[recognition.pk]))
    assert Recognition.objects.exists()
    client_for(cast.alice).post(reverse("recognition:delete", args=[recognition.pk]))
    assert not Recognition.objects.exists()


def test_deleting_takes_back_the_chat_messages_not_yet_posted(cast, client_for, value, webhooks):
    recognition = recognition_create(
        author=cast.alice, recipients=[cast.bob], text="Tak", values=[value], unit=cast.team
    )
    delivery = WebhookDelivery.objects.get()
    client_for(cast.alice).post(reverse("recognition:delete", args=[recognition.pk]))
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None and delivery.sent_at is None
    assert delivery.last_error


def test_every_name_in_a_thanks_is_escaped(cast, client_for, value):
    """The names of the people, the unit and the values are text, whatever they hold."""
    cast.alice.first_name = "<i>Alice</i>"
    cast.alice.save()
    cast.bob.last_name = "B&B"
    cast.bob.save()
    cast.team.name = 'Team "<b>"'
    cast.team.save()
    value.name = "<em>Mod</em>"
    value.save()
    recognition_create(
        author=cast.alice, recipients=[cast.bob], text="Tak", values=[value], unit=cast.team
    )
    html = client_for(cast.bob).get(reverse("recognition:feed")).content.decode()
    assert "&lt;i&gt;Alice&lt;/i&gt; Andersen siger tak til Bob B&amp;B" in html
    assert "· Team &quot;&lt;b&gt;&quot;</span>" in html
    assert '<span class="badge badge-success">&lt;em&gt;Mod&lt;/em&gt;</span>' in html
    assert "<i>Alice" not in html and "<em>Mod" not in html and '"<b>"' not in html


def test_a_thanks_is_written_as_its_author_wrote_it_and_nothing_more(cast, client_for, value):
    """The feed writes a thanks's paragraphs and line breaks, escapes everything else, and
    names the people thanked, the values and the reactions with the reader's own pressed."""
    recognition = recognition_create(
        author=cast.alice,
        recipients=[cast.eve, cast.bob],
        text='Tak for <script>alert("x")</script> i går.\nOg i dag.\n\nAnden del.',
        values=[value],
        unit=cast.team,
    )
    reaction_toggle(recognition=recognition, user=cast.bob, kind="heart")
    reaction_toggle(recognition=recognition, user=cast.lena, kind="heart")
    html = client_for(cast.bob).get(reverse("recognition:feed")).content.decode()
    assert (
        '<div class="note-body"><p>Tak for &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
        "i går.<br>Og i dag.</p>\n\n<p>Anden del.</p></div>"
    ) in html
    assert "<script>alert" not in html
    assert "Alice Andersen siger tak til Bob Bertelsen, Eve Eriksen" in html
    assert f'<span class="badge badge-success">{value.name}</span>' in html
    heart = re.search(rf'<button[^>]*id="react-{recognition.pk}-heart"[^>]*>.*?</button>', html)
    assert heart and 'aria-pressed="true"' in heart[0]
    assert '<span class="reaction-count">2</span>' in heart[0]
    applause = re.search(rf'<button[^>]*id="react-{recognition.pk}-applause"[^>]*>', html)
    assert applause and 'aria-pressed="false"' in applause[0]
