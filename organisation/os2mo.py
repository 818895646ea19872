"""Reading the organisation from OS2mo's GraphQL API.

The client needs nothing beyond the standard library: a client-credentials token from OS2mo's
Keycloak, then paged GraphQL queries against the version pinned in OS2MO_GRAPHQL_URL (for example
https://os2mo.example.dk/graphql/v22). What it reads becomes an `importing.Snapshot`, which is
checked and applied exactly like the CSV import.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from organisation.importing import (
    LEADER,
    MEMBER,
    PersonIn,
    Problem,
    Progress,
    Snapshot,
    UnitIn,
    no_progress,
    username_for,
)

logger = logging.getLogger(__name__)

TIMEOUT = 60
# Keycloak's tokens live about five minutes and come without a refresh token; fetch a new one a
# little before the old one runs out, so a long import never sends an expired token.
TOKEN_MARGIN = 30
SOURCE = "OS2mo"

ORG_UNITS = """
query OrgUnits($limit: int, $cursor: Cursor) {
  org_units(limit: $limit, cursor: $cursor) {
    objects { current { uuid name user_key parent { uuid } } }
    page_info { next_cursor }
  }
}
"""
ENGAGEMENTS = """
query Engagements($limit: int, $cursor: Cursor) {
  engagements(limit: $limit, cursor: $cursor) {
    objects {
      current {
        uuid
        is_primary
        org_unit { uuid }
        job_function { name }
        person { uuid user_key name given_name surname }
      }
    }
    page_info { next_cursor }
  }
}
"""
MANAGERS = """
query Managers($limit: int, $cursor: Cursor) {
  managers(limit: $limit, cursor: $cursor) {
    objects {
      current {
        uuid
        org_unit { uuid }
        person { uuid user_key name given_name surname }
      }
    }
    page_info { next_cursor }
  }
}
"""
EMAILS = """
query Emails($limit: int, $cursor: Cursor) {
  addresses(limit: $limit, cursor: $cursor, filter: {address_type: {scope: "EMAIL"}}) {
    objects { current { value person { uuid } } }
    page_info { next_cursor }
  }
}
"""


class Os2moError(Exception):
    """OS2mo could not be read. The message is meant for the administrator."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _shown(url: str) -> str:
    """The address without anything secret that may sit in it (user info, query string)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _detail(body: bytes) -> str:
    """The reason in an error answer: Keycloak's error_description, OS2mo's msg, or the text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:200]
    if isinstance(data, dict):
        for name in ("error_description", "msg", "detail", "error", "status"):
            if isinstance(data.get(name), str) and data[name]:
                return str(data[name])[:200]
    return text[:200]


class Os2moClient:
    """Token handling and paged queries. One client serves one import."""

    def __init__(
        self,
        *,
        graphql_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        page_size: int = 500,
        timeout: float = TIMEOUT,
    ) -> None:
        if not graphql_url:
            raise Os2moError(_("OS2mo is not set up: the GraphQL address is missing."))
        if not token_url or not client_id:
            raise Os2moError(_("OS2mo is not set up: the token address or client id is missing."))
        for url in (graphql_url, token_url):
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise Os2moError(
                    _("%(url)s is not an http or https address.") % {"url": _shown(url)}
                )
        self.graphql_url = graphql_url
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.page_size = max(1, page_size)
        self.timeout = timeout
        self._token = ""
        self._token_expires = 0.0

    @classmethod
    def from_settings(cls) -> Os2moClient:
        return cls(
            graphql_url=settings.OS2MO_GRAPHQL_URL,
            token_url=settings.OS2MO_TOKEN_URL,
            client_id=settings.OS2MO_CLIENT_ID,
            client_secret=settings.OS2MO_CLIENT_SECRET,
            page_size=settings.OS2MO_PAGE_SIZE,
        )

    def _post(self, url: str, data: bytes, headers: dict[str, str]) -> Any:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            detail = _detail(error.read())
            raise Os2moError(
                _("%(url)s answered HTTP %(status)d: %(detail)s")
                % {"url": _shown(url), "status": error.code, "detail": detail or error.reason},
                status=error.code,
            ) from error
        except (OSError, http.client.HTTPException) as error:
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            if isinstance(reason, TimeoutError):
                raise Os2moError(
                    _("%(url)s did not answer within %(seconds)d seconds.")
                    % {"url": _shown(url), "seconds": self.timeout}
                ) from error
            raise Os2moError(
                _("Could not reach %(url)s: %(reason)s") % {"url": _shown(url), "reason": reason}
            ) from error
        try:
            return json.loads(body)
        except ValueError as error:
            raise Os2moError(
                _("%(url)s did not answer with JSON.") % {"url": _shown(url)}
            ) from error

    def token(self, *, renew: bool = False) -> str:
        if self._token and not renew and time.monotonic() < self._token_expires:
            return self._token
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        ).encode()
        try:
            answer = self._post(
                self.token_url,
                form,
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            )
        except Os2moError as error:
            if error.status in (400, 401, 403):
                raise Os2moError(
                    _("OS2mo's login refused the client id and secret. %(detail)s")
                    % {"detail": error},
                    status=error.status,
                ) from error
            raise
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise Os2moError(_("OS2mo's login answered without an access token."))
        expires_in = answer.get("expires_in")
        lifetime = expires_in if isinstance(expires_in, int) and expires_in > 0 else 300
        self._token = token
        self._token_expires = time.monotonic() + max(lifetime - TOKEN_MARGIN, 1)
        return token

    def query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The `data` of one GraphQL answer; errors in it become an Os2moError."""
        body = json.dumps({"query": query, "variables": variables}).encode()
        for attempt in (1, 2):
            headers = {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token(renew=attempt == 2)}",
            }
            try:
                answer = self._post(self.graphql_url, body, headers)
                break
            except Os2moError as error:
                # A token can expire between being fetched and being checked: renew it once.
                if error.status == 401 and attempt == 1:
                    continue
                if error.status in (401, 403):
                    raise Os2moError(
                        _("OS2mo refused access. Check that the client may read OS2mo. %(detail)s")
                        % {"detail": error},
                        status=error.status,
                    ) from error
                raise
        if not isinstance(answer, dict):
            raise Os2moError(_("OS2mo's answer is not a GraphQL answer."))
        errors = answer.get("errors")
        if errors:
            messages = [
                str(e.get("message", e)) if isinstance(e, dict) else str(e)
                for e in (errors if isinstance(errors, list) else [errors])
            ]
            raise Os2moError(
                _("OS2mo reported an error: %(message)s") % {"message": "; ".join(messages)}
            )
        data = answer.get("data")
        if not isinstance(data, dict):
            raise Os2moError(_("OS2mo's answer is not a GraphQL answer."))
        return data

    def fetch(self, collection: str, query: str, *, progress: Progress) -> list[dict[str, Any]]:
        """Every object of a collection valid today, page by page until there is no cursor."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        seen: set[str] = set()
        read = 0
        progress(collection, 0, 0)
        while True:
            page = self.query(query, {"limit": self.page_size, "cursor": cursor}).get(collection)
            if not isinstance(page, dict) or not isinstance(page.get("objects"), list):
                raise Os2moError(
                    _("OS2mo's answer holds no %(collection)s.") % {"collection": collection}
                )
            for obj in page["objects"]:
                # Objects whose validity does not cover today have no current value.
                current = obj.get("current") if isinstance(obj, dict) else None
                if isinstance(current, dict):
                    found.append(current)
            read += len(page["objects"])
            progress(collection, read, read)
            cursor = (page.get("page_info") or {}).get("next_cursor")
            if cursor is None:
                return found
            if cursor in seen:
                raise Os2moError(
                    _("OS2mo sent the same page of %(collection)s twice.")
                    % {"collection": collection}
                )
            seen.add(cursor)


# --- From OS2mo's objects to a snapshot -------------------------------------------------------


def _uuids(value: Any) -> list[str]:
    """The uuids of a relation that is a list, a single object or null depending on version."""
    items = value if isinstance(value, list) else [value]
    return [str(item["uuid"]) for item in items if isinstance(item, dict) and item.get("uuid")]


def _objects(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict) and item.get("uuid")]


def _names(person: dict[str, Any]) -> tuple[str, str]:
    first = (person.get("given_name") or "").strip()
    last = (person.get("surname") or "").strip()
    if first or last:
        return first, last
    first, _space, last = (person.get("name") or "").strip().rpartition(" ")
    return (first, last) if first else (last, "")


def os2mo_snapshot(
    *, client: Os2moClient | None = None, progress: Progress = no_progress
) -> tuple[Snapshot, list[Problem]]:
    """Read units, engagements, managers and e-mail addresses valid today. Problems found here
    are about single objects; `snapshot_problems` checks the whole."""
    client = client or Os2moClient.from_settings()
    snapshot, problems = Snapshot(), list[Problem]()

    for unit in client.fetch("org_units", ORG_UNITS, progress=progress):
        key, name = str(unit["uuid"]), (unit.get("name") or "").strip()
        where = _("OS2mo org_unit %(uuid)s") % {"uuid": key}
        if not name:
            problems.append(Problem(where, _("The name is empty.")))
        elif len(name) > 200:
            problems.append(Problem(where, _("The name is longer than 200 characters.")))
        else:
            parents = _uuids(unit.get("parent"))
            snapshot.units[key] = UnitIn(key, name, parents[0] if parents else "", where)

    user_keys: dict[str, str] = {}
    # (not primary, engagement uuid, job title): the primary engagement names the job, and the
    # choice among several is the same on every run.
    jobs: dict[str, list[tuple[bool, str, str]]] = {}

    def person_for(raw: dict[str, Any]) -> PersonIn:
        key = str(raw["uuid"])
        person = snapshot.people.get(key)
        if person is None:
            first, last = _names(raw)
            person = snapshot.people[key] = PersonIn(
                key=key,
                username="",
                first_name=first[:150],
                last_name=last[:150],
                email="",
                job_title="",
                where=_("OS2mo person %(uuid)s") % {"uuid": key},
            )
            user_keys[key] = str(raw.get("user_key") or key)
        return person

    for engagement in client.fetch("engagements", ENGAGEMENTS, progress=progress):
        title = ((engagement.get("job_function") or {}).get("name") or "").strip()
        for raw in _objects(engagement.get("person")):
            person = person_for(raw)
            for unit_key in _uuids(engagement.get("org_unit")):
                person.roles.setdefault(unit_key, MEMBER)
            jobs.setdefault(person.key, []).append(
                (not engagement.get("is_primary"), str(engagement.get("uuid", "")), title[:200])
            )

    for manager in client.fetch("managers", MANAGERS, progress=progress):
        # A vacant manager position has no person.
        for raw in _objects(manager.get("person")):
            person = person_for(raw)
            for unit_key in _uuids(manager.get("org_unit")):
                person.roles[unit_key] = LEADER

    emails: dict[str, list[str]] = {}
    for address in client.fetch("addresses", EMAILS, progress=progress):
        value = (address.get("value") or "").strip()
        for person_key in _uuids(address.get("person")):
            if value and person_key in snapshot.people:
                emails.setdefault(person_key, []).append(value)

    for person in snapshot.people.values():
        # Someone with several addresses gets the same one on every run.
        person.email = min(emails.get(person.key, [""]), key=str.lower)
        person.username = username_for(person.email, user_keys[person.key])
        if person.key in jobs:
            person.job_title = min(jobs[person.key])[2]
    return snapshot, problems
