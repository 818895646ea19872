"""The organisation import in Chromium: an administrator sends two CSV files, watches the
worker check them, reads the preview, and confirms it; every page checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import FilePayload, Page, expect

from accounts.models import User
from organisation.import_jobs import import_jobs_run
from organisation.models import ImportJob, Unit
from tests.browser.conftest import check, follow, login, visit

UNITS = "id;navn;overenhed_id\nk;Kommunen;\ns;Sekretariatet;k\no;Økonomi;k\n"
PEOPLE = (
    "id,username,first_name,last_name,email,job_title,unit_id,leader\n"
    "1,mette,Mette,Holm,mette@example.org,Sekretariatschef,s,ja\n"
    "2,jonas,Jonas,Krogh,jonas@example.org,Produktkonsulent,s,nej\n"
    "3,sara,Sara,Lund,sara@example.org,Controller,o,\n"
)


def work() -> None:
    """One turn of the worker, at the time of the newest job (never the wall clock)."""
    job = ImportJob.objects.latest("updated_at")
    import_jobs_run(now=job.updated_at + timedelta(seconds=1))


@pytest.mark.browser
def test_administrator_checks_previews_and_confirms_an_import(
    page: Page, new_page, live_server, cast
):
    login(page, live_server, cast.ada)
    visit(page, live_server.url + reverse("administration:import"))
    page.locator("#id_units_file").set_input_files(
        files=FilePayload(name="enheder.csv", mimeType="text/csv", buffer=UNITS.encode())
    )
    page.locator("#id_people_file").set_input_files(
        files=FilePayload(name="personer.csv", mimeType="text/csv", buffer=PEOPLE.encode())
    )
    follow(page, lambda: page.get_by_role("button", name="Kontrollér filerne").click())
    job = ImportJob.objects.get()
    expect(page.locator("#import-job")).to_contain_text("Venter på at blive kontrolleret")
    live = page.locator("#import-announcement")
    expect(live).to_have_attribute("aria-live", "polite")

    # The worker checks the files; the page's polling shows the preview.
    work()
    expect(
        page.get_by_role("heading", name="Forhåndsvisning: intet er ændret endnu")
    ).to_be_visible()
    expect(live).to_have_text("Kontrolleret, venter på bekræftelse")
    expect(page.locator("#import-preview-counts")).to_contain_text("Personer, der oprettes")
    expect(page.locator("#preview-people_created")).to_contain_text("Mette Holm (mette)")
    assert not Unit.objects.filter(external_id__gt="").exists()
    check(page)

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, live_server, cast.ada)
    visit(phone, live_server.url + reverse("administration:import_job", args=[job.pk]))

    # Confirming queues the import for the worker; the page follows it to the end.
    follow(page, lambda: page.get_by_role("button", name="Bekræft og importér").click())
    assert ImportJob.objects.get().status == "confirmed"
    work()
    expect(page.get_by_role("heading", name="Importen er færdig")).to_be_visible()
    expect(live).to_have_text("Færdig")
    check(page)
    assert User.objects.filter(username="mette", is_active=True).exists()
    assert Unit.objects.filter(external_id="o", archived_at__isnull=True).exists()
