"""Danish first: every user-facing string in the source has a Danish translation."""

from __future__ import annotations

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
