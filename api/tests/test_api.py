"""The JSON API and personal access tokens: a token is shown once and kept as a keyed hash,
reads go through the access layer, a read-only token cannot write, errors are problem details,
and the committed OpenAPI schema is the API's."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from api.api import schema
from api.models import Token
from api.tokens import READ, WRITE, scopes_of, token_authenticate, token_create, token_revoke
from checkins.models import CheckIn
from core.access import Visibility

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
CHECKINS = reverse("api:checkins")


def token_for(person, clock, level=WRITE, days=30):
    _token, secret = token_create(
        person=person,
        name="Script",
        scopes=scopes_of({"checkins": level}),
        expires_at=clock.now() + timedelta(days=days),
        now=clock.now(),
    )
    return secret


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_is_kept_only_as_a_keyed_hash_and_works_until_revoked(cast, clock):
    secret = token_for(cast.alice, clock)
    token = Token.objects.get()

    assert secret.startswith(f"spr_{token.lookup}_")
    assert secret[len("spr_") :] not in json.dumps(list(Token.objects.values()), default=str)
    assert token_authenticate(secret, now=clock.now()) == token
    assert token_authenticate(secret[:-1] + "x", now=clock.now()) is None

    token_revoke(token=token, now=clock.now())
    assert token_authenticate(secret, now=clock.now()) is None


def test_a_token_ends_when_it_expires_and_when_its_person_is_deactivated(cast, clock):
    from accounts.services import person_deactivate

    secret = token_for(cast.alice, clock, days=30)
    assert token_authenticate(secret, now=clock.now() + timedelta(days=29)) is not None
    assert token_authenticate(secret, now=clock.now() + timedelta(days=30)) is None

    person_deactivate(actor=None, person=cast.alice, now=clock.now())
    assert token_authenticate(secret, now=clock.now()) is None


def test_last_use_is_written_at_most_once_a_minute(cast, clock):
    secret = token_for(cast.alice, clock)
    token_authenticate(secret, now=clock.now())
    first = Token.objects.get().last_used_at

    token_authenticate(secret, now=clock.now() + timedelta(seconds=59))
    assert Token.objects.get().last_used_at == first
    token_authenticate(secret, now=clock.now() + timedelta(seconds=60))
    assert first is not None
    assert Token.objects.get().last_used_at == first + timedelta(seconds=60)


@pytest.mark.parametrize(
    ("days", "scopes", "name"),
    [(366, ["checkins:read"], "Script"), (0, ["checkins:read"], "Script"), (30, [], "Script"),
     (30, ["checkins:read"], "  ")],
)  # fmt: skip
def test_a_token_is_made_for_at_most_a_year_with_a_name_and_some_access(
    days, scopes, name, cast, clock
):
    from api.tokens import TokenError

    with pytest.raises(TokenError):
        token_create(
            person=cast.alice,
            name=name,
            scopes=scopes,
            expires_at=clock.now() + timedelta(days=days),
            now=clock.now(),
        )
    assert not Token.objects.exists()


def test_the_api_lists_what_the_person_may_read_newest_first_by_keyset(cast, client, clock):
    mine = [
        CheckIn.objects.create(owner=cast.alice, week=f"2026-11-{day:02}", energy=3)
        for day in (9, 16, 23)
    ]
    shared = CheckIn.objects.create(owner=cast.bob, week="2026-11-30", visibility=Visibility.TEAM)
    CheckIn.objects.create(owner=cast.eve, week="2026-11-30")  # eve's, private
    header = bearer(token_for(cast.alice, clock, level=READ))

    first = client.get(CHECKINS, {"limit": 2}, **header).json()
    assert [item["id"] for item in first["items"]] == [shared.pk, mine[2].pk]
    rest = client.get(CHECKINS, {"limit": 2, "before": first["next"]}, **header).json()
    assert [item["id"] for item in rest["items"]] == [mine[1].pk, mine[0].pk]
    assert rest["next"] is None
    assert first["items"][0]["owner"] == cast.bob.pk


def test_someone_elses_private_check_in_is_404_as_if_missing(cast, client, clock):
    private = CheckIn.objects.create(owner=cast.alice, week="2026-11-30")
    header = bearer(token_for(cast.lena, clock))

    hidden = client.get(reverse("api:checkin", args=[private.pk]), **header)
    missing = client.get(reverse("api:checkin", args=[private.pk + 1000]), **header)

    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden["Content-Type"] == "application/problem+json"
    assert hidden.json() == missing.json()


def test_a_read_only_token_cannot_write(cast, client, clock):
    header = bearer(token_for(cast.alice, clock, level=READ))

    response = client.post(
        CHECKINS, {"went_well": "Godt"}, content_type="application/json", **header
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "checkins:write"
    assert not CheckIn.objects.exists()


def test_a_token_that_may_write_writes_this_weeks_check_in(cast, client, clock):
    header = bearer(token_for(cast.alice, clock))
    body = {"went_well": "Workshoppen", "energy": 4, "visibility": "team"}

    made = client.post(CHECKINS, body, content_type="application/json", **header)
    changed = client.post(
        CHECKINS, {"went_well": "Workshoppen gik godt"}, content_type="application/json", **header
    )

    assert (made.status_code, changed.status_code) == (200, 200)
    assert made.json()["id"] == changed.json()["id"]
    checkin = CheckIn.objects.get()
    assert (checkin.owner, checkin.went_well, checkin.week.isoformat()) == (
        cast.alice,
        "Workshoppen gik godt",
        "2026-11-30",
    )


@pytest.mark.parametrize(
    "body",
    [{"energy": 9, "went_well": "x"}, {"visibility": "everyone", "went_well": "x"}, {}],
)
def test_bad_input_is_a_problem_in_danish_and_changes_nothing(body, cast, client, clock):
    header = bearer(token_for(cast.alice, clock))

    response = client.post(CHECKINS, body, content_type="application/json", **header)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] in {
        "Forespørgslen er ikke gyldig",
        "Check-in'et kan ikke gemmes",
    }
    assert not CheckIn.objects.exists()


def test_without_a_valid_token_it_is_401_never_a_login_page(cast, client, clock):
    for header in ({}, bearer("spr_nothing_here"), {"HTTP_AUTHORIZATION": "Basic eDp5"}):
        response = client.get(CHECKINS, **header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="sparring"'
        assert response["Content-Type"] == "application/problem+json"


def test_the_committed_schema_is_the_apis():
    """docs/openapi.json is what others build on: a change to the API must change it too
    (`python manage.py api_schema`)."""
    assert json.loads(SCHEMA_FILE.read_text()) == schema(), (
        "The API changed without its schema: run python manage.py api_schema"
    )


def test_a_person_makes_a_token_sees_it_once_and_revokes_it(cast, client_for, clock):
    client = client_for(cast.alice)
    page = reverse("tokens:list")

    made = client.post(page, {"name": "Kalender", "days": "90", "checkins": "read"})
    secret = made.context["secret"]
    assert secret and secret in made.content.decode()
    assert secret not in client.get(page).content.decode()
    token = Token.objects.get()
    assert (token.name, token.scopes) == ("Kalender", ["checkins:read"])

    # Not hers to revoke: 404 to bob, and the token still works.
    assert client_for(cast.bob).post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert token_authenticate(secret, now=clock.now()) is not None
    client.post(reverse("tokens:revoke", args=[token.pk]))
    assert token_authenticate(secret, now=clock.now()) is None


def test_what_the_persons_situation_does_not_allow_is_a_conflict(cast, client, clock):
    """eve's team has no leader: a check-in shared with her leader cannot be saved."""
    header = bearer(token_for(cast.eve, clock))

    response = client.post(
        CHECKINS,
        {"went_well": "Godt", "visibility": "leader"},
        content_type="application/json",
        **header,
    )

    assert response.status_code == 409
    assert response.json()["title"] == "Check-in'et kan ikke gemmes"
    assert not CheckIn.objects.exists()


def test_administrators_see_how_many_tokens_never_whose(cast, client_for, clock):
    secret = token_for(cast.alice, clock)
    token_for(cast.alice, clock)
    token_for(cast.bob, clock, days=1)
    token_revoke(token=Token.objects.filter(person=cast.bob).get(), now=clock.now())

    page = client_for(cast.ada).get(reverse("api_admin:tokens"))

    assert (page.context["tokens"], page.context["people"], page.context["ended"]) == (2, 1, 1)
    html = page.content.decode()
    assert "Andersen" not in html
    assert secret not in html


def test_reflections_and_learning_are_read_as_the_pages_read_them(cast, client, clock):
    from checkins.models import Reflection
    from learning.models import Entry

    mine = Reflection.objects.create(owner=cast.alice, text="Min egen tanke")
    for_lena = Reflection.objects.create(
        owner=cast.alice, text="Til min leder", visibility=Visibility.LEADER
    )
    learned = Entry.objects.create(
        owner=cast.alice,
        kind="course",
        title="Kursus",
        happened_on="2026-11-20",
        learned="Noget nyt",
        visibility=Visibility.TEAM,
    )
    _token, secret = token_create(
        person=cast.lena,
        name="Læser",
        scopes=scopes_of({"reflections": READ, "learning": READ}),
        expires_at=clock.now() + timedelta(days=30),
        now=clock.now(),
    )
    lena = bearer(secret)

    listed = client.get(reverse("api:reflections"), **lena).json()
    assert [item["id"] for item in listed["items"]] == [for_lena.pk]
    assert client.get(reverse("api:reflection", args=[mine.pk]), **lena).status_code == 404
    assert client.get(reverse("api:entry", args=[learned.pk]), **lena).json()["title"] == "Kursus"
    eve = bearer(token_for(cast.eve, clock))  # check-ins only
    assert client.get(reverse("api:entries"), **eve).status_code == 403


def test_a_token_that_may_write_reflections_writes_one(cast, client, clock):
    from checkins.models import Reflection

    _token, secret = token_create(
        person=cast.alice,
        name="Dagbog",
        scopes=scopes_of({"reflections": WRITE}),
        expires_at=clock.now() + timedelta(days=30),
        now=clock.now(),
    )
    response = client.post(
        reverse("api:reflection_new"),
        {"text": "Hvad jeg lærte i dag", "visibility": "private"},
        content_type="application/json",
        **bearer(secret),
    )

    assert response.status_code == 200
    reflection = Reflection.objects.get()
    assert (reflection.owner, reflection.text) == (cast.alice, "Hvad jeg lærte i dag")


def test_text_with_a_nul_character_is_refused_as_a_form_refuses_it(cast, client, clock):
    """PostgreSQL cannot keep the NUL character in text: refused before it reaches a service,
    on every database alike."""
    response = client.post(
        CHECKINS,
        {"went_well": "Før\x00efter"},
        content_type="application/json",
        **bearer(token_for(cast.alice, clock)),
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not CheckIn.objects.exists()


def test_every_body_the_api_takes_refuses_nul():
    """Each write's body is an `Input`, whose fields refuse the NUL character."""
    from api.api import api
    from api.base import Input

    bodies = [
        (path, field.annotation)
        for _prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for model in operation.models
        if model.__ninja_param_source__ == "body"
        for field in model.model_fields.values()
    ]

    assert len(bodies) >= 8
    assert [path for path, body in bodies if not issubclass(body, Input)] == []
