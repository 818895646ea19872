"""Sparring's own stylesheets are well formed: a block left open (a missing `}` after an
`@media print`) silently moves every rule after it into that block, where it never applies on
a screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STYLESHEETS = sorted((Path(__file__).resolve().parents[1] / "static" / "core").glob("*.css"))


@pytest.mark.parametrize("path", STYLESHEETS, ids=[path.name for path in STYLESHEETS])
def test_every_block_is_closed_where_it_should_be(path: Path) -> None:
    text = re.sub(
        r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), path.read_text(), flags=re.S
    )
    text = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', '""', text)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        # A rule that starts at the beginning of a line is at the top level.
        if line[:1] not in ("", " ", "}") and depth:
            pytest.fail(f"{path.name}:{number}: {line!r} starts inside a block left open")
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number}: a }} closes nothing"
    assert depth == 0, f"{path.name}: {depth} block(s) left open at the end"
