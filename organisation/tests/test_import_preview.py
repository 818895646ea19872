"""Imports that preview before they change, run in the worker, and never erase history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from organisation.import_jobs import (
    import_check_start,
    import_confirm,
    import_jobs_purge,
    import_jobs_run,
)
from organisation.importing import (
    snapshot_apply,
    snapshot_fingerprint,
    snapshot_from_csv,
    snapshot_plan,
    snapshot_problems,
)
from organisation.models import IMPORT_JOB_STALE_AFTER, ImportJob, Membership, Unit

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
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(units: str, people: str, *, actor: User) -> ImportJob:
    job, started = import_check_start(
        actor=actor,
        source=ImportJob.Source.CSV,
        now=NOW,
        units_file=units.encode(),
        people_file=people.encode(),
        units_name="units.csv",
        people_name="people.csv",
    )
    assert started
    import_jobs_run(now=_after(job))
    job.refresh_from_db()
    return job


def imported_units() -> int:
    return Unit.objects.filter(external_id__gt="").count()


def _after(job: ImportJob) -> datetime:
    # The worker's time: just after the job's last sign of life, never the wall clock.
    return ImportJob.objects.get(pk=job.pk).updated_at + timedelta(seconds=1)


def confirm(job: ImportJob, *, actor: User) -> ImportJob:
    assert import_confirm(job=job, actor=actor, fingerprint=job.fingerprint, now=_after(job))
    import_jobs_run(now=_after(job))
    job.refresh_from_db()
    return job


def apply(units: str, people: str) -> None:
    snapshot, problems = snapshot_from_csv(units_file=units.encode(), people_file=people.encode())
    assert problems + snapshot_problems(snapshot) == []
    snapshot_apply(snapshot, actor=None, source="test", now=NOW)


# --- The preview ------------------------------------------------------------------------------


def test_the_check_shows_what_the_import_will_do_with_counts_and_names(cast):
    apply(UNITS, PEOPLE)
    units = (
        UNITS.replace("s;Sekretariatet;k", "s;Sekretariat og ledelse;k").replace(
            "o;Økonomi;k\n", ""
        )
        + "d;Digitalisering;s\n"
    )
    people = (
        PEOPLE.replace(
            "2,jonas,Jonas,Krogh,jonas@example.org,Produktkonsulent,s,nej\n", ""
        ).replace(
            "3,sara,Sara,Lund,sara@example.org,Controller,o,",
            "3,sara,Sara,Lund,sara@example.org,Controller,d,",
        )
        + "4,nina,Nina,Bang,nina@example.org,Koordinator,d,ja\n"
    )
    job = check(units, people, actor=cast.ada)
    assert job.status == "preview"
    plan = job.plan
    assert plan is not None
    assert plan["people_created"] == ["Nina Bang (nina): Digitalisering (leader)"]
    assert plan["people_moved"] == ["Sara Lund (sara): from Økonomi to Digitalisering"]
    assert plan["people_deactivated"] == ["Jonas Krogh (jonas)"]
    assert plan["units_created"] == ["Digitalisering under Sekretariat og ledelse"]
    assert plan["units_renamed"] == ["Sekretariatet → Sekretariat og ledelse"]
    assert plan["units_archived"] == ["Økonomi"]
    # Nothing changed by the check.
    assert User.objects.get(username="jonas").is_active
    assert Unit.objects.get(external_id="o").archived_at is None
    assert not User.objects.filter(username="nina").exists()


def test_reactivated_people_and_moved_units_are_in_the_preview(cast):
    apply(UNITS, PEOPLE)
    apply(
        UNITS, PEOPLE.replace("2,jonas,Jonas,Krogh,jonas@example.org,Produktkonsulent,s,nej\n", "")
    )
    plan = snapshot_plan(
        snapshot_from_csv(
            units_file=UNITS.replace("o;Økonomi;k", "o;Økonomi;s").encode(),
            people_file=PEOPLE.encode(),
        )[0]
    )
    assert plan.people_reactivated == ["Jonas Krogh (jonas): Sekretariatet"]
    assert plan.units_moved == ["Økonomi: from under Kommunen to under Sekretariatet"]


def test_the_preview_page_lists_changes_and_asks_for_confirmation(cast, client_for):
    apply(UNITS, PEOPLE)
    job = check(
        UNITS,
        PEOPLE.replace("2,jonas,Jonas,Krogh,jonas@example.org,Produktkonsulent,s,nej\n", ""),
        actor=cast.ada,
    )
    client = client_for(cast.ada)
    page = client.get(reverse("administration:import_job", args=[job.pk])).content.decode()
    assert "Forhåndsvisning" in page  # Danish by default
    assert "Jonas Krogh (jonas)" in page
    assert f'value="{job.fingerprint}"' in page
    assert reverse("administration:import_job_confirm", args=[job.pk]) in page


def test_the_import_runs_only_after_confirmation_and_in_the_worker(cast, client_for):
    client = client_for(cast.ada)
    response = client.post(
        reverse("administration:import"),
        {
            "units_file": SimpleUploadedFile("units.csv", UNITS.encode()),
            "people_file": SimpleUploadedFile("people.csv", PEOPLE.encode()),
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:import_job", args=[job.pk])
    # The files are kept in the database between the check and the import.
    assert (
        job.units_file is not None
        and bytes(job.units_file) == UNITS.encode()
        and job.units_name == "units.csv"
    )
    assert job.status == "queued" and not imported_units()
    import_jobs_run(now=_after(job))
    job.refresh_from_db()
    assert job.status == "preview" and not imported_units()
    # Running the worker again does not import a preview nobody confirmed.
    import_jobs_run(now=_after(job))
    assert not imported_units()

    client.post(
        reverse("administration:import_job_confirm", args=[job.pk]),
        {"fingerprint": job.fingerprint},
    )
    job.refresh_from_db()
    assert job.status == "confirmed" and not imported_units()
    import_jobs_run(now=_after(job))
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert imported_units() == 3 and User.objects.filter(username="mette").exists()


def test_a_confirmation_of_another_preview_is_refused(cast, client_for):
    job = check(UNITS, PEOPLE, actor=cast.ada)
    assert not import_confirm(job=job, actor=cast.ada, fingerprint="f" * 64, now=_after(job))
    job.refresh_from_db()
    assert job.status == "preview"
    # A newer check replaces the older preview: the old one can no longer be confirmed.
    newer = check(UNITS, PEOPLE + "4,nina,Nina,Bang,nina@example.org,,o,\n", actor=cast.ada)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not import_confirm(job=job, actor=cast.ada, fingerprint=job.fingerprint, now=NOW)
    assert newer.status == "preview"


def test_the_import_refuses_if_the_kept_source_no_longer_matches_the_preview(cast):
    job = check(UNITS, PEOPLE, actor=cast.ada)
    ImportJob.objects.filter(pk=job.pk).update(
        people_file=(PEOPLE + "4,nina,Nina,Bang,nina@example.org,,o,\n").encode()
    )
    job = confirm(job, actor=cast.ada)
    assert job.status == "failed" and "changed after the check" in job.error
    assert not imported_units()


def test_the_import_refuses_if_sparring_changed_since_the_preview(cast):
    apply(UNITS, PEOPLE)
    job = check(
        UNITS,
        PEOPLE.replace("3,sara", "3,sara").replace("Controller,o,", "Controller,s,"),
        actor=cast.ada,
    )
    # Someone changes the organisation by hand after the check: the preview is no longer true.
    Unit.objects.filter(external_id="o").update(name="Økonomi og løn")
    job = confirm(job, actor=cast.ada)
    assert job.status == "failed" and "changed after the check" in job.error
    assert Membership.objects.get(user__username="sara").unit.external_id == "o"


def test_the_fingerprint_is_of_the_parsed_source_not_its_bytes():
    one, _ = snapshot_from_csv(units_file=UNITS.encode(), people_file=PEOPLE.encode())
    reordered = UNITS.splitlines()[0] + "\n" + "\n".join(reversed(UNITS.splitlines()[1:])) + "\n"
    two, _ = snapshot_from_csv(units_file=reordered.encode("cp1252"), people_file=PEOPLE.encode())
    three, _ = snapshot_from_csv(
        units_file=UNITS.replace("Økonomi", "Okonomi").encode(), people_file=PEOPLE.encode()
    )
    assert snapshot_fingerprint(one) == snapshot_fingerprint(two)
    assert snapshot_fingerprint(one) != snapshot_fingerprint(three)


# --- Problems ---------------------------------------------------------------------------------


def test_invalid_email_addresses_and_empty_usernames_are_refused(db):
    people = PEOPLE + (
        "4,,Bo,Berg,bo@example.org,,s,\n"
        "5,kim,Kim,Kok,kim@kommune..dk,,s,\n"
        "6,lis,Lis,Lund,lis@,,s,\n"
        "7,per,Per,Ås,per,hansen@example.org,,s,\n"
    )
    snapshot, problems = snapshot_from_csv(units_file=UNITS.encode(), people_file=people.encode())
    problems += snapshot_problems(snapshot)
    text = [str(p) for p in problems]
    assert "people.csv, line 5: The username is empty." in text
    assert any(t.startswith("people.csv, line 6") and "kim@kommune..dk" in t for t in text), text
    assert any(t.startswith("people.csv, line 7") and "lis@" in t for t in text), text


def test_problems_are_listed_by_file_and_line_in_order(db):
    units = UNITS + "x;;k\ny;Ydre;nowhere\n"
    people = PEOPLE + "4,bo,Bo,Berg,not-an-email,,s,\n5,kim,Kim,Kok,kim@example.org,,missing,\n"
    job_problems = []
    snapshot, problems = snapshot_from_csv(units_file=units.encode(), people_file=people.encode())
    from organisation.importing import problems_in_order

    job_problems = [p.where for p in problems_in_order(problems + snapshot_problems(snapshot))]
    assert job_problems == [
        "units.csv, line 5",
        "units.csv, line 6",
        "people.csv, line 5",
        "people.csv, line 6",
    ]


def test_a_job_with_problems_lists_them_in_order_and_changes_nothing(cast):
    people = "id,first_name,email,unit_id\n1,Bo,bad@,s\n2,Kim,kim@example.org,nowhere\n"
    job = check(UNITS + "z;;k\n", people, actor=cast.ada)
    assert job.status == "failed"
    assert [p["where"] for p in job.problems] == [
        "units.csv, line 5",
        "people.csv, line 2",
        "people.csv, line 3",
    ]
    assert not imported_units()


# --- Archiving --------------------------------------------------------------------------------


# --- Jobs: staleness, worker, retention ---------------------------------------------------------


def test_job_staleness_takes_now_as_a_parameter(cast):
    job = ImportJob.objects.create(started_by=cast.ada, status=ImportJob.Status.RUNNING)
    at = job.updated_at
    assert job.is_under_way(now=at) and not job.is_stale(now=at)
    later = at + IMPORT_JOB_STALE_AFTER + timedelta(seconds=1)
    assert job.is_stale(now=later) and not job.is_under_way(now=later)
    assert list(ImportJob.objects.stale(now=later)) == [job]
    assert not ImportJob.objects.under_way(now=later).exists()


def test_the_worker_purges_kept_files_previews_and_problems_after_some_days(cast):
    job = check(UNITS, PEOPLE, actor=cast.ada)
    assert job.plan and job.units_file
    assert import_jobs_purge(now=job.created_at + timedelta(days=13)) == 0
    assert import_jobs_purge(now=job.created_at + timedelta(days=15)) == 1
    job.refresh_from_db()
    assert job.units_file is None and job.people_file is None
    assert job.plan is None and job.problems == []
    assert job.status == "cancelled", "a purged preview can no longer be confirmed"
    assert ImportJob.objects.filter(pk=job.pk).exists(), "the row stays for the record"


def test_the_import_page_and_its_confirmation_are_404_for_non_administrators(cast, client_for):
    job = check(UNITS, PEOPLE, actor=cast.ada)
    for who in (cast.alice, cast.lena, cast.eve):
        client = client_for(who)
        assert client.get(reverse("administration:import")).status_code == 404
        assert client.get(reverse("administration:import_job", args=[job.pk])).status_code == 404
        confirm_url = reverse("administration:import_job_confirm", args=[job.pk])
        assert client.post(confirm_url, {"fingerprint": job.fingerprint}).status_code == 404
    job.refresh_from_db()
    assert job.status == "preview"


def test_polling_announces_a_change_once_in_a_polite_live_region(cast, client_for):
    client = client_for(cast.ada)
    job, _ = import_check_start(
        actor=cast.ada,
        source=ImportJob.Source.CSV,
        now=NOW,
        units_file=UNITS.encode(),
        people_file=PEOPLE.encode(),
    )
    url = reverse("administration:import_job", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'id="import-announcement"' in page and 'aria-live="polite"' in page
    assert page.count('role="status"') == 1, "one live region, not a fresh one every poll"
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="true"' in partial  # first poll: the state is new
    said = job.get_status_display()
    with translation.override("da"):
        said = ImportJob.objects.get(pk=job.pk).get_status_display()
    partial = client.get(
        url, {"announced": str(said)}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "hx-swap-oob" not in partial, "nothing new: the live region is left alone"
