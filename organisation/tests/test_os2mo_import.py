"""The import from OS2mo, against a real HTTP server that answers like OS2mo's GraphQL API
(version 22) and its Keycloak token endpoint, with cursor paging over several pages."""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.models import AuditEntry
from organisation.import_jobs import import_jobs_run
from organisation.importing import snapshot_apply, snapshot_problems
from organisation.models import ImportJob, Membership, Unit
from organisation.os2mo import Os2moClient, Os2moError, os2mo_snapshot

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

CLIENT_ID, CLIENT_SECRET = "sparring", "hemmelig-nok"
TOKEN_PATH, GRAPHQL_PATH = "/auth/realms/mo/protocol/openid-connect/token", "/graphql/v22"


def u(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"os2mo/{name}"))


def unit(name: str, parent: str | None) -> dict[str, Any]:
    return {
        "uuid": u(name),
        "current": {
            "uuid": u(name),
            "name": name,
            "user_key": name.upper(),
            "parent": {"uuid": u(parent)} if parent else None,
        },
    }


def person(key: str, given: str, surname: str) -> dict[str, Any]:
    return {
        "uuid": u(key),
        "user_key": key,
        "name": f"{given} {surname}".strip(),
        "given_name": given,
        "surname": surname,
    }


def engagement(key: str, who: dict[str, Any], unit_name: str, job: str, primary: bool = True):
    return {
        "uuid": u(key),
        "current": {
            "uuid": u(key),
            "is_primary": primary,
            "org_unit": [{"uuid": u(unit_name)}],
            "job_function": {"name": job},
            "person": [who],
        },
    }


def manager(key: str, who: dict[str, Any] | None, unit_name: str) -> dict[str, Any]:
    return {
        "uuid": u(key),
        "current": {
            "uuid": u(key),
            "org_unit": [{"uuid": u(unit_name)}],
            # A vacant position has null here, not an empty list.
            "person": [who] if who else None,
        },
    }


def email(value: str, who: str | None = None, unit_name: str | None = None) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, value)),
        "current": {
            "value": value,
            "person": [{"uuid": u(who)}] if who else None,
            "org_unit": [{"uuid": u(unit_name)}] if unit_name else None,
        },
    }


ANNA = person("anna", "Anna", "Larsen")
BO = person("bo", "Bo", "Holm")
CARL = person("carl", "Carl", "Nielsen")
DINA = person("dina", "", "")
DINA["name"] = "Dina Maria Krogh"
LARS = person("lars", "Lars", "Lund")


def organisation() -> dict[str, list[dict[str, Any]]]:
    return {
        "org_units": [
            unit("Kommunen", None),
            unit("Sekretariatet", "Kommunen"),
            unit("Økonomi", "Kommunen"),
            unit("IT", "Sekretariatet"),
            # A unit that closed: it has no value valid today.
            {"uuid": u("Lukket"), "current": None},
        ],
        "engagements": [
            engagement("e-anna", ANNA, "Sekretariatet", "Jurist"),
            engagement("e-anna-2", ANNA, "IT", "Konsulent", primary=False),
            engagement("e-bo", BO, "Økonomi", "Controller"),
            engagement("e-carl", CARL, "IT", "Udvikler"),
            engagement("e-dina", DINA, "Sekretariatet", "Sekretær"),
            engagement("e-lars", LARS, "Sekretariatet", "Sekretariatschef"),
            {"uuid": u("e-old"), "current": None},
        ],
        "managers": [
            manager("m-lars", LARS, "Sekretariatet"),
            manager("m-vacant", None, "IT"),
            manager("m-bo", BO, "Økonomi"),
        ],
        "addresses": [
            email("anna@kommune.dk", "anna"),
            email("bo@kommune.dk", "bo"),
            email("carl.nielsen@kommune.dk", "carl"),
            email("lars@kommune.dk", "lars"),
            email("sekretariatet@kommune.dk", unit_name="Sekretariatet"),
        ],
    }


class FakeOs2mo:
    """OS2mo's token endpoint and GraphQL API, serving `data` in pages."""

    def __init__(self) -> None:
        self.data = organisation()
        self.tokens_issued = 0
        self.valid_tokens: set[str] = set()
        self.errors: list[dict[str, Any]] | None = None
        self.delay = 0.0
        self.pages: dict[str, int] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def settings(self, **changes: Any) -> override_settings:
        values = {
            "OS2MO_GRAPHQL_URL": self.url + GRAPHQL_PATH,
            "OS2MO_TOKEN_URL": self.url + TOKEN_PATH,
            "OS2MO_CLIENT_ID": CLIENT_ID,
            "OS2MO_CLIENT_SECRET": CLIENT_SECRET,
            "OS2MO_PAGE_SIZE": 2,
        }
        return override_settings(**{**values, **changes})

    def remove_person(self, who: dict[str, Any]) -> None:
        for name in ("engagements", "managers"):
            self.data[name] = [
                o
                for o in self.data[name]
                if not (o["current"] and who in (o["current"]["person"] or []))
            ]

    def token(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if form != {
            "grant_type": ["client_credentials"],
            "client_id": [CLIENT_ID],
            "client_secret": [CLIENT_SECRET],
        }:
            return 401, {
                "error": "unauthorized_client",
                "error_description": "Invalid client or Invalid client credentials",
            }
        self.tokens_issued += 1
        token = f"token-{self.tokens_issued}"
        self.valid_tokens.add(token)
        return 200, {"access_token": token, "expires_in": 300, "token_type": "Bearer"}

    def graphql(self, authorization: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if authorization.removeprefix("Bearer ") not in self.valid_tokens:
            return 401, {"status": "Unauthorized", "msg": "Signature verification failed"}
        if self.errors:
            return 200, {"data": None, "errors": self.errors}
        query, variables = payload["query"], payload.get("variables") or {}
        # OS2mo's own scalars: lower-case `int` for the limit, `Cursor` for the cursor.
        assert "$limit: int" in query and "$cursor: Cursor" in query
        collection = re.search(r"{\s*(\w+)\s*\(", query)
        assert collection is not None
        name = collection.group(1)
        if name == "addresses":
            assert 'address_type: {scope: "EMAIL"}' in query
        rows, limit = self.data[name], int(variables["limit"])
        cursor = variables.get("cursor")
        offset = int(base64.b64decode(cursor)) if cursor else 0
        page = rows[offset : offset + limit]
        # Like OS2mo: a full page always has a cursor; the page after the last is empty.
        next_cursor = (
            base64.b64encode(str(offset + limit).encode()).decode() if len(page) == limit else None
        )
        self.pages[name] = self.pages.get(name, 0) + 1
        return 200, {
            "data": {
                name: {"objects": copy.deepcopy(page), "page_info": {"next_cursor": next_cursor}}
            }
        }

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(fake.delay)
                if self.path == TOKEN_PATH:
                    assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
                    status, answer = fake.token(urllib.parse.parse_qs(body.decode()))
                elif self.path == GRAPHQL_PATH:
                    status, answer = fake.graphql(
                        self.headers.get("Authorization", ""), json.loads(body)
                    )
                else:
                    status, answer = 404, {"detail": "Not Found"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in their English source text.
    with translation.override("en"):
        yield


@pytest.fixture
def admin(cast, client_for):
    return english_client(client_for, cast.ada)


def english_client(client_for, user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def os2mo():
    fake = FakeOs2mo()
    fake.thread.start()
    with fake.settings():
        yield fake
    fake.server.shutdown()
    fake.server.server_close()


def run_import():
    snapshot, problems = os2mo_snapshot()
    problems += snapshot_problems(snapshot)
    assert problems == []
    return snapshot_apply(snapshot, actor=None, source="OS2mo", now=NOW)


def work() -> int:
    """One turn of the worker, at a time just after the newest job's last sign of life (the
    test never reads the clock; the jobs' own times come from the requests)."""
    newest = ImportJob.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0]
    return import_jobs_run(now=newest + timedelta(seconds=1))


def confirm_from_output(output: str) -> str:
    found = re.search(r"--confirm ([0-9a-f]{64})", output)
    assert found is not None, output
    return found.group(1)


def state():
    return (
        sorted(Unit.objects.values_list("external_id", "name", "parent__external_id", "path")),
        sorted(
            User.objects.values_list(
                "external_id",
                "username",
                "first_name",
                "last_name",
                "email",
                "job_title",
                "is_active",
            )
        ),
        sorted(Membership.objects.values_list("user__username", "unit__name", "role")),
        AuditEntry.objects.count(),
    )


def test_full_import_builds_the_tree_people_and_leaders(os2mo, db):
    preview = StringIO()
    call_command("import_os2mo", stdout=preview)
    assert not Unit.objects.exists(), "the command alone only previews"
    assert "People created: 5" in preview.getvalue()
    out = StringIO()
    call_command("import_os2mo", "--confirm", confirm_from_output(preview.getvalue()), stdout=out)

    units = {unit.name: unit for unit in Unit.objects.all()}
    assert set(units) == {"Kommunen", "Sekretariatet", "Økonomi", "IT"}
    assert units["Kommunen"].parent is None
    assert units["Sekretariatet"].parent == units["Økonomi"].parent == units["Kommunen"]
    assert units["IT"].parent == units["Sekretariatet"]
    assert units["IT"].external_id == u("IT")
    assert list(Unit.objects.subtree_of(units["Sekretariatet"]).order_by("name")) == [
        units["IT"],
        units["Sekretariatet"],
    ]

    people = {p.external_id: p for p in User.objects.all()}
    assert set(people) == {u(k) for k in ("anna", "bo", "carl", "dina", "lars")}
    anna = people[u("anna")]
    assert (anna.username, anna.first_name, anna.last_name, anna.email, anna.job_title) == (
        "anna@kommune.dk",
        "Anna",
        "Larsen",
        "anna@kommune.dk",
        "Jurist",
    )
    assert people[u("carl")].username == "carl.nielsen@kommune.dk"
    # No e-mail address: the username is OS2mo's user_key; the name is split from `name`.
    dina = people[u("dina")]
    assert (dina.username, dina.email, dina.first_name, dina.last_name) == (
        "dina",
        "",
        "Dina Maria",
        "Krogh",
    )

    assert set(Membership.objects.values_list("user__username", "unit__name", "role")) == {
        ("anna@kommune.dk", "Sekretariatet", "member"),
        ("anna@kommune.dk", "IT", "member"),
        ("bo@kommune.dk", "Økonomi", "leader"),
        ("carl.nielsen@kommune.dk", "IT", "member"),
        ("dina", "Sekretariatet", "member"),
        ("lars@kommune.dk", "Sekretariatet", "leader"),
    }
    # The vacant manager of IT made nobody its leader.
    assert not Membership.objects.filter(unit__name="IT", role="leader").exists()

    # Every collection came in several pages of two.
    assert os2mo.pages == {"org_units": 6, "engagements": 8, "managers": 4, "addresses": 6}
    assert os2mo.tokens_issued == 2
    output = out.getvalue()
    assert "Units: 4 new, 0 changed, 0 retired (archived), 0 back in use." in output
    assert "People: 5 new, 0 changed, 0 deactivated, 0 reactivated." in output
    assert "Reading units from OS2mo: 4" in output  # progress while it reads
    entry = AuditEntry.objects.get(action="organisation.import")
    assert entry.actor is None and entry.summary == "OS2mo"


def test_running_it_again_changes_nothing(os2mo, db):
    run_import()
    before = state()
    again = run_import()
    assert not again.changed_anything
    assert state()[:3] == before[:3]


def test_a_person_gone_from_os2mo_is_deactivated_on_the_next_run(os2mo, db):
    run_import()
    os2mo.remove_person(BO)
    result = run_import()
    bo = User.objects.get(external_id=u("bo"))
    assert not bo.is_active
    assert not bo.memberships.exists()
    assert result.people_deactivated == 1
    assert User.objects.filter(is_active=True).count() == 4


def test_a_change_in_os2mo_reaches_sparring(os2mo, db):
    run_import()
    os2mo.data["org_units"][3]["current"]["parent"] = {"uuid": u("Økonomi")}
    os2mo.data["org_units"][3]["current"]["name"] = "Digitalisering"
    os2mo.data["managers"][1] = manager("m-carl", CARL, "IT")
    result = run_import()
    moved = Unit.objects.get(external_id=u("IT"))
    assert moved.name == "Digitalisering"
    assert moved.parent == Unit.objects.get(name="Økonomi")
    assert Membership.objects.get(user__username="carl.nielsen@kommune.dk").role == "leader"
    assert (result.units_changed, result.memberships_changed) == (1, 1)


def test_check_only_changes_nothing(os2mo, db):
    out = StringIO()
    call_command("import_os2mo", "--check", stdout=out)
    assert "The data is fine: 4 units and 5 people. Nothing was changed." in out.getvalue()
    assert not Unit.objects.exists() and not User.objects.exists()


def test_wrong_client_secret_is_a_clear_error_and_changes_nothing(os2mo, cast):
    before = state()
    with os2mo.settings(OS2MO_CLIENT_SECRET="forkert"):
        with pytest.raises(CommandError, match="refused the client id and secret"):
            call_command("import_os2mo", stdout=StringIO())
        with pytest.raises(Os2moError, match="Invalid client credentials"):
            os2mo_snapshot()
    assert state() == before


def test_a_rejected_token_is_renewed_once_then_a_clear_error(os2mo, db):
    client = Os2moClient.from_settings()
    client.token()
    os2mo.valid_tokens.clear()  # as if it expired early
    snapshot, problems = os2mo_snapshot(client=client)
    assert len(snapshot.units) == 4 and problems == []
    assert os2mo.tokens_issued == 2

    # OS2mo rejects every token: that is said plainly, and nothing is written.
    os2mo.valid_tokens = set()
    os2mo.token = lambda form: (200, {"access_token": "never-valid", "expires_in": 300})
    with pytest.raises(Os2moError, match=r"OS2mo refused access.*HTTP 401.*Signature"):
        os2mo_snapshot()
    assert not Unit.objects.exists()


def test_graphql_errors_are_a_clear_error_and_change_nothing(os2mo, cast):
    before = state()
    os2mo.errors = [
        {
            "message": "User does not have read-access to employee",
            "locations": [{"line": 3, "column": 3}],
            "path": ["engagements"],
        }
    ]
    with pytest.raises(CommandError, match="OS2mo reported an error: User does not have"):
        call_command("import_os2mo", stdout=StringIO())
    assert state() == before


def test_network_errors_and_timeouts_are_clear(os2mo, db):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_address[1]
    closed.server_close()
    with (
        os2mo.settings(OS2MO_TOKEN_URL=f"http://127.0.0.1:{port}{TOKEN_PATH}"),
        pytest.raises(Os2moError, match=f"Could not reach http://127.0.0.1:{port}"),
    ):
        os2mo_snapshot()

    os2mo.delay = 1.0
    client = Os2moClient.from_settings()
    client.timeout = 0.2
    with pytest.raises(Os2moError, match="did not answer within"):
        os2mo_snapshot(client=client)

    with (
        os2mo.settings(OS2MO_GRAPHQL_URL="ftp://example.org/graphql/v22"),
        pytest.raises(Os2moError, match="not an http or https address"),
    ):
        os2mo_snapshot()


def test_a_data_problem_is_listed_and_nothing_changes(os2mo, cast):
    run_import()
    before = state()
    os2mo.remove_person(CARL)  # would be a change, but must not happen
    os2mo.data["engagements"].append(engagement("e-ghost", BO, "Nedlagt", "Controller"))
    err = StringIO()
    with pytest.raises(CommandError, match=r"The data has 1 problem\. Nothing was changed\."):
        call_command("import_os2mo", stdout=StringIO(), stderr=err)
    assert f"OS2mo person {u('bo')}: The unit {u('Nedlagt')} is not in the file." in err.getvalue()
    assert state() == before


# --- The administration page ------------------------------------------------------------------


def test_os2mo_import_shows_a_preview_and_changes_nothing_until_confirmed(os2mo, cast, admin):
    client = admin
    page = client.get(reverse("administration:import"))
    assert 'id="os2mo"' in page.content.decode()

    response = client.post(reverse("administration:import_os2mo"))
    job = ImportJob.objects.get()
    url = reverse("administration:import_job", kwargs={"job_id": job.pk})
    assert response.status_code == 302 and response["Location"] == url
    assert (job.status, job.started_by, job.source) == ("queued", cast.ada, "os2mo")

    # Queued: the partial asks for itself again every second.
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}?announced=' in partial and 'hx-trigger="every 1s"' in partial
    assert "<html" not in partial

    # A second click while it is under way starts nothing new.
    client.post(reverse("administration:import_os2mo"))
    assert ImportJob.objects.count() == 1

    assert work() == 1  # the worker checks it
    job.refresh_from_db()
    assert job.status == "preview" and len(job.fingerprint) == 64
    assert not Unit.objects.filter(external_id__gt="").exists(), "nothing changed yet"
    page = client.get(url).content.decode()
    assert "Preview: nothing has been changed yet" in page
    assert "People created: 5" in page and "Anna Larsen (anna@kommune.dk)" in page
    assert "Units created: 4" in page
    assert "hx-get" not in page, "a preview waits for a person, not a poll"

    # A confirmation of another preview is refused.
    client.post(
        reverse("administration:import_job_confirm", kwargs={"job_id": job.pk}),
        {"fingerprint": "0" * 64},
    )
    job.refresh_from_db()
    assert job.status == "preview"

    client.post(
        reverse("administration:import_job_confirm", kwargs={"job_id": job.pk}),
        {"fingerprint": job.fingerprint},
    )
    job.refresh_from_db()
    assert (job.status, job.confirmed_by) == ("confirmed", cast.ada)
    assert not Unit.objects.filter(external_id__gt="").exists(), "the worker imports"
    assert work() == 1
    job.refresh_from_db()
    assert (job.status, job.problems, job.error) == ("done", [], "")
    assert job.result is not None
    assert job.result["units_created"] == 4 and job.result["people_created"] == 5
    assert AuditEntry.objects.get(action="organisation.import").actor == cast.ada

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in partial and "hx-trigger" not in partial
    assert "The import is done" in partial
    assert "Units: 4 new, 0 changed, 0 retired (archived), 0 back in use." in partial
    assert "People: 5 new, 0 changed, 0 deactivated, 0 reactivated." in partial


def test_os2mo_import_refuses_when_os2mo_changed_after_the_preview(os2mo, cast, admin):
    admin.post(reverse("administration:import_os2mo"))
    work()
    job = ImportJob.objects.get()
    os2mo.remove_person(BO)  # OS2mo changes between the check and the confirmation
    admin.post(
        reverse("administration:import_job_confirm", kwargs={"job_id": job.pk}),
        {"fingerprint": job.fingerprint},
    )
    work()
    job.refresh_from_db()
    assert job.status == "failed" and "changed after the check" in job.error
    assert not Unit.objects.filter(external_id__gt="").exists()
    assert not AuditEntry.objects.filter(action="organisation.import").exists()


def test_a_failed_job_lists_its_problems(os2mo, cast, admin):
    os2mo.data["engagements"].append(engagement("e-ghost", BO, "Nedlagt", "Controller"))
    admin.post(reverse("administration:import_os2mo"))
    work()
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.problems == [
        {
            "where": f"OS2mo person {u('bo')}",
            "message": f"The unit {u('Nedlagt')} is not in the file.",
        }
    ]
    assert not Unit.objects.filter(external_id__gt="").exists()
    url = reverse("administration:import_job", kwargs={"job_id": job.pk})
    partial = admin.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "The data has 1 problem. Nothing was changed." in partial
    assert f"The unit {u('Nedlagt')} is not in the file." in partial

    os2mo.errors = [{"message": "too few items in iterable (expected 1)"}]
    admin.post(reverse("administration:import_os2mo"))
    work()
    job = ImportJob.objects.latest("pk")
    assert job.status == "failed"
    assert job.error == "OS2mo reported an error: too few items in iterable (expected 1)"
    url = reverse("administration:import_job", kwargs={"job_id": job.pk})
    partial = admin.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "The import failed. Nothing was changed." in partial
    assert "too few items in iterable" in partial


def test_a_job_that_died_with_its_process_does_not_block_the_next(os2mo, cast, admin):
    old = ImportJob.objects.create(started_by=cast.ada, status="running")
    ImportJob.objects.filter(pk=old.pk).update(updated_at=old.updated_at.replace(year=2000))
    admin.post(reverse("administration:import_os2mo"))
    old.refresh_from_db()
    assert old.status == "failed" and "without finishing" in old.error
    assert ImportJob.objects.filter(status="queued").count() == 1


def test_the_web_process_starts_no_thread_the_worker_runs_the_job(os2mo, cast, admin, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread.name))
    admin.post(reverse("administration:import_os2mo"))
    monkeypatch.undo()
    assert started == []
    assert ImportJob.objects.get().status == "queued"
    from notifications.scheduler import registered_tasks

    assert "import_jobs" in registered_tasks(), "the worker's tick runs import jobs"


def test_os2mo_section_is_hidden_without_settings(cast, admin):
    with override_settings(OS2MO_GRAPHQL_URL=""):
        client = admin
        assert 'id="os2mo"' not in client.get(reverse("administration:import")).content.decode()
        assert client.post(reverse("administration:import_os2mo")).status_code == 404
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["alice", "eve", "lena"])
def test_non_administrators_get_404(os2mo, cast, client_for, who):
    job = ImportJob.objects.create(started_by=cast.ada)
    client = client_for(getattr(cast, who))
    start = reverse("administration:import_os2mo")
    status = reverse("administration:import_job", kwargs={"job_id": job.pk})
    confirm = reverse("administration:import_job_confirm", kwargs={"job_id": job.pk})
    assert client.post(confirm, {"fingerprint": job.fingerprint}).status_code == 404
    assert client.post(start).status_code == 404
    assert client.get(start).status_code == 404
    assert client.get(status).status_code == 404
    assert client.get(status, headers={"HX-Request": "true"}).status_code == 404
    assert ImportJob.objects.count() == 1


def test_missing_job_is_404_for_the_administrator(cast, admin):
    url = reverse("administration:import_job", kwargs={"job_id": 999})
    assert admin.get(url).status_code == 404
