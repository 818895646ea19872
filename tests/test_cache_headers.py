"""`Cache-Control: private, no-store` on personal pages and downloads; static files keep their
long cache lifetime."""

from __future__ import annotations

import os

from django.http import HttpResponse
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from core.access import Visibility
from core.middleware import StaticFilesMiddleware
from profiles.models import ProfileNote
from tests.test_access_sweep import url_for
from tests.test_cache_sweep import no_store


def test_a_private_page_is_private_no_store(cast, client_for):
    note = ProfileNote.objects.create(
        owner=cast.alice, title="Privat", body="Kun mig", visibility=Visibility.PRIVATE
    )
    client = client_for(cast.alice)
    for url in (reverse("home:index"), reverse("profiles:detail", args=[note.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_a_csv_export_is_private_no_store(cast, client_for):
    response = client_for(cast.alice).get(reverse("feedback:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


def test_an_ics_answer_is_private_no_store(cast, client_for):
    url = url_for("feedback:sparring_invitation", ("sparring_id",), cast)
    response = client_for(cast.alice).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"


def test_a_json_answer_is_private_no_store(cast, client_for):
    url = url_for("pulse:results_json", ("unit_id",), cast)
    response = client_for(cast.lena).get(url)
    assert response["Content-Type"].startswith("application/json")
    assert no_store(response)


def test_pages_before_login_and_refusals_are_no_store_too(cast, client_for):
    anonymous = Client()
    for response in (
        anonymous.get(reverse("accounts:login")),  # carries a CSRF token
        anonymous.get(reverse("home:index")),  # the redirect to the login
        client_for(cast.eve).get(reverse("profiles:detail", args=[10**9])),  # 404
    ):
        assert no_store(response), response


def test_static_files_keep_their_cache_lifetime(client):
    response = client.get(static("core/sparring.css"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


def test_the_table_of_static_files_is_made_once_and_anew_after_collectstatic(tmp_path):
    """Every test client makes the middleware afresh; the table of files is read once per
    collected directory, and again when `collectstatic` has written it since."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "a.css").write_text("body {}")
    manifest = tmp_path / "staticfiles.json"
    manifest.write_text("{}")
    first, second = (StaticFilesMiddleware(lambda request: HttpResponse()) for _ in range(2))
    for middleware in (first, second):
        middleware.add_files(str(tmp_path), prefix="/elsewhere/")
    elsewhere = {url for url in first.files if url.startswith("/elsewhere/")}
    assert elsewhere == {"/elsewhere/core/a.css", "/elsewhere/staticfiles.json"}
    assert first.files["/elsewhere/core/a.css"] is second.files["/elsewhere/core/a.css"]
    # The collected files of the settings, the same way.
    css = static("core/sparring.css")
    assert first.files[css] is second.files[css]

    (tmp_path / "core" / "b.css").write_text("p {}")
    stat = manifest.stat()
    os.utime(manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = StaticFilesMiddleware(lambda request: HttpResponse())
    third.add_files(str(tmp_path), prefix="/elsewhere/")
    assert "/elsewhere/core/b.css" in third.files
    assert "/elsewhere/core/b.css" not in first.files
    # A test that changes a setting of static files starts from no table.
    with override_settings(WHITENOISE_MAX_AGE=1):
        assert StaticFilesMiddleware._tables == {}
