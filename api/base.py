"""What every part of the API shares: the token's authentication and scopes, problem details,
the access layer's 404, and keyset pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Schema
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer
from pydantic import field_validator

from accounts.models import User
from api.models import Token
from api.tokens import token_authenticate
from core.access import get_visible_or_404

PAGE_SIZE = 50
PROBLEM = "application/problem+json"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer spr_...`: the request is its person's, with the token's scopes."""

    def authenticate(self, request: HttpRequest, token: str) -> Token | None:
        found = token_authenticate(token, now=timezone.now())
        if found is not None:
            request.user = found.person
        return found


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""


def problem(request: HttpRequest, status: int, title: str, detail: str = "") -> HttpResponse:
    """An RFC 9457 problem details answer."""
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type=PROBLEM,
    )


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class Input(Schema):
    """What a request's body holds, with text as Django's forms take it: the NUL character,
    which PostgreSQL cannot keep in text, is refused (422) wherever it is."""

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise ValueError("text cannot hold NUL characters")
        return value


class PageQuery(Schema):
    before: int | None = Field(None, ge=1)
    limit: int = Field(PAGE_SIZE, ge=1, le=200)


# The problems each sort of operation may answer with, besides its own.
READ_PROBLEMS: dict[int, Any] = {401: Problem, 403: Problem, 422: Problem}
ONE_PROBLEMS: dict[int, Any] = {**READ_PROBLEMS, 404: Problem}
WRITE_PROBLEMS: dict[int, Any] = {**READ_PROBLEMS, 400: Problem}


def visible(request: HttpRequest, scope: str, rows: Any, pk: int) -> Any:
    """The object of `rows` (a model or a QuerySet of it) if the token has `scope` and its
    person may read it; 404 as if missing."""
    model_or_rows: Any = rows
    if isinstance(rows, type):
        model_or_rows = model_or_rows.objects
    return get_visible_or_404(model_or_rows, needs(request, scope), pk=pk)


def page_of(rows: Any, page: PageQuery) -> dict[str, Any]:
    """One page of `rows`, newest first, after the id `page.before`."""
    rows = rows.order_by("-pk")
    if page.before is not None:
        rows = rows.filter(pk__lt=page.before)
    items = list(rows[: page.limit + 1])
    more = len(items) > page.limit
    items = items[: page.limit]
    return {"items": items, "next": items[-1].pk if more else None}


def needs(request: HttpRequest, scope: str) -> User:
    """The token's person, if the token has `scope`; 403 otherwise."""
    token: Token = request.auth  # type: ignore[attr-defined]
    if not token.allows(scope):
        raise AuthorizationError(message=scope)
    return token.person
