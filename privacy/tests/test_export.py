"""A copy of one's data: asked for on the page, made by the worker kind by kind, downloaded as a
zip that holds everything about the person and nothing of anyone else's, valid against the
published schema, and deleted after a week."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from checkins.models import CheckIn
from core import personal_data
from core.access import Visibility
from feedback.models import Feedback
from organisation.models import Value
from privacy.archive import export_schema
from privacy.exports import export_request, exports_purge, exports_run
from privacy.models import DataExport
from recognition.models import Recognition

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "my-data.schema.json"


def made_for(person, clock, client_for) -> zipfile.ZipFile:
    """Ask for a copy as `person` on the page, let the worker make it, and download it."""
    client = client_for(person)
    assert client.post(reverse("privacy:export")).status_code == 302
    assert exports_run(now=clock.now()) == 1
    response = client.get(reverse("privacy:export_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.fixture
def alices_data(cast):
    """Alice's check-in, feedback bob gave her, and her thanks to bob for a value; bob's private
    check-in, which is none of alice's."""
    CheckIn.objects.create(owner=cast.alice, week="2026-11-30", energy=4, went_well="Workshoppen")
    CheckIn.objects.create(owner=cast.bob, week="2026-11-30", energy=2, is_hard="Bobs hemmelighed")
    feedback = Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well="Godt oplæg")
    feedback.shared_with.add(cast.lena)
    feedback.visibility = Visibility.SHARED
    feedback.save()
    value = Value.objects.order_by("pk")[0]
    thanks = Recognition.objects.create(author=cast.alice, text="Tak for hjælpen")
    thanks.recipients.add(cast.bob)
    thanks.values.add(value)
    return cast


def test_the_copy_holds_every_kind_about_the_person_valid_against_the_schema(
    alices_data, clock, client_for
):
    cast = alices_data
    archive = made_for(cast.alice, clock, client_for)

    data = json.loads(archive.read("data.json"))
    jsonschema.Draft202012Validator(
        json.loads(archive.read("schema.json")), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    assert set(data["kinds"]) == {kind.key for kind in personal_data.all_kinds()}
    assert [row["went_well"] for row in data["kinds"]["checkins"]] == ["Workshoppen"]
    [received] = data["kinds"]["feedback_received"]
    assert (received["giver_id"], received["shared_with"]) == (cast.bob.pk, [cast.lena.pk])
    [given] = data["kinds"]["recognition_given"]
    assert (given["recipients"], len(given["values"])) == ([cast.bob.pk], 1)
    # The people the rows name, by name; her account without its password.
    assert data["people"][str(cast.bob.pk)] == "Bob Bertelsen"
    [account] = data["kinds"]["account"]
    assert account["email"] == "alice@example.org" and "password" not in account
    # A CSV file per kind, for a spreadsheet, and a summary in her language.
    names = set(archive.namelist())
    assert {f"csv/{kind.key}.csv" for kind in personal_data.all_kinds()} <= names
    rows = list(
        csv.reader(io.StringIO(archive.read("csv/checkins.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:3] == ["id", "owner_id", "visibility"] and len(rows) == 2
    summary = archive.read("oversigt.txt").decode()
    assert "Mine data" in summary and "Check-ins: 1" in summary
    assert "Dine trivselssvar er ikke her" in summary


def test_the_copy_holds_nothing_of_anyone_elses(alices_data, clock, client_for):
    cast = alices_data
    archive = made_for(cast.alice, clock, client_for)

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Bobs hemmelighed" not in everything
    data = json.loads(archive.read("data.json"))
    assert [row["owner_id"] for row in data["kinds"]["checkins"]] == [cast.alice.pk]


def test_a_stranger_downloads_nothing_of_another_persons_copy(alices_data, clock, client_for):
    cast = alices_data
    made_for(cast.alice, clock, client_for)

    eve = client_for(cast.eve)
    assert eve.get(reverse("privacy:export_download")).status_code == 404
    page = eve.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:export_download") not in page


def test_the_worker_makes_a_copy_once_and_tells_its_progress(cast, clock):
    export = export_request(person=cast.alice, now=clock.now())
    # Asked again while it waits: the same copy.
    assert export_request(person=cast.alice, now=clock.now()) == export

    assert exports_run(now=clock.now()) == 1
    assert exports_run(now=clock.now()) == 0
    export.refresh_from_db()
    kinds = len(list(personal_data.all_kinds()))
    assert (export.status, export.done, export.total) == (DataExport.Status.DONE, kinds, kinds)
    assert export.archive is not None and export.size == len(export.archive) > 0


def test_a_new_copy_replaces_the_old_one(cast, clock):
    first = export_request(person=cast.alice, now=clock.now())
    exports_run(now=clock.now())
    second = export_request(person=cast.alice, now=clock.advance(timedelta(hours=1)))
    assert second != first
    assert list(DataExport.objects.filter(person=cast.alice)) == [second]


def test_a_copy_whose_worker_died_fails_and_can_be_asked_for_again(cast, clock):
    export = export_request(person=cast.alice, now=clock.now())
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING)

    again = export_request(person=cast.alice, now=clock.advance(timedelta(minutes=11)))

    assert again != export and again.status == DataExport.Status.WAITING


def test_copies_are_deleted_after_a_week(cast, clock):
    export_request(person=cast.alice, now=clock.now())
    exports_run(now=clock.now())

    assert exports_purge(now=clock.advance(timedelta(days=6))) == 0
    assert exports_purge(now=clock.advance(timedelta(days=1, minutes=1))) == 1
    assert not DataExport.objects.exists()


def test_the_published_schema_is_the_one_the_copies_are_made_to():
    """docs/my-data.schema.json is what others read: a change to a kind of personal data must
    change it too (`python manage.py my_data_schema`)."""
    assert json.loads(SCHEMA_FILE.read_text()) == export_schema(), (
        "The schema of a copy of one's data changed: run python manage.py my_data_schema"
    )
    jsonschema.Draft202012Validator.check_schema(export_schema())


def test_the_schema_is_served(cast, client_for):
    response = client_for(cast.alice).get(reverse("privacy:schema"))
    assert response.status_code == 200
    assert response.json() == export_schema()


def test_a_copy_holds_nothing_of_what_another_did_with_ones_words(cast, clock, client_for):
    """bob's feedback to alice: she shared it onward with lena and kept it, which bob does not
    read on his page and does not get in his copy. An activity of alice's plan that lena is
    responsible for is alice's, with alice's reflection on it, and is not in lena's copy."""
    from development.models import Activity, DevelopmentPlan

    feedback = Feedback.objects.create(
        owner=cast.alice, giver=cast.bob, works_well="Godt oplæg", kept=True
    )
    feedback.shared_with.add(cast.lena)
    plan = DevelopmentPlan.objects.create(owner=cast.alice, title="Min plan")
    Activity.objects.create(
        plan=plan, kind="course", title="Kursus", responsible=cast.lena, learned="Alices tanke"
    )

    bobs = json.loads(made_for(cast.bob, clock, client_for).read("data.json"))
    [given] = bobs["kinds"]["feedback_given"]
    assert given["works_well"] == "Godt oplæg"
    assert not {"shared_with", "kept", "visibility"} & set(given)
    assert str(cast.lena.pk) not in bobs["people"]

    lenas = made_for(cast.lena, clock, client_for)
    everything = b"".join(lenas.read(name) for name in lenas.namelist()).decode()
    assert "Alices tanke" not in everything
    alices = json.loads(made_for(cast.alice, clock, client_for).read("data.json"))
    assert [row["learned"] for row in alices["kinds"]["development_activities"]] == ["Alices tanke"]


def test_a_copy_made_while_a_round_is_open_keeps_no_order_of_answering(cast, clock, client_for):
    from pulse.models import Question, Survey
    from pulse.services import round_open
    from pulse.tests.conftest import answer_all

    survey = Survey.objects.create(name="Trivsel", starts_on=clock.today())
    survey.units.set([cast.organisation])
    survey.items.create(question=Question.objects.all()[0], position=0)
    round_ = round_open(survey=survey, opens_at=clock.now() - timedelta(hours=1))
    answer_all(round_, [cast.alice, cast.bob], 4)

    data = json.loads(made_for(cast.bob, clock, client_for).read("data.json"))

    assert data["kinds"]["wellbeing_open_participation"] == [
        {"round_id": round_.pk, "user_id": cast.bob.pk}
    ]


def test_a_copy_holds_the_ratings_of_ones_self_assessments_and_the_goals_of_ones_plans(
    cast, clock, client_for
):
    from development.models import DevelopmentPlan, Goal, Rating, SelfAssessment
    from development.services import framework_current

    framework = framework_current()
    area = framework.areas.order_by("pk")[0]
    for person, note in ((cast.alice, "Alices vurdering"), (cast.bob, "Bobs vurdering")):
        assessment = SelfAssessment.objects.create(
            owner=person, framework=framework, assessed_at=clock.now()
        )
        Rating.objects.create(assessment=assessment, area=area, level=3, note=note)
        plan = DevelopmentPlan.objects.create(owner=person, title="Plan")
        Goal.objects.create(plan=plan, position=1, text=f"Mål for {person.first_name}")

    alices = json.loads(made_for(cast.alice, clock, client_for).read("data.json"))

    assert [row["note"] for row in alices["kinds"]["self_assessment_ratings"]] == [
        "Alices vurdering"
    ]
    assert [row["text"] for row in alices["kinds"]["development_goals"]] == ["Mål for Alice"]
