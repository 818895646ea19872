"""The organisation's name and logo in the header: set by administrators only, the logo checked
by its bytes and served with a strong ETag."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from organisation.branding import branding_forget
from organisation.models import OrganisationSettings
from organisation.services import LOGO_MAX_BYTES

URL = reverse("administration:settings")
LOGO_URL = reverse("organisation_logo")


def png(width: int = 2, height: int = 1) -> bytes:
    """A real, tiny PNG: the signature, a header, one compressed row per line, the end."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x00\x59\xb3" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def _no_branding_cached():
    """The header's cache outlives each test's database: start and end without it."""
    branding_forget()
    yield
    branding_forget()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(client: Client, data: bytes, name: str = "logo.png"):
    return client.post(URL, {"name": "Aarhus Kommune", "logo": SimpleUploadedFile(name, data)})


def test_only_administrators_see_the_settings(cast, client_for):
    for person in (cast.alice, cast.lena, cast.eve):
        client = client_for(person)
        assert client.get(URL).status_code == 404
        assert client.post(URL, {"name": "Overtaget"}).status_code == 404
    assert not OrganisationSettings.objects.exists()
    assert client_for(cast.ada).get(URL).status_code == 200


def test_the_name_falls_back_to_the_setting_and_then_follows_the_administrator(
    cast, client_for, settings
):
    settings.SPARRING_ORGANISATION_NAME = "OS2"
    alice = client_for(cast.alice)
    assert "OS2" in alice.get(reverse("notifications:list")).content.decode()
    response = client_for(cast.ada).post(URL, {"name": "Aarhus Kommune"})
    assert response.status_code == 302
    page = alice.get(reverse("notifications:list")).content.decode()
    assert "Aarhus Kommune" in page
    entry = AuditEntry.objects.get(action="organisation_settings.update")
    assert entry.actor == cast.ada
    assert entry.data == {"name": True, "logo": "unchanged"}


def test_a_logo_is_served_with_a_strong_etag_and_long_caching(cast, client_for):
    data = png()
    assert upload(client_for(cast.ada), data).status_code == 302
    page = client_for(cast.alice).get(reverse("notifications:list")).content.decode()
    assert f'src="{LOGO_URL}?v=' in page
    assert 'alt="Aarhus Kommune"' in page

    anyone = Client()  # the login page shows it too
    response = anyone.get(LOGO_URL)
    assert response.status_code == 200
    assert response.content == data
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]

    again = anyone.get(LOGO_URL, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert anyone.get(LOGO_URL, headers={"If-None-Match": '"old"'}).status_code == 200


def test_a_jpeg_is_accepted_by_its_bytes(cast, client_for):
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100 + b"\xff\xd9"
    assert upload(client_for(cast.ada), jpeg, name="logo.bin").status_code == 302
    assert Client().get(LOGO_URL)["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (SVG, "logo.svg", "skal være et PNG- eller JPEG-billede"),
        # A name and a claimed type are not enough: the bytes decide.
        (SVG, "logo.png", "skal være et PNG- eller JPEG-billede"),
        (b"GIF89a" + b"\x00" * 20, "logo.gif", "skal være et PNG- eller JPEG-billede"),
        (png() + b"\x00" * LOGO_MAX_BYTES, "big.png", "større end 200 KB"),
    ],
    ids=["svg", "svg-named-png", "gif", "too-large"],
)
def test_a_bad_logo_changes_nothing_and_says_why_in_danish(cast, client_for, data, name, message):
    ada = client_for(cast.ada)
    assert upload(ada, png(), name="first.png").status_code == 302
    before = OrganisationSettings.objects.get()
    audits = AuditEntry.objects.count()

    response = upload(ada, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    after = OrganisationSettings.objects.get()
    assert bytes(after.logo) == bytes(before.logo)
    assert after.logo_digest == before.logo_digest
    assert AuditEntry.objects.count() == audits


def test_without_a_logo_there_is_nothing_to_serve(cast, client_for):
    assert Client().get(LOGO_URL).status_code == 404
    ada = client_for(cast.ada)
    upload(ada, png())
    assert ada.post(URL, {"name": "", "remove_logo": "on"}).status_code == 302
    assert Client().get(LOGO_URL).status_code == 404
    assert AuditEntry.objects.filter(action="organisation_settings.update").latest("pk").data == {
        "name": True,
        "logo": "removed",
    }


def test_the_header_costs_no_query_once_cached_and_follows_a_change(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisation.branding import branding_for_header

    branding_for_header()
    with CaptureQueriesContext(connection) as ctx:
        assert branding_for_header().name
    assert len(ctx.captured_queries) == 0
    upload(client_for(cast.ada), png())
    assert branding_for_header().name == "Aarhus Kommune"
    assert branding_for_header().logo_url.startswith(f"{LOGO_URL}?v=")


def test_the_login_page_shows_the_logo_and_the_name(cast, client_for):
    upload(client_for(cast.ada), png())
    page = Client().get(reverse("accounts:login")).content.decode()
    assert f'src="{LOGO_URL}?v=' in page
    assert 'alt="Aarhus Kommune"' in page
