"""Replies to a shared check-in: whoever it is shared with replies, the owner is told and
answers back, and the thread is read by those two only, while the reader may still read the
check-in. A colleague who is not the reader, a former leader, the administrator and a stranger
see nothing of it: no page, no list, no count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import User
from checkins.models import CheckIn, Reply, Thread, current_week
from checkins.selectors import (
    replies_waiting_for,
    shared_with_me_this_week,
    talking_points_between,
)
from checkins.services import REPLY_MAX_LENGTH, checkin_write, reply_create
from core.access import Visibility
from notifications.models import Notification, OutgoingEmail
from organisation.models import Membership
from tests.test_access_sweep import ROUTES

pytestmark = pytest.mark.usefixtures("clock")

SHARED_TEXT = "Budgettet-fylder-9c2e"
REPLY_TEXT = "Lad os tage det på fredag-5d1a"
ANSWER_TEXT = "Tak, det gør vi-8e0f"
HTMX = {"HX-Request": "true"}


def share(owner, visibility=Visibility.LEADER, week=None, **texts):
    """The owner writes (or changes) a check-in, shared as `visibility`, through the service."""
    fields = {"went_well": SHARED_TEXT, "is_hard": "", "priorities": "", "help_needed": ""}
    fields.update(texts)
    return checkin_write(
        owner=owner,
        week=week or current_week(),
        energy=None,
        visibility=visibility,
        **fields,
    )


@pytest.fixture
def carl(cast):
    """A third member of alice's team: a colleague who is not the reader."""
    carl = User.objects.create_user(
        "carl", "carl@example.org", "x", first_name="Carl", last_name="Christensen"
    )
    Membership.objects.create(user=carl, unit=cast.team)
    return carl


@pytest.fixture
def thread(cast, client_for):
    """lena replied to the check-in alice shared with her."""
    checkin = share(cast.alice)
    response = client_for(cast.lena).post(
        reverse("checkins:reply", args=[checkin.pk]), {"text": REPLY_TEXT}
    )
    assert response.status_code == 302
    return Thread.objects.get(checkin=checkin, reader=cast.lena)


def urls_of(thread):
    reply = thread.replies.first()
    return [
        reverse("checkins:reply", args=[thread.checkin_id]),
        reverse("checkins:thread_reply", args=[thread.pk]),
        reverse("checkins:reply_edit", args=[reply.pk]),
        reverse("checkins:reply_delete", args=[reply.pk]),
        reverse("checkins:reply_talking_point", args=[reply.pk]),
    ]


def sees_nothing(client, thread):
    """Every URL of the thread is 404, and no page the person can open shows a word of it."""
    for url in urls_of(thread)[1:]:
        for method in (client.get, client.post):
            assert method(url, {"text": "x"}).status_code in (404, 405), url
        assert client.post(url, {"text": "x"}).status_code == 404, url
    for url in (
        thread.checkin.get_absolute_url(),
        reverse("checkins:shared"),
        reverse("home:index"),
        reverse("notifications:list"),
    ):
        html = client.get(url).content.decode()
        assert REPLY_TEXT not in html and ANSWER_TEXT not in html, url


def test_the_access_sweep_walks_the_new_urls():
    names = {name for name, _params in ROUTES}
    assert {
        "checkins:reply",
        "checkins:thread_reply",
        "checkins:reply_edit",
        "checkins:reply_delete",
        "checkins:reply_talking_point",
    } <= names


def test_the_leader_replies_the_owner_is_told_and_answers_back(cast, client_for, thread):
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    told = Notification.objects.get(recipient=cast.alice, kind="checkin_reply")
    assert told.url == thread.get_absolute_url()
    assert REPLY_TEXT not in told.text and "Lena" in told.text

    page = alice.get(thread.checkin.get_absolute_url()).content.decode()
    assert REPLY_TEXT in page and "Lena Lund" in page
    response = alice.post(reverse("checkins:thread_reply", args=[thread.pk]), {"text": ANSWER_TEXT})
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert Notification.objects.filter(recipient=cast.lena, kind="checkin_reply").count() == 1
    assert Notification.objects.filter(recipient=cast.alice, kind="checkin_reply").count() == 1

    page = lena.get(thread.checkin.get_absolute_url()).content.decode()
    assert REPLY_TEXT in page and ANSWER_TEXT in page
    assert [r.owner for r in thread.replies.all()] == [cast.lena, cast.alice]
    # One thread per check-in and reader: lena writing again adds to hers.
    lena.post(reverse("checkins:reply", args=[thread.checkin_id]), {"text": "Og én til"})
    assert Thread.objects.count() == 1 and thread.replies.count() == 3


def test_no_content_in_notifications_or_emails(cast, thread, client_for):
    client_for(cast.alice).post(
        reverse("checkins:thread_reply", args=[thread.pk]), {"text": ANSWER_TEXT}
    )
    for model in (Notification, OutgoingEmail):
        for row in model.objects.all():
            text = " ".join(str(v) for v in vars(row).values())
            for secret in (SHARED_TEXT, REPLY_TEXT, ANSWER_TEXT):
                assert secret not in text
    # A subject names the event and who acted, never what anyone wrote.
    assert {e.subject for e in OutgoingEmail.objects.filter(recipient=cast.lena)} <= {
        "Alice Andersen har delt et check-in med dig",
        "Alice Andersen har svaret på et check-in",
    }


@pytest.mark.parametrize("viewer", ["bob", "ada", "eve"])
def test_a_colleague_the_administrator_and_a_stranger_see_nothing(viewer, cast, client_for, thread):
    client = client_for(getattr(cast, viewer))
    assert client.post(urls_of(thread)[0], {"text": "x"}).status_code == 404
    sees_nothing(client, thread)
    person = getattr(cast, viewer)
    assert replies_waiting_for(person, timezone.now()) == []
    assert shared_with_me_this_week(person, timezone.now()) == []
    assert talking_points_between(person, cast.alice) == []
    assert not Thread.objects.visible_to(person).exists()
    assert not Reply.objects.visible_to(person).exists()


def test_a_team_colleague_replies_and_other_colleagues_see_nothing_of_it(cast, client_for, carl):
    checkin = share(cast.alice, visibility=Visibility.TEAM)
    bob = client_for(cast.bob)
    bob.post(reverse("checkins:reply", args=[checkin.pk]), {"text": REPLY_TEXT})
    thread = Thread.objects.get(reader=cast.bob)
    # carl and lena read the check-in (it is the team's), not bob's thread.
    for person in (carl, cast.lena):
        client = client_for(person)
        assert client.get(checkin.get_absolute_url()).status_code == 200
        sees_nothing(client, thread)
    # Sharing with the team tells nobody; only a leader is told of a share.
    assert not Notification.objects.filter(kind="checkin_shared").exists()
    assert Notification.objects.filter(recipient=cast.alice, kind="checkin_reply").count() == 1


def test_a_former_leader_sees_nothing_and_the_thread_is_kept(cast, client_for, thread):
    Membership.objects.filter(user=cast.lena).delete()
    sees_nothing(client_for(cast.lena), thread)
    assert replies_waiting_for(cast.lena, timezone.now()) == []
    # The thread is read only while the reader may read the check-in: hidden from both.
    assert (
        REPLY_TEXT
        not in client_for(cast.alice).get(thread.checkin.get_absolute_url()).content.decode()
    )
    assert Reply.objects.filter(thread=thread).exists()


def test_taking_the_checkin_back_hides_the_thread_and_sharing_again_shows_it(
    cast, client_for, thread
):
    lena = client_for(cast.lena)
    share(cast.alice, visibility=Visibility.PRIVATE)
    assert lena.get(thread.checkin.get_absolute_url()).status_code == 404
    sees_nothing(lena, thread)
    assert Reply.objects.filter(thread=thread, text=REPLY_TEXT).exists()
    share(cast.alice, visibility=Visibility.LEADER)
    assert REPLY_TEXT in lena.get(thread.checkin.get_absolute_url()).content.decode()
    # Sharing it again is not news: lena was told once.
    assert Notification.objects.filter(recipient=cast.lena, kind="checkin_shared").count() == 1


def test_only_its_author_changes_or_deletes_a_reply_and_the_thread_stays(
    cast, client_for, thread, clock
):
    reply = thread.replies.get()
    alice, lena = client_for(cast.alice), client_for(cast.lena)
    for url in (
        reverse("checkins:reply_edit", args=[reply.pk]),
        reverse("checkins:reply_delete", args=[reply.pk]),
    ):
        assert alice.post(url, {"text": "Ændret af Alice"}).status_code == 404
    reply.refresh_from_db()
    assert reply.text == REPLY_TEXT

    assert lena.get(reverse("checkins:reply_edit", args=[reply.pk])).status_code == 200
    lena.post(reverse("checkins:reply_edit", args=[reply.pk]), {"text": "Fredag kl. 10"})
    reply.refresh_from_db()
    assert reply.text == "Fredag kl. 10" and reply.edited_at == timezone.now()

    lena.post(reverse("checkins:reply_delete", args=[reply.pk]))
    assert not Reply.objects.exists() and Thread.objects.filter(pk=thread.pk).exists()
    # Deleting tells nobody anything new.
    assert Notification.objects.filter(kind="checkin_reply").count() == 1


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "An empty reply cannot be sent: write a few words."),
        (
            "x" * (REPLY_MAX_LENGTH + 1),
            "A reply can be at most %(max)d characters; this one has %(length)d.",
        ),
    ],
    ids=["empty", "too-long"],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    language, text, message, cast, client_for
):
    checkin = share(cast.alice)
    lena = client_for(cast.lena)
    lena.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        expected = escape(
            translation.gettext(message) % {"max": REPLY_MAX_LENGTH, "length": len(text)}
        )
    url = reverse("checkins:reply", args=[checkin.pk])
    page = lena.post(url, {"text": text})
    assert page.status_code == 200 and expected in page.content.decode()
    assert 'data-module="error-summary"' in page.content.decode()
    partial = lena.post(url, {"text": text}, headers=HTMX)
    assert partial.status_code == 200 and expected in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert not Reply.objects.exists() and not Thread.objects.exists()
    assert not Notification.objects.filter(kind="checkin_reply").exists()


def test_htmx_gets_the_thread_alone(cast, client_for):
    checkin = share(cast.alice)
    response = client_for(cast.lena).post(
        reverse("checkins:reply", args=[checkin.pk]), {"text": REPLY_TEXT}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    thread = Thread.objects.get()
    assert f'id="thread-{thread.pk}"' in html and REPLY_TEXT in html
    assert "HX-Request" in response["Vary"]


def test_the_owner_cannot_start_a_thread_with_nobody(cast, client_for):
    checkin = share(cast.alice)
    response = client_for(cast.alice).post(
        reverse("checkins:reply", args=[checkin.pk]), {"text": REPLY_TEXT}
    )
    assert response.status_code == 404 and not Reply.objects.exists()


# --- Telling the leader ------------------------------------------------------------------------


def test_a_leader_is_told_once_when_a_checkin_is_shared_with_her(cast):
    share(cast.alice, visibility=Visibility.PRIVATE)
    assert not Notification.objects.filter(kind="checkin_shared").exists()
    checkin = share(cast.alice)
    share(cast.alice, went_well="Ændret")
    share(cast.alice, visibility=Visibility.PRIVATE)
    share(cast.alice)
    told = Notification.objects.get(kind="checkin_shared")
    assert told.recipient == cast.lena and told.url == checkin.get_absolute_url()
    week = str(current_week().isocalendar().week)
    with translation.override(settings.LANGUAGE_CODE):
        assert "Alice Andersen" in told.text and week in told.text
    assert SHARED_TEXT not in told.text and "Ændret" not in told.text
    email = OutgoingEmail.objects.get(kind="checkin_shared")
    assert email.recipient == cast.lena and SHARED_TEXT not in email.subject + email.body


# --- Shared with me ----------------------------------------------------------------------------


def test_shared_with_me_shows_every_field_and_the_reply_count(cast, client_for, thread):
    checkin = thread.checkin
    checkin.is_hard, checkin.priorities, checkin.energy = "Hårdt-31", "Prioritet-32", 1
    checkin.save()
    html = client_for(cast.lena).get(reverse("checkins:shared")).content.decode()
    for text in (SHARED_TEXT, "Hårdt-31", "Prioritet-32"):
        assert text in html
    # The energy stays the owner's, also when the check-in is shared (the form promises it).
    assert "Very low" not in html and "Meget lav" not in html
    assert f"{checkin.get_absolute_url()}#replies" in html
    assert "1 svar" in html or "1 reply" in html


def _many_shared(cast, weeks):
    for n in range(weeks):
        for person in (cast.alice, cast.bob):
            c = CheckIn.objects.create(
                owner=person,
                week=current_week() - timedelta(weeks=n),
                visibility=Visibility.LEADER,
                went_well=f"Uge {n}",
                is_hard="Svært",
            )
            t = Thread.objects.create(checkin=c, reader=cast.lena)
            Reply.objects.create(owner=cast.lena, thread=t, text="Svar")


def test_shared_with_me_takes_the_same_queries_for_many(cast, client_for):
    lena = client_for(cast.lena)
    url = reverse("checkins:shared")
    _many_shared(cast, 1)
    lena.get(url)
    with CaptureQueriesContext(connection) as few:
        assert lena.get(url).status_code == 200
    Reply.objects.all().delete()
    Thread.objects.all().delete()
    CheckIn.objects.all().delete()
    _many_shared(cast, 8)
    with CaptureQueriesContext(connection) as many:
        html = lena.get(url).content.decode()
    assert html.count("Uge 7") == 2
    assert len(many) == len(few)
    # The session with its person, the page's check-ins with their count, and the reply
    # counts.
    assert len(few) <= 7, [q["sql"] for q in few.captured_queries]


# --- What the leader's week needs ----------------------------------------------------------------


def test_replies_waiting_for_the_one_who_has_not_answered(cast, client_for, thread, clock):
    now = timezone.now()
    waiting = replies_waiting_for(cast.alice, now)
    assert [(w.thread_id, w.other_name, w.on_my_checkin) for w in waiting] == [
        (thread.pk, "Lena Lund", True)
    ]
    assert replies_waiting_for(cast.lena, now) == []
    client_for(cast.alice).post(
        reverse("checkins:thread_reply", args=[thread.pk]), {"text": ANSWER_TEXT}
    )
    assert replies_waiting_for(cast.alice, now) == []
    [for_lena] = replies_waiting_for(cast.lena, now)
    assert for_lena.other_name == "Alice Andersen" and not for_lena.on_my_checkin
    assert for_lena.url == thread.get_absolute_url()
    # A thread left for more than four weeks no longer waits.
    assert replies_waiting_for(cast.lena, now + timedelta(weeks=5)) == []


def test_replies_waiting_takes_two_queries_however_many(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert replies_waiting_for(cast.alice, timezone.now()) == []
    _many_shared(cast, 6)
    # The threads with a recent reply, then those of them the person may read.
    with django_assert_num_queries(2):
        waiting = replies_waiting_for(cast.alice, timezone.now())
    assert len(waiting) == 6


def test_shared_with_me_this_week_has_every_field_and_its_replies(
    cast, thread, django_assert_num_queries
):
    CheckIn.objects.create(
        owner=cast.bob,
        week=current_week() - timedelta(weeks=1),
        visibility=Visibility.LEADER,
        went_well="Sidste uge",
    )
    with django_assert_num_queries(1):
        [item] = shared_with_me_this_week(cast.lena, timezone.now())
    assert item.owner_name == "Alice Andersen" and item.went_well == SHARED_TEXT
    assert item.reply_count == 1 and item.checkin_id == thread.checkin_id
    assert not hasattr(item, "energy")


# --- The seam for conversations ---------------------------------------------------------------


def test_either_party_marks_a_talking_point_for_the_next_one_to_one(
    cast, client_for, thread, django_assert_num_queries
):
    reply = thread.replies.get()
    answer = reply_create(
        checkin=thread.checkin, author=cast.alice, text=ANSWER_TEXT, thread=thread
    )
    client_for(cast.alice).post(
        reverse("checkins:reply_talking_point", args=[reply.pk]), {"marked": "1"}
    )
    client_for(cast.lena).post(
        reverse("checkins:reply_talking_point", args=[answer.pk]), {"marked": "1"}, headers=HTMX
    )
    with django_assert_num_queries(1):
        points = talking_points_between(cast.lena, cast.alice)
    assert [p.text for p in points] == [REPLY_TEXT, ANSWER_TEXT]
    assert [p.text for p in talking_points_between(cast.alice, cast.lena)] == [
        REPLY_TEXT,
        ANSWER_TEXT,
    ]
    # One taken up at a conversation is not offered again; one unmarked is gone.
    Reply.objects.filter(pk=reply.pk).update(talked_about_at=timezone.now())
    client_for(cast.alice).post(
        reverse("checkins:reply_talking_point", args=[answer.pk]), {"marked": "0"}
    )
    assert talking_points_between(cast.lena, cast.alice) == []
    Reply.objects.filter(pk=answer.pk).update(talking_point=True)
    assert len(talking_points_between(cast.lena, cast.alice)) == 1
    # Taken back to private, the points are no longer there for the reader.
    share(cast.alice, visibility=Visibility.PRIVATE)
    assert talking_points_between(cast.lena, cast.alice) == []
    assert talking_points_between(cast.bob, cast.alice) == []


def test_the_owners_page_takes_the_same_queries_however_many_threads(cast, client_for, carl):
    checkin = share(cast.alice, visibility=Visibility.TEAM)
    alice = client_for(cast.alice)
    url = checkin.get_absolute_url()
    reply_create(checkin=checkin, author=cast.bob, text="Et svar")
    alice.get(url)
    with CaptureQueriesContext(connection) as one:
        alice.get(url)
    for person in (cast.lena, carl):
        for n in range(3):
            reply_create(checkin=checkin, author=person, text=f"Svar {n}")
    with CaptureQueriesContext(connection) as three:
        html = alice.get(url).content.decode()
    assert html.count('class="reply"') == 7
    assert len(three) == len(one)
