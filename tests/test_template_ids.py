"""Danish writes 25.000 with a thousands separator, and the templates localise every number
they print (USE_THOUSAND_SEPARATOR). An id printed into an attribute must not be: "reply-1.234"
is no CSS selector for htmx, and a form value of "1.234" names nobody. On PostgreSQL, ids run
past 999 soon, so every id a template prints goes through `unlocalize`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "node_modules", "staticfiles", "test-artifacts"}
# {{ x.pk }}, {{ pk }}, {{ reply.reply_id }}: an id printed as it is. A form field's auto_id
# and an external system's id are text.
PRINTED_ID = re.compile(r"\{\{\s*(?:[\w.]+\.)?(?:pk|(?!auto_|external_)\w+_id)\s*\}\}")


def templates() -> list[Path]:
    return [
        path
        for path in ROOT.glob("*/templates/**/*.html")
        if not SKIP.intersection(path.relative_to(ROOT).parts)
    ]


def test_every_id_a_template_prints_is_unlocalised():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRINTED_ID.search(line)
    ]
    assert templates(), "no templates found"
    assert not found, "print ids with |unlocalize:\n" + "\n".join(found)


def test_the_check_finds_an_id_printed_as_it_is():
    assert PRINTED_ID.search('<div id="reactions-{{ recognition.pk }}">')
    assert PRINTED_ID.search('id="reply-{{ reply.reply_id }}"')
    assert not PRINTED_ID.search('id="reply-{{ reply.reply_id|unlocalize }}"')
    assert not PRINTED_ID.search('for="{{ field.auto_id }}"')
