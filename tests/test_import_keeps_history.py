"""An import across the apps: archiving a unit or deactivating people keeps everything their
teams wrote, and an archived unit is offered nowhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from checkins.models import CheckIn
from feedback.models import Feedback
from home.demo import demo_create
from notifications.forms import ChatWebhookForm
from organisation.forms import PersonForm, UnitForm
from organisation.import_jobs import import_jobs_run
from organisation.models import ImportJob, Membership, Unit
from organisation.tests.test_import_preview import NOW, PEOPLE, UNITS, _after, apply
from pulse.models import Action
from recognition.models import Recognition
from teamwork.models import Goal, HelpRequest, Team


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_unit_that_leaves_the_source_is_archived_with_its_history_kept(cast):
    apply(UNITS, PEOPLE)
    economy = Unit.objects.get(external_id="o")
    sara = User.objects.get(username="sara")
    team = Team.objects.create(unit=economy)
    goal = Goal.objects.create(team=team, title="Budget i balance", owner=sara)
    help_request = HelpRequest.objects.create(asker=sara, unit=economy, text="Hjælp med Excel")
    thanks = Recognition.objects.create(author=sara, text="Tak", unit=economy)
    apply(UNITS.replace("o;Økonomi;k\n", ""), PEOPLE.replace("Controller,o,", "Controller,s,"))
    economy.refresh_from_db()
    assert economy.archived_at == NOW
    for kept in (team, goal, help_request, thanks):
        assert type(kept).objects.filter(pk=kept.pk).exists()
    # Back in the source: in use again.
    apply(UNITS, PEOPLE)
    economy.refresh_from_db()
    assert economy.archived_at is None


def test_archived_units_are_offered_in_no_picker_and_no_navigation(cast, client_for):
    archived = Unit.objects.create(name="Nedlagt afdeling", path="zzzzzz/", archived_at=NOW)
    Membership.objects.create(user=cast.alice, unit=archived)
    for form in (UnitForm(), PersonForm(), ChatWebhookForm()):
        for name, field in form.fields.items():
            queryset: Any = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Unit:
                assert archived not in queryset, (type(form).__name__, name)
    from pulse.forms import SurveyForm
    from recognition.forms import RecognitionForm

    survey_units: Any = SurveyForm(today=NOW.date()).fields["units"]
    assert archived not in survey_units.queryset
    assert str(archived.pk) not in RecognitionForm(person=cast.alice).units
    client = client_for(cast.alice)
    assert "Nedlagt afdeling" not in client.get(reverse("home:teams")).content.decode()
    assert "Nedlagt afdeling" not in client.get(reverse("home:index")).content.decode()
    assert "Nedlagt afdeling" not in client.get(reverse("pulse:index")).content.decode()


def test_deleting_a_unit_with_history_is_refused_and_keeps_it(cast, client_for):
    from organisation.services import OrganisationError, unit_delete

    empty = Unit.objects.create(name="Tom", path="yyyyyy/")
    Team.objects.create(unit=empty, purpose="Noget")
    with pytest.raises(OrganisationError):
        unit_delete(actor=cast.ada, unit=empty)
    assert Unit.objects.filter(pk=empty.pk).exists()


def test_leaving_out_most_of_the_demo_keeps_every_piece_of_history(db, client_for):
    demo_create(size="small", now=NOW)
    admin = User.objects.get(username="admin")
    mette = User.objects.get(username="mette")
    secretariat = Unit.objects.get(name="Sekretariatet")
    # Help requests and goals of a team that is about to leave the source.
    HelpRequest.objects.create(asker=User.objects.get(username="jonas"), unit=secretariat, text="?")
    team, _ = Team.objects.get_or_create(unit=secretariat)
    Goal.objects.create(team=team, title="Færre møder", owner=mette)
    history = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in (CheckIn, Feedback, Recognition, Goal, Action, HelpRequest)
    }
    assert all(history.values()), {m.__name__: len(v) for m, v in history.items()}
    units_before = set(Unit.objects.values_list("pk", flat=True))
    people_before = set(User.objects.filter(is_active=True).values_list("pk", flat=True))

    # Only the top unit and one person are left in the file.
    client = client_for(admin)
    client.post(
        reverse("administration:import"),
        {
            "units_file": SimpleUploadedFile("enheder.csv", b"id;navn;overenhed_id\nos2;OS2;\n"),
            "people_file": SimpleUploadedFile(
                "personer.csv",
                b"id,username,first_name,last_name,email,unit_id,leader\n"
                b"demo-mette,mette,Mette,Holm,mette@example.org,os2,ja\n",
            ),
        },
    )
    job = ImportJob.objects.get()
    import_jobs_run(now=_after(job))
    job.refresh_from_db()
    assert job.status == "preview", (job.error, job.problems)
    page = client.get(reverse("administration:import_job", args=[job.pk])).content.decode()
    assert "Jonas Krogh (jonas)" in page and "Sekretariatet" in page
    assert job.plan is not None
    assert len(job.plan["people_deactivated"]) == 10
    assert len(job.plan["units_archived"]) == 3

    # Nothing changed until confirmed.
    assert set(User.objects.filter(is_active=True).values_list("pk", flat=True)) == people_before
    assert not Unit.objects.filter(archived_at__isnull=False).exists()

    client.post(
        reverse("administration:import_job_confirm", args=[job.pk]),
        {"fingerprint": job.fingerprint},
    )
    import_jobs_run(now=_after(job))
    job.refresh_from_db()
    assert job.status == "done", (job.error, job.problems)
    assert job.result is not None
    assert job.result["units_archived"] == 3 and job.result["people_deactivated"] == 10

    for model, pks in history.items():
        assert set(model.objects.values_list("pk", flat=True)) == pks, model.__name__
    assert set(Unit.objects.values_list("pk", flat=True)) == units_before, "archived, not deleted"
    assert Unit.objects.get(name="Sekretariatet").archived_at is not None
