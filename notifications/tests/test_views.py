"""The notification pages: one's own list, following a notification, marking all read, the
count in the header, and choosing what reaches one."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.kinds import all_kinds
from notifications.models import Notification, NotificationSetting, OutgoingEmail
from notifications.services import notify


def tell(person, text, *, kind="help_request", url=""):
    notification = notify(recipient=person, kind=kind, text=text, url=url)
    assert notification is not None
    return notification


def header_link(response):
    html = response.content.decode()
    match = re.search(r'class="[^"]*notifications-link[^"]*">(.*?)</a>', html, re.S)
    assert match, "no notifications link in the header"
    return re.sub(r"<svg.*?</svg>", "", match.group(1), flags=re.S).strip()


def test_the_list_shows_my_notifications_newest_first_and_nobody_elses(cast, client_for):
    first = tell(cast.alice, "Første", url="/notes/")
    second = tell(cast.alice, "Anden", kind="help_offer", url="/teams/")
    notify(recipient=cast.bob, kind="help_request", text="Bobs egen")
    html = client_for(cast.alice).get(reverse("notifications:list")).content.decode()
    assert html.index("Anden") < html.index("Første")
    assert reverse("notifications:open", kwargs={"notification_id": first.pk}) in html
    assert reverse("notifications:open", kwargs={"notification_id": second.pk}) in html
    assert "Bobs egen" not in html


def test_following_a_notification_marks_it_read_and_leads_to_it(cast, client_for):
    n = tell(cast.alice, "Hjælp", url="/notes/")
    client = client_for(cast.alice)
    assert header_link(client.get("/")).endswith("(1)")
    response = client.get(reverse("notifications:open", kwargs={"notification_id": n.pk}))
    assert response.status_code == 302
    assert response["Location"] == "/notes/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert not header_link(client.get("/")).endswith(")")


def test_a_notification_without_a_link_leads_to_the_list(cast, client_for):
    n = tell(cast.alice, "Hjælp")
    response = client_for(cast.alice).get(
        reverse("notifications:open", kwargs={"notification_id": n.pk})
    )
    assert response["Location"] == reverse("notifications:list")


def test_another_persons_notification_is_404_like_a_missing_one(cast, client_for):
    n = tell(cast.alice, "Hjælp", url="/notes/")
    for person in (cast.bob, cast.lena, cast.ada, cast.eve):
        client = client_for(person)
        forbidden = client.get(reverse("notifications:open", kwargs={"notification_id": n.pk}))
        missing = client.get(reverse("notifications:open", kwargs={"notification_id": n.pk + 1000}))
        assert forbidden.status_code == missing.status_code == 404, person
        assert "Hjælp" not in client.get(reverse("notifications:list")).content.decode()
    n.refresh_from_db()
    assert n.read_at is None


def test_logged_out_goes_to_the_login(cast, client):
    n = tell(cast.alice, "Hjælp")
    for url in (
        reverse("notifications:list"),
        reverse("notifications:settings"),
        reverse("notifications:open", kwargs={"notification_id": n.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_mark_all_as_read(cast, client_for):
    for text in ("En", "To", "Tre"):
        notify(recipient=cast.alice, kind="help_request", text=text)
    notify(recipient=cast.bob, kind="help_request", text="Bobs")
    client = client_for(cast.alice)
    assert header_link(client.get("/")).endswith("(3)")
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"))
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).exists()
    # Bob's are his own business.
    assert Notification.objects.filter(recipient=cast.bob, read_at__isnull=True).count() == 1
    assert not header_link(client.get("/")).endswith(")")


def test_the_list_is_paginated_with_a_fixed_number_of_queries(cast, client_for):
    client = client_for(cast.alice)
    url = reverse("notifications:list")

    def queries():
        client.get(url)  # warm: the session's renewal is not the page's cost
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    notify(recipient=cast.alice, kind="help_request", text="En")
    before = queries()
    for i in range(40):
        notify(recipient=cast.alice, kind="help_request", text=f"Nummer {i}")
    assert queries() == before
    # the session with its person and unread count, page count, the page
    assert before == 3
    html = client.get(url + "?page=2").content.decode()
    assert "Nummer 0" in html and "Nummer 39" not in html


def test_the_settings_page_lists_every_kind_and_saves_choices(cast, client_for):
    client = client_for(cast.alice)
    html = client.get(reverse("notifications:settings")).content.decode()
    for kind in all_kinds():
        assert f'name="{kind.name}-in_app"' in html
        assert f'name="{kind.name}-email"' in html
    # The defaults are checked: agreement_revisit is in the app only.
    assert re.search(r'name="agreement_revisit-in_app"[^>]*checked', html)
    assert not re.search(r'name="agreement_revisit-email"[^>]*checked', html)

    # Everything on, except help requests by e-mail; unchecked boxes are not posted.
    choices = {f"{k.name}-in_app": "on" for k in all_kinds()}
    choices |= {f"{k.name}-email": "on" for k in all_kinds() if k.name != "help_request"}
    response = client.post(reverse("notifications:settings"), choices)
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:settings")
    saved = {
        s.kind: (s.in_app, s.email) for s in NotificationSetting.objects.filter(user=cast.alice)
    }
    assert saved["help_request"] == (True, False)
    assert saved["agreement_revisit"] == (True, True)

    html = client.get(reverse("notifications:settings")).content.decode()
    assert not re.search(r'name="help_request-email"[^>]*checked', html)
    notify(recipient=cast.alice, kind="help_request", text="Hjælp")
    assert not OutgoingEmail.objects.filter(recipient=cast.alice).exists()

    # Nothing at all is a choice too.
    client.post(reverse("notifications:settings"), {})
    assert not NotificationSetting.objects.filter(user=cast.alice, in_app=True).exists()


def test_the_settings_page_says_when_there_is_no_email_address(cast, client_for):
    cast.alice.email = ""
    cast.alice.save()
    html = client_for(cast.alice).get(reverse("notifications:settings")).content.decode()
    assert 'class="alert alert-info"' in html
    html = client_for(cast.bob).get(reverse("notifications:settings")).content.decode()
    assert 'class="alert alert-info"' not in html
