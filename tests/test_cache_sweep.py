"""Nothing the app renders for a logged-in person may be kept by a cache (PRODUCT.md, privacy
rule 8). Walks every URL pattern the access sweep finds, as the person the URL's objects belong
to (and the administration as an administrator), and checks `Cache-Control: private, no-store`
on whatever comes back: a page, a redirect, a download or a refusal."""

from __future__ import annotations

import pytest

from tests.test_access_sweep import ADMINISTRATION, ROUTES, url_for

# Every URL, asked the same question: on SQLite in CI (`make test-database` leaves it out).
pytestmark = pytest.mark.sweep


def no_store(response) -> bool:
    directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[r[0] for r in ROUTES])
def test_every_url_is_private_no_store_for_a_logged_in_person(name, params, cast, client_for):
    url = url_for(name, params, cast)
    viewer = cast.ada if name.startswith(ADMINISTRATION) else cast.alice
    client = client_for(viewer)
    for method in (client.get, client.post):
        response = method(url)
        assert no_store(response), (
            f"{method.__name__} {url} ({response.status_code}) sent "
            f"Cache-Control: {response.get('Cache-Control')!r}"
        )
