"""The JSON API, version 1: a person's content through their personal access token, read
through the same access layer as the pages (`visible_to`, `get_visible_or_404`), written
through the same services. Errors are RFC 9457 problem details; lists are paged by keyset
(`before`, the id of the last item seen). The OpenAPI schema is docs/openapi.json, and a test
fails when the API changes without it (`python manage.py api_schema` writes it)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from pydantic import ConfigDict, model_validator

from api import own, shared
from api.base import (
    ONE_PROBLEMS,
    PROBLEM,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Input,
    PageQuery,
    Problem,
    TokenAuth,
    needs,
    page_of,
    problem,
    visible,
)
from checkins.models import CheckIn, Reflection, current_week
from checkins.services import CheckInError, checkin_write, reflection_save
from learning.models import Entry, EntryKind
from learning.services import EntryText, LearningError, entry_create


class SparringAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Ninja's schema, with each problem answer under the media type it is sent as."""
        found = super().get_openapi_schema(*args, **kwargs)
        for operations in found["paths"].values():
            for operation in operations.values():
                for answer in operation.get("responses", {}).values():
                    content = answer.get("content", {})
                    body = content.get("application/json", {})
                    if body.get("schema", {}).get("$ref", "").endswith("/Problem"):
                        answer["content"] = {PROBLEM: content.pop("application/json")}
        return found


api = SparringAPI(
    title="Sparring",
    version="1",
    description="A person's own content and what is shared with them, through a personal "
    "access token made on the page about one's data. Every read goes through the access "
    "layer: what the person may not read is 404, exactly as what does not exist.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)


# --- Problem details (RFC 9457) -----------------------------------------------------------------


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = problem(request, 401, _("No valid access token"))
    response["WWW-Authenticate"] = 'Bearer realm="sparring"'
    return response


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
    return problem(request, 403, _("The token may not do this"), str(error.message))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:
        # Ninja's words for a body that is not JSON, in the reader's language.
        return problem(request, 400, _("The request's body cannot be read"), str(error.message))
    return problem(request, error.status_code, str(error.message))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(request, 404, _("Not found"))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    where = "; ".join(
        f"{'.'.join(str(part) for part in e.get('loc', ()))}: {e.get('msg', '')}"
        for e in error.errors
    )
    return problem(request, 422, _("The request is not valid"), where)


# --- Check-ins ---------------------------------------------------------------------------------


class CheckInOut(Schema):
    id: int
    owner: int = Field(..., alias="owner_id")
    week: date
    energy: int | None
    went_well: str
    is_hard: str
    priorities: str
    help_needed: str
    visibility: str
    created_at: datetime
    updated_at: datetime


class CheckInPage(Schema):
    items: list[CheckInOut]
    # The `before` of the next page, or null on the last.
    next: int | None


TEXTS = ("went_well", "is_hard", "priorities", "help_needed")


class CheckInIn(Input):
    """A check-in has words in at least one of its four fields."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"pattern": "\\S"}}} for name in TEXTS
            ]
        }
    )

    energy: int | None = Field(None, ge=1, le=5)
    went_well: str = Field("", max_length=2000)
    is_hard: str = Field("", max_length=2000)
    priorities: str = Field("", max_length=2000)
    help_needed: str = Field("", max_length=2000)
    visibility: Literal["private", "leader", "team"] = "private"

    @model_validator(mode="after")
    def _some_words(self) -> CheckInIn:
        if not any(getattr(self, name).strip() for name in TEXTS):
            raise ValueError("write a few words in at least one of " + ", ".join(TEXTS))
        return self


@api.get(
    "/checkins",
    response={200: CheckInPage, **READ_PROBLEMS},
    tags=["check-ins"],
)
def checkins(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The check-ins the person may read (their own and those shared with them), newest
    first."""
    return page_of(CheckIn.objects.visible_to(needs(request, "checkins:read")), page)


@api.get(
    "/checkins/{checkin_id}",
    response={200: CheckInOut, **ONE_PROBLEMS},
    tags=["check-ins"],
)
def checkin(request: HttpRequest, checkin_id: int) -> CheckIn:
    found: CheckIn = visible(request, "checkins:read", CheckIn, checkin_id)
    return found


@api.post(
    "/checkins",
    response={200: CheckInOut, **WRITE_PROBLEMS, 409: Problem},
    tags=["check-ins"],
)
def checkin_this_week(request: HttpRequest, data: CheckInIn) -> Any:
    """Write this week's check-in: made the first time, changed after that. A request the
    person's situation does not allow (shared with a leader they do not have) is 409."""
    person = needs(request, "checkins:write")
    try:
        return checkin_write(owner=person, week=current_week(), **data.dict())
    except CheckInError as error:
        return problem(request, 409, _("The check-in cannot be saved"), str(error))


# --- Reflections ------------------------------------------------------------------------------


class ReflectionOut(Schema):
    id: int
    owner: int = Field(..., alias="owner_id")
    text: str
    theme: str
    value: int | None = Field(..., alias="value_id")
    visibility: str
    created_at: datetime
    updated_at: datetime


class ReflectionPage(Schema):
    items: list[ReflectionOut]
    next: int | None


class ReflectionIn(Input):
    text: str = Field(..., min_length=1, max_length=2000, pattern=r"\S")
    theme: str = Field("", max_length=100)
    visibility: Literal["private", "leader", "team"] = "private"


@api.get(
    "/reflections",
    response={200: ReflectionPage, **READ_PROBLEMS},
    tags=["reflections"],
)
def reflections(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The reflections the person may read, newest first."""
    return page_of(Reflection.objects.visible_to(needs(request, "reflections:read")), page)


@api.get(
    "/reflections/{reflection_id}",
    response={200: ReflectionOut, **ONE_PROBLEMS},
    tags=["reflections"],
)
def reflection(request: HttpRequest, reflection_id: int) -> Reflection:
    found: Reflection = visible(request, "reflections:read", Reflection, reflection_id)
    return found


@api.post(
    "/reflections",
    response={200: ReflectionOut, **WRITE_PROBLEMS},
    tags=["reflections"],
)
def reflection_new(request: HttpRequest, data: ReflectionIn) -> Reflection:
    """Write a new reflection, without a value (the page offers the organisation's values)."""
    person = needs(request, "reflections:write")
    return reflection_save(reflection=Reflection(owner=person), value=None, **data.dict())


# --- Learning entries -------------------------------------------------------------------------


class EntryOut(Schema):
    id: int
    owner: int = Field(..., alias="owner_id")
    kind: str
    title: str
    happened_on: date
    learned: str
    for_others: str
    links: list[Any]
    area_keys: list[str]
    visibility: str
    created_at: datetime
    updated_at: datetime


class EntryPage(Schema):
    items: list[EntryOut]
    next: int | None


@api.get(
    "/learning",
    response={200: EntryPage, **READ_PROBLEMS},
    tags=["learning"],
)
def entries(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The learning entries the person may read (their own, their teams', the whole
    organisation's), newest first."""
    return page_of(Entry.objects.visible_to(needs(request, "learning:read")), page)


@api.get(
    "/learning/{learning_entry_id}",
    response={200: EntryOut, **ONE_PROBLEMS},
    tags=["learning"],
)
def entry(request: HttpRequest, learning_entry_id: int) -> Entry:
    found: Entry = visible(request, "learning:read", Entry, learning_entry_id)
    return found


class EntryIn(Input):
    kind: EntryKind
    title: str = Field(..., min_length=1, max_length=200, pattern=r"\S")
    happened_on: date
    learned: str = Field(..., min_length=1, max_length=4000, pattern=r"\S")
    for_others: str = Field("", max_length=4000)
    links: list[str] = Field([], max_length=20)
    # The keys of the competence framework's focus areas.
    area_keys: list[str] = Field([], max_length=50)
    # Shared with chosen people is done on the page, where the people are picked.
    visibility: Literal["private", "team", "organisation"] = "team"


@api.post(
    "/learning",
    response={200: EntryOut, **WRITE_PROBLEMS},
    tags=["learning"],
)
def entry_new(request: HttpRequest, data: EntryIn) -> Any:
    """Write a new learning entry. What the page would refuse (a date in the future, a focus
    area the framework does not have, an address that is not a web address) is 422, with
    the page's words in `detail`."""
    person = needs(request, "learning:write")
    text = EntryText(**{**data.dict(), "links": "\n".join(data.links)})
    try:
        return entry_create(owner=person, text=text, now=timezone.now())
    except LearningError as error:
        return problem(request, 422, _("The request is not valid"), str(error))


api.add_router("", own.router)
api.add_router("", shared.router)


def schema() -> dict[str, Any]:
    """The OpenAPI schema as docs/openapi.json holds it: in English, for the mount at
    /api/v1/."""
    with translation.override("en"):
        found = api.get_openapi_schema(path_prefix="/api/v1")
    # As JSON has it: response codes are keys, and JSON's keys are strings.
    loaded: dict[str, Any] = json.loads(json.dumps(found))
    return loaded
