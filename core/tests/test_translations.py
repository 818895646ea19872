"""Danish first: every user-facing string in the source has a Danish translation."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The project package, every app of ours (a folder with apps.py), the translations.
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
SOURCES = ["sparring", *APPS, "locale", "manage.py"]


def test_every_string_has_a_danish_translation(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {"DEBUG": "true", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=120,
    )
    po = tmp_path / "locale" / "da" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stats.returncode == 0, stats.stderr
    assert "untranslated" not in stats.stderr and "fuzzy" not in stats.stderr, (
        f"{stats.stderr.strip()}: run makemessages -l da and translate the new strings"
    )


# Words docs/glossary.md rules out in the Danish translation, with the word to use instead.
NOT_OUR_WORDS = {
    r"\ben check-in": "et check-in (neuter)",
    r"\btjek-?ind": "check-in",
    # The noun; "du bruger det" (the verb) is fine.
    r"\bbruger(en|e|ne)\b|^bruger$|\ben bruger\b": "medarbejder, or a person's name",
    r"\btrivselsundersøgelse": "trivselsmåling",
    r"\bpulsmåling": "trivselsmåling",
}


def danish_texts() -> list[str]:
    """Every msgstr of the Danish translation, its continued lines joined."""
    texts: list[str] = []
    in_msgstr = False
    po = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            in_msgstr = True
            texts.append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"') and in_msgstr:
            texts[-1] += line.strip('"')
        else:
            in_msgstr = False
    return texts


def test_the_danish_translation_follows_the_glossary():
    texts = danish_texts()
    assert "Kun mig" in texts and "Min side" in texts
    for pattern, instead in NOT_OUR_WORDS.items():
        found = [text for text in texts if re.search(pattern, text, flags=re.IGNORECASE)]
        assert not found, f"use {instead}: {found}"
