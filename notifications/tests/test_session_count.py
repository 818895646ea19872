"""The header's count of unread notifications is read with the session and its person, in one
statement (notifications.session_store), and is always the count of the person the session's
data names."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Session
from notifications.session_store import SessionStore
from notifications.tests.test_views import header_link, tell


def test_the_count_comes_with_the_session_in_one_statement(cast, client_for):
    tell(cast.alice, "Første")
    tell(cast.alice, "Anden", kind="help_offer")
    tell(cast.bob, "Bobs")
    client = client_for(cast.alice)
    client.get("/")  # the login's session renewed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:accessibility"))
    assert header_link(response).endswith("(2)")
    assert len(queries.captured_queries) == 1
    # Read as the request begins: marking all read answers with a redirect, and the page
    # after it counts again.
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not header_link(client.get(reverse("core:accessibility"))).endswith(")")


def test_a_row_naming_someone_else_counts_the_person_the_data_names(cast, client_for):
    tell(cast.alice, "Første")
    tell(cast.alice, "Anden", kind="help_offer")
    tell(cast.bob, "Bobs")
    client = client_for(cast.alice)
    client.get("/")
    # The row's person is a copy kept for ending sessions; the data names alice.
    Session.objects.filter(user=cast.alice).update(user=cast.bob)
    response = client.get(reverse("core:accessibility"))
    assert response.context["user"] == cast.alice
    assert header_link(response).endswith("(2)")


def test_a_session_that_names_nobody_is_read_as_any_other(db):
    store = SessionStore()
    store["seen"] = True
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key or ""
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert SessionStore(store.session_key).load() == {"seen": True}
