from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.models import AuditEntry
from organisation.importing import snapshot_apply, snapshot_from_csv, snapshot_problems
from organisation.models import Membership, Unit

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

UNITS = """id;navn;overenhed_id
k;Kommunen;
s;Sekretariatet;k
o;Økonomi;k
"""
PEOPLE = """id,username,first_name,last_name,email,job_title,unit_id,leader
1,mette,Mette,Holm,mette@example.org,Sekretariatschef,s,ja
2,jonas,Jonas,Krogh,jonas@example.org,Produktkonsulent,s,nej
3,sara,Sara,Lund,sara@example.org,Controller,o,
3,sara,Sara,Lund,sara@example.org,Controller,s,
"""


@pytest.fixture(autouse=True)
def english():
    # The problems are checked by their English wording; the Danish is in locale/.
    with translation.override("en"):
        yield


def run(units: str, people: str, actor=None):
    snapshot, problems = snapshot_from_csv(units_file=units.encode(), people_file=people.encode())
    problems += snapshot_problems(snapshot)
    if problems:
        return None, problems
    return snapshot_apply(snapshot, actor=actor, source="test", now=NOW), []


def state():
    return (
        sorted(Unit.objects.values_list("external_id", "name", "parent__external_id", "path")),
        sorted(User.objects.values_list("external_id", "username", "email", "is_active")),
        sorted(Membership.objects.values_list("user__username", "unit__external_id", "role")),
    )


def test_good_files_import_and_again_change_nothing(db):
    result, problems = run(UNITS, PEOPLE)
    assert problems == []
    assert (result.units_created, result.people_created, result.memberships_changed) == (3, 3, 4)
    assert Membership.objects.get(user__username="mette").role == "leader"
    sara_units = Membership.objects.filter(user__username="sara").values_list(
        "unit__name", flat=True
    )
    assert set(sara_units) == {"Økonomi", "Sekretariatet"}
    assert Unit.objects.get(external_id="s").parent == Unit.objects.get(external_id="k")

    before = state()
    again, problems = run(UNITS, PEOPLE)
    assert problems == [] and not again.changed_anything
    assert state() == before


def test_bad_rows_change_nothing_and_each_is_named(db):
    run(UNITS, PEOPLE)
    before, audit_rows = state(), AuditEntry.objects.count()
    bad_units = UNITS + "x;;k\ny;Ydre;nowhere\ns;Twice;k\n"
    bad_people = PEOPLE + (
        "4,bo,Bo,Berg,not-an-email,,s,\n"
        "5,jonas,Jonas,Anden,j2@example.org,,s,\n"
        "6,kim,Kim,Kok,kim@example.org,,missing,\n"
        "7,lis,Lis,Lund,lis@example.org,,s,maybe\n"
    )
    result, problems = run(bad_units, bad_people)
    assert result is None
    text = [str(p) for p in problems]
    assert any("units.csv, line 5" in t and "name is empty" in t for t in text), text
    assert any("units.csv, line 6" in t and "nowhere" in t for t in text), text
    assert any("units.csv, line 7" in t and "used twice" in t for t in text), text
    assert any("people.csv, line 6" in t and "not-an-email" in t for t in text), text
    assert any("people.csv, line 7" in t and "jonas" in t for t in text), text
    assert any("people.csv, line 8" in t and "missing" in t for t in text), text
    assert any("people.csv, line 9" in t and "maybe" in t for t in text), text
    assert state() == before
    assert AuditEntry.objects.count() == audit_rows


def test_moves_new_people_and_leavers(db):
    run(UNITS, PEOPLE)
    jonas = User.objects.get(username="jonas")
    moved_units = UNITS.replace("o;Økonomi;k", "o;Økonomi og styring;s")
    moved_people = PEOPLE.replace(
        "2,jonas,Jonas,Krogh,jonas@example.org,Produktkonsulent,s,nej\n", ""
    )
    moved_people += "8,nina,Nina,Bang,nina@example.org,Koordinator,o,ja\n"
    result, problems = run(moved_units, moved_people)
    assert problems == []
    assert result.people_created == 1 and result.people_deactivated == 1
    assert result.units_changed == 1
    economy = Unit.objects.get(external_id="o")
    assert economy.name == "Økonomi og styring"
    assert economy.parent is not None
    assert economy.parent.external_id == "s" and economy.depth == 2
    assert economy.path.startswith(Unit.objects.get(external_id="s").path)
    jonas.refresh_from_db()
    assert not jonas.is_active, "a leaver is deactivated"
    assert User.objects.filter(pk=jonas.pk).exists(), "and never deleted"
    assert not Membership.objects.filter(user=jonas).exists()

    # Back in the file: active again.
    result, _ = run(moved_units, moved_people + "2,jonas,Jonas,Krogh,jonas@example.org,,s,\n")
    jonas.refresh_from_db()
    assert jonas.is_active and result.people_reactivated == 1


def test_people_created_by_hand_are_left_alone_and_not_overwritten(cast):
    result, problems = run(UNITS, PEOPLE.replace("jonas,Jonas", "alice,Jonas"))
    assert result is None
    assert any("alice" in str(p) and "another person" in str(p) for p in problems)
    run(UNITS, PEOPLE)
    cast.alice.refresh_from_db()
    assert cast.alice.is_active


def test_a_collision_past_the_first_500_people_is_found_and_changes_nothing(cast):
    """The usernames are looked up 500 at a time: a person created by hand whose username
    is the 600th of the file is found like the first."""
    rows = [f"{n},person{n},P,{n},person{n}@example.org,,s," for n in range(1, 601)]
    rows[599] = "600,alice,Alice,Anden,alice2@example.org,,s,"
    before = state()
    result, problems = run(UNITS, PEOPLE.splitlines()[0] + "\n" + "\n".join(rows) + "\n")
    assert result is None
    assert [str(p) for p in problems if "another person" in str(p)] == [
        "people.csv, line 601: The username alice belongs to another person already in Sparring."
    ]
    assert state() == before


def test_excel_style_file_in_windows_1252(db):
    units = "id;name;parent_id\r\nk;Kommunen;\r\no;Økonomi;k\r\n".encode("cp1252")
    people = "id;first_name;unit_id\r\n1;Søren;o\r\n".encode("cp1252")
    snapshot, problems = snapshot_from_csv(units_file=units, people_file=people)
    assert problems == [] and snapshot_problems(snapshot) == []
    assert snapshot.units["o"].name == "Økonomi"


def test_missing_columns_are_reported(db):
    _, problems = snapshot_from_csv(units_file=b"id,title\n1,x\n", people_file=b"")
    text = " ".join(str(p) for p in problems)
    assert "name" in text and "empty" in text


def test_import_page_reports_bad_rows_and_imports_good_files(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisation.import_jobs import import_jobs_run
    from organisation.models import ImportJob

    client = client_for(cast.ada)
    url = reverse("administration:import")

    def upload(units: str, people: str):
        client.post(
            url,
            {
                "units_file": SimpleUploadedFile("units.csv", units.encode()),
                "people_file": SimpleUploadedFile("people.csv", people.encode()),
            },
        )
        job = ImportJob.objects.latest("pk")
        import_jobs_run(now=job.updated_at)
        job.refresh_from_db()
        return job, client.get(reverse("administration:import_job", args=[job.pk]))

    job, response = upload(UNITS, PEOPLE + "9,,,,x,,s,\n")
    assert job.status == "failed"
    assert "people.csv, linje 6" in response.content.decode()  # in Danish, the default
    assert not User.objects.filter(username="mette").exists()

    job, response = upload(UNITS, PEOPLE)
    assert job.status == "preview"
    assert not User.objects.filter(username="mette").exists()
    client.post(
        reverse("administration:import_job_confirm", args=[job.pk]),
        {"fingerprint": job.fingerprint},
    )
    import_jobs_run(now=job.updated_at)
    assert User.objects.filter(username="mette").exists()
    assert AuditEntry.objects.filter(action="organisation.import", actor=cast.ada).exists()


def test_broken_csv_and_control_characters_are_reported_not_crashed(db):
    broken = UNITS + 'z;"Unbalanced;k\n' + "q;x" * 10 + "\n"
    _, problems = snapshot_from_csv(units_file=broken.encode(), people_file=PEOPLE.encode())
    assert any("cannot be read as CSV" in str(p) for p in problems), problems
    with_nul = UNITS.replace("Økonomi", "Øko\x00nomi")
    _, problems = run(with_nul, PEOPLE)
    assert any("units.csv, line 4" in str(p) for p in problems), problems
    with_control = UNITS.replace("Økonomi", "Øko\x1bnomi")
    result, problems = run(with_control, PEOPLE)
    assert result is None
    assert any("control characters" in str(p) for p in problems), problems
    assert not Unit.objects.exists()


def test_usernames_from_e_mail_do_not_collide_across_domains(db):
    people = (
        "id,first_name,email,unit_id\n1,Jens,jens@kommune.dk,s\n2,Jens,jens@skole.kommune.dk,s\n"
    )
    result, problems = run(UNITS, people)
    assert problems == [] and result.people_created == 2
    assert set(User.objects.values_list("username", flat=True)) == {
        "jens@kommune.dk",
        "jens@skole.kommune.dk",
    }
