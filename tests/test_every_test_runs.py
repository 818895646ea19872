"""`pytest` without arguments, as `make test` and CI run it, collects the folders named in
pyproject.toml's `testpaths`: an app's tests left out of that list would never run, and
nothing would say so."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_folder_of_tests_is_collected():
    configured = tomllib.loads((ROOT / "pyproject.toml").read_text())
    collected = set(configured["tool"]["pytest"]["ini_options"]["testpaths"])
    folders = {path.parent.parent.name for path in ROOT.glob("*/tests/test_*.py")}
    folders |= {path.parent.name for path in ROOT.glob("tests/test_*.py")}

    assert folders - collected == set()
