"""The audit log for administrators: filtered by who, what and when, and downloaded as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse

from conftest import COPENHAGEN
from core.audit import audit_record
from core.models import AuditEntry

LOG = reverse("administration:audit")
EXPORT = reverse("administration:audit_export")


@pytest.fixture
def log(cast):
    """Three entries: ada changed a unit on 1 November, the system locked bob out on
    15 November, and ada sent alice a password link on 30 November."""
    AuditEntry.objects.all().delete()  # the cast's units, created as the test began
    made = [
        (cast.ada, "unit.update", cast.team, datetime(2026, 11, 1, 9, 0)),
        (None, "login.locked", cast.bob, datetime(2026, 11, 15, 23, 30)),
        (cast.ada, "password.link_sent", cast.alice, datetime(2026, 11, 30, 8, 0)),
    ]
    for actor, action, target, at in made:
        entry = audit_record(actor=actor, action=action, target=target, summary="=HYPERLINK(1)")
        AuditEntry.objects.filter(pk=entry.pk).update(at=at.replace(tzinfo=COPENHAGEN))
    return cast


def shown(response) -> list[str]:
    return [entry.action for entry in response.context["page"]]


def test_the_log_is_filtered_by_who_what_and_when(log, client_for):
    client = client_for(log.ada)

    assert shown(client.get(LOG)) == ["password.link_sent", "login.locked", "unit.update"]
    assert shown(client.get(LOG, {"actor": "system"})) == ["login.locked"]
    assert shown(client.get(LOG, {"actor": log.ada.pk})) == ["password.link_sent", "unit.update"]
    assert shown(client.get(LOG, {"action": "unit.update"})) == ["unit.update"]
    # Days in the organisation's time, both ends included.
    assert shown(client.get(LOG, {"since": "2026-11-15", "until": "2026-11-15"})) == [
        "login.locked"
    ]
    assert shown(client.get(LOG, {"since": "2026-11-16"})) == ["password.link_sent"]


def test_a_bad_filter_gets_a_danish_message_and_the_log_unfiltered_by_it(log, client_for):
    response = client_for(log.ada).get(LOG, {"since": "2026-11-30", "until": "2026-11-01"})

    assert "Den sidste dag kommer før den første." in response.content.decode()
    assert shown(response) == ["password.link_sent"]


def test_the_log_downloads_as_csv_as_filtered_and_the_download_is_logged(log, client_for):
    response = client_for(log.ada).get(EXPORT, {"actor": log.ada.pk})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tidspunkt", "Af", "Handling", "Vedrører", "Detaljer"]
    assert [row[2] for row in rows[1:]] == ["Link til at vælge adgangskode sendt", "Enhed ændret"]
    assert rows[1][0] == "2026-11-30T08:00:00+01:00"
    # What someone wrote never runs as a formula in the reader's spreadsheet.
    assert rows[1][4] == "'=HYPERLINK(1)"
    download = AuditEntry.objects.get(action="audit.export")
    assert (download.actor, download.data) == (log.ada, {"actor": str(log.ada.pk)})


def test_only_administrators_read_or_download_the_log(log, client_for):
    for person in (log.alice, log.lena):
        client = client_for(person)
        assert client.get(LOG).status_code == 404
        assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(action="audit.export").exists()
