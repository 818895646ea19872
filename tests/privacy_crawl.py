"""What the privacy crawls share (tests/test_conversation_privacy.py,
tests/test_development_privacy.py): the people who must not read alice's private words, every
GET-able page of the project with some of its objects pointed at the test's own, and the text
of a response."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.urls import reverse

from accounts.models import User
from conftest import Cast
from organisation.models import Membership
from tests.test_access_sweep import PUBLIC, ROUTES, alice_objects, api_token

# GET on these would end the viewer's session, and every later page would be the login page.
ENDS_SESSION = ("logout", "oidc_")


def outsiders(cast: Cast) -> dict[str, User]:
    """lena, alice's leader; olga, the leader above; nina, a new leader of alice's team who
    came after what was written; bob, a colleague; ada, the administrator."""
    olga = User.objects.create(username="olga", first_name="Olga", last_name="Overgaard")
    Membership.objects.create(user=olga, unit=cast.organisation, role=Membership.Role.LEADER)
    nina = User.objects.create(username="nina", first_name="Nina", last_name="Nielsen")
    Membership.objects.create(user=nina, unit=cast.team, role=Membership.Role.LEADER)
    return {"lena": cast.lena, "olga": olga, "nina": nina, "bob": cast.bob, "ada": cast.ada}


def every_page(cast: Cast, ours: Mapping[str, Sequence[Any]]) -> list[str]:
    """Every GET-able page of the project (every URL pattern, found by itself, as in the access
    sweep), once for each of `ours` values of a URL parameter, and alice's objects for the
    rest."""
    theirs = alice_objects(cast)
    urls = []
    for name, params in ROUTES:
        if any(part in name for part in ENDS_SESSION) or (name in PUBLIC and params):
            continue
        choices: list[dict[str, Any]] = [{}]
        for param in params:
            values = ours.get(param) or [theirs[param]()]
            choices = [{**kwargs, param: value} for kwargs in choices for value in values]
        urls += [reverse(name, kwargs=kwargs) for kwargs in choices]
    return urls


def words(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def reader(client: Any, person: User) -> Callable[[str], Any]:
    """GET as `person`: a page by their session, the API by a token of theirs that may read
    everything it has."""
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token(person)[1]}"}
    api = reverse("api:api-root")
    return lambda url: client.get(url, **(token if url.startswith(api) else {}))
