from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.forms import PAST_DATE
from teamwork.models import STARTING_AGREEMENTS, AgreementChange, Team, WorkingAgreement
from teamwork.tests.helpers import in_language, speaking, too_long

# Dates in these tests are the frozen clock's (conftest.py), so they pass on any day.
pytestmark = pytest.mark.usefixtures("clock")


def url(name, cast, **kwargs):
    return reverse(f"teamwork:{name}", kwargs={"unit_id": cast.team.pk, **kwargs})


def test_the_team_keeps_its_agreements_with_a_visible_history(cast, client_for):
    alice, bob = client_for(cast.alice), client_for(cast.bob)
    alice.post(url("agreement_new", cast), {"text": "Vi svarer inden for en dag."})
    agreement = WorkingAgreement.objects.get()
    bob.post(
        url("agreement_edit", cast, agreement_id=agreement.pk),
        {"text": "Vi svarer inden for to dage."},
    )
    # Saving without a change leaves no trace in the history.
    bob.post(
        url("agreement_edit", cast, agreement_id=agreement.pk),
        {"text": "Vi svarer inden for to dage."},
    )
    client_for(cast.lena).post(url("agreement_remove", cast, agreement_id=agreement.pk))
    assert not WorkingAgreement.objects.exists()

    changes = list(
        AgreementChange.objects.order_by("at", "pk").values_list(
            "changed_by__username", "action", "old_text", "new_text"
        )
    )
    assert changes == [
        ("alice", "added", "", "Vi svarer inden for en dag."),
        ("bob", "edited", "Vi svarer inden for en dag.", "Vi svarer inden for to dage."),
        ("lena", "removed", "Vi svarer inden for to dage.", ""),
    ]
    html = alice.get(url("agreement_history", cast)).content.decode()
    for text in ("Vi svarer inden for en dag.", "Vi svarer inden for to dage.", "Lena Lund"):
        assert text in html


def test_an_empty_list_starts_from_the_seeds_five_expectations(cast, client_for):
    alice = client_for(cast.alice)
    html = alice.get(url("agreements", cast)).content.decode()
    assert all(text in html for text in STARTING_AGREEMENTS)
    alice.post(url("agreement_templates", cast))
    assert list(WorkingAgreement.objects.values_list("text", flat=True)) == STARTING_AGREEMENTS
    assert AgreementChange.objects.filter(action="added").count() == 5
    # Only once: a team with agreements adds to them one at a time.
    alice.post(url("agreement_templates", cast))
    assert WorkingAgreement.objects.count() == 5
    html = client_for(cast.lena).get(cast.team.get_absolute_url()).content.decode()
    assert STARTING_AGREEMENTS[2] in html


def test_outsiders_may_read_but_not_change(cast, client_for):
    agreement = WorkingAgreement.objects.create(
        team=Team.objects.for_unit(cast.team), text="Vi holder fokustid."
    )
    changes = [
        url("agreement_new", cast),
        url("agreement_edit", cast, agreement_id=agreement.pk),
        url("agreement_remove", cast, agreement_id=agreement.pk),
        url("agreement_templates", cast),
        url("agreement_revisit", cast),
    ]
    # The administrator may open every team page, but is not in the team.
    ada = client_for(cast.ada)
    assert ada.get(url("agreements", cast)).status_code == 200
    for change in changes:
        assert ada.post(change, {"text": "Nej"}).status_code == 404, change
    eve = client_for(cast.eve)
    for page in [url("agreements", cast), url("agreement_history", cast), *changes]:
        statuses = {eve.get(page).status_code, eve.post(page, {"text": "Nej"}).status_code}
        assert 404 in statuses and statuses <= {404, 405}, page
    agreement.refresh_from_db()
    assert agreement.text == "Vi holder fokustid." and not AgreementChange.objects.exists()


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_revisit_date_in_the_past_or_an_overlong_agreement_is_refused(cast, client_for, language):
    client = speaking(client_for(cast.alice), language)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url("agreement_revisit", cast), {"agreements_revisit_on": yesterday})
    assert response.status_code == 200
    assert in_language(PAST_DATE, language) in response.content.decode()
    response = client.post(url("agreement_new", cast), {"text": "x" * 301})
    assert too_long(300, language) in response.content.decode()
    assert not Team.objects.exclude(agreements_revisit_on=None).exists()
    assert not WorkingAgreement.objects.exists()


def test_a_revisit_date_is_saved_and_shown(cast, client_for):
    soon = timezone.localdate() + timedelta(days=30)
    client_for(cast.bob).post(url("agreement_revisit", cast), {"agreements_revisit_on": soon})
    assert Team.objects.get(unit=cast.team).agreements_revisit_on == soon
    assert client_for(cast.alice).get(url("agreements", cast)).status_code == 200
