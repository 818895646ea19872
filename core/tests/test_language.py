from __future__ import annotations

import re
from datetime import UTC, datetime

from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry


def test_danish_is_the_default_and_english_can_be_chosen(cast, client_for):
    client = client_for(cast.alice)
    html = client.get("/").content.decode()
    assert '<html lang="da">' in html and "Min side" in html and "Log af" in html
    response = client.get(reverse("accounts:language", args=["en"]) + "?next=/notes/")
    assert response.status_code == 302 and response["Location"] == "/notes/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "My page" in html


def test_language_switch_does_not_redirect_elsewhere(db):
    response = Client().get(
        reverse("accounts:language", args=["en"]) + "?next=https://evil.example/"
    )
    assert response["Location"] == "/"


def test_times_are_stored_in_utc_and_shown_in_copenhagen_in_danish_format(cast, client_for):
    entry = AuditEntry.objects.create(action="test.summer", summary="sommer")
    AuditEntry.objects.filter(pk=entry.pk).update(at=datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    AuditEntry.objects.create(action="test.winter", summary="vinter")
    AuditEntry.objects.filter(action="test.winter").update(
        at=datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    )
    html = client_for(cast.ada).get(reverse("administration:audit")).content.decode()
    assert "1. juni 2026 kl. 12.00" in html  # CEST, UTC+2
    assert "1. dec. 2026 kl. 11.00" in html  # CET, UTC+1


def test_a_browser_asking_for_english_gets_danish_until_the_person_chooses_english(
    cast, client_for
):
    before_login = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = before_login.get(reverse("accounts:login")).content.decode()
    assert '<html lang="da">' in html

    client = client_for(cast.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    html = client.get("/").content.decode()
    assert '<html lang="da">' in html and "Min side" in html

    client.get(reverse("accounts:language", args=["en"]))
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "My page" in html


def test_the_choice_is_saved_on_the_account_and_follows_the_person_to_another_device(
    cast, client_for
):
    client_for(cast.alice).get(reverse("accounts:language", args=["en"]))
    cast.alice.refresh_from_db()
    assert cast.alice.language == "en"

    another_device = client_for(cast.alice)  # no cookie of its own
    assert '<html lang="en">' in another_device.get("/").content.decode()
    # Nobody else's pages change.
    assert '<html lang="da">' in client_for(cast.bob).get("/").content.decode()


def test_choosing_danish_again_is_saved_too(cast, client_for):
    client = client_for(cast.alice)
    client.get(reverse("accounts:language", args=["en"]))
    client.get(reverse("accounts:language", args=["da"]))
    cast.alice.refresh_from_db()
    assert cast.alice.language == "da"
    assert '<html lang="da">' in client_for(cast.alice).get("/").content.decode()


def test_a_request_leaves_the_thread_in_the_language_it_had(cast, client_for):
    """Work after a request (a task, the next step of a test) does not speak the language of
    the last person served: an agenda item brought in by a service must not turn English
    because someone who reads English asked for a page before."""
    cast.alice.language = "en"
    cast.alice.save(update_fields=["language"])
    html = client_for(cast.alice).get("/").content.decode()
    assert '<html lang="en">' in html
    assert translation.get_language() == "da"


def test_the_footer_offers_each_language_the_current_first_coming_back_to_the_page(
    cast, client_for
):
    client = client_for(cast.alice)
    back = "?next=/recognition/%3Fteam%3D5%26after%3Dx"
    for _ in range(2):  # the addresses are kept once a process: the second page is the same
        html = client.get("/recognition/?team=5&after=x").content.decode()
        links = re.findall(r'<a href="(/language/\w+/[^"]*)"\s+lang="(\w+)"\s*([^>]*)>', html)
        assert links == [
            (f"/language/da/{back}", "da", 'aria-current="true"'),
            (f"/language/en/{back}", "en", ""),
        ]
    client.get(reverse("accounts:language", args=["en"]))
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="/language/(\w+)/\?next=/"\s+lang="\w+"\s*([^>]*)>', html)
    assert links == [("en", 'aria-current="true"'), ("da", "")]
    assert "English</a>" in html and "Dansk</a>" in html
