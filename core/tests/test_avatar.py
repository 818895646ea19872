"""Initials avatars: letters from the name, a colour from the id, hidden from screen readers
(the name is always written beside them)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.templatetags.sparring import AVATAR_COLOURS, avatar, initials


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alice Andersen", "AA"),
        ("Anne Marie Holm", "AH"),
        ("Jens-Ole Ørsted", "JØ"),
        ("Åse", "ÅS"),
        ("bob", "BO"),
        ("  ", "?"),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_the_colour_follows_the_id_not_the_name():
    before = avatar(SimpleNamespace(pk=11, display_name="Alice Andersen"))
    renamed = avatar(SimpleNamespace(pk=11, display_name="Alice Holm"))
    assert f"avatar-{11 % AVATAR_COLOURS}" in before
    assert f"avatar-{11 % AVATAR_COLOURS}" in renamed
    assert 'aria-hidden="true"' in before
    assert ">AA<" in before and ">AH<" in renamed


def test_someone_gone_gets_a_neutral_circle():
    assert "avatar-gone" in avatar(None)


def test_a_name_cannot_inject_markup():
    html = avatar(SimpleNamespace(pk=1, display_name="<b>x</b> <i>y</i>"))
    assert "<b>" not in html and "<i>" not in html
