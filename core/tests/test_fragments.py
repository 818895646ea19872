"""The parts of every page rendered once a process (base.html's {% cache %} blocks, the
"fragments" cache): each person still sees their own menu, on the page they are on, in their
language, under the prefix the server is mounted at, and nothing personal is kept."""

from __future__ import annotations

import pickle
import re

import pytest
from django.core.cache import caches
from django.urls import clear_script_prefix, resolve, reverse, set_script_prefix

from core.context_processors import sparring


@pytest.fixture(autouse=True)
def _empty_fragments():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def _current(html: str) -> set[str]:
    """The addresses the main menus mark as the page one is on."""
    return set(re.findall(r'<a href="([^"]+)"\s+class="nav-link"\s+aria-current="page"', html))


def test_the_menu_marks_the_page_one_is_on_each_time_it_is_served(cast, client_for):
    client = client_for(cast.alice)
    for name in ("home:index", "recognition:feed", "home:index", "pulse:index"):
        html = client.get(reverse(name)).content.decode()
        assert _current(html) == {reverse(name)}
        # The desktop menu and the phone's drawer: the same fragment, twice.
        assert html.count('aria-current="page"') == 2


def test_each_role_and_language_gets_its_own_menu(cast, client_for):
    administration = f'href="{reverse("administration:index")}"'
    member, administrator = client_for(cast.alice), client_for(cast.ada)
    for _ in range(2):
        assert administration in administrator.get("/").content.decode()
        assert administration not in member.get("/").content.decode()
    member.get(reverse("accounts:language", args=["en"]))
    assert "My page" in member.get("/").content.decode()
    assert "Min side" in administrator.get("/").content.decode()


def test_nothing_personal_is_kept(cast, client_for):
    for person in (cast.alice, cast.ada):
        client_for(person).get("/")
    kept = [
        pickle.loads(value)  # the test's own cache, filled by the pages above
        for value in caches["fragments"]._cache.values()  # type: ignore[attr-defined]
    ]
    assert kept, "the pages kept no fragment"
    for person in (cast.alice, cast.ada):
        for html in kept:
            assert person.display_name not in html
            assert person.email not in html
    assert not any("csrfmiddlewaretoken" in html for html in kept)


def test_the_menu_under_a_prefix_is_another(cast, rf):
    request = rf.get("/")
    request.user = cast.alice
    request.resolver_match = resolve("/")
    plain = sparring(request)["main_menu_key"]
    set_script_prefix("/sparring/")  # as the server sets it for a request under the prefix
    try:
        prefixed = sparring(request)["main_menu_key"]
    finally:
        clear_script_prefix()
    assert "/sparring/recognition/" in prefixed and "/sparring/" not in plain
