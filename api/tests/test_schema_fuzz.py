"""The API against its committed schema, by property-based tests (schemathesis): for every
operation, generated requests (valid ones and ones that break the schema) with a token that
may read and write everything, and none may give a server error or an answer the schema does
not describe. `.ci/run` runs it with the suite, on both databases."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
)

from api.tokens import FULL_ACCESS, scopes_of, token_create
from checkins.models import CheckIn

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

schema = schemathesis.openapi.from_dict(json.loads(SCHEMA_FILE.read_text()))
# Every check of the answers (no server error; status, media type, headers and body as the
# schema says; no answer without a token) but those that judge which requests the API
# accepts: they send the token this test sets on requests generated without one, and call an
# unknown query parameter, which the API ignores, an error.
INPUT_CHECKS = [negative_data_rejection, positive_data_acceptance, missing_required_header]
schema.app = get_wsgi_application()


@pytest.fixture
def header(cast, clock, settings):
    """alice's token, and some check-ins of hers and of others to read."""
    settings.ALLOWED_HOSTS = ["*"]
    CheckIn.objects.create(owner=cast.alice, week="2026-11-23", went_well="Godt")
    CheckIn.objects.create(owner=cast.bob, week="2026-11-23", went_well="Privat")
    _token, secret = token_create(
        person=cast.alice,
        name="Schemathesis",
        scopes=scopes_of(FULL_ACCESS),
        expires_at=clock.now() + timedelta(days=30),
        now=clock.now(),
    )
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, header):
    case.call_and_validate(headers=header, excluded_checks=INPUT_CHECKS)
