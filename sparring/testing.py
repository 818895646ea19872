"""pytest plugin (loaded with -p before Django is set up): the environment tests run in.

Tests run with production settings (DEBUG off). Set here: what a laptop cannot provide, the
password hashes' cost (Argon2 at its least work) and the number of test processes.
"""

import os
import threading
import time
from collections.abc import Generator, Iterator

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only-0123456789abcdefghijklmnop")
# The test servers speak plain HTTP on 127.0.0.1; production sits behind TLS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread, where the ORM is used too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `make clock` runs tests under Debian's faketime with the monotonic clock left real (faked,
# it hangs every timed wait of a thread). libfaketime 0.9.10 then breaks Python 3.11's
# time.sleep, which sleeps until a monotonic deadline, with "Invalid argument"; a timed wait
# on an event sleeps as long and goes through a call faketime leaves alone.
if "faketime" in os.environ.get("LD_PRELOAD", "") and os.environ.get(
    "FAKETIME_DONT_FAKE_MONOTONIC"
):

    def _sleep(seconds: float) -> None:
        threading.Event().wait(seconds)

    time.sleep = _sleep  # type: ignore[assignment]


@pytest.hookimpl(wrapper=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> Generator[None, int, int]:
    """`-n auto`: one test process per core and one more. The browser tests wait on Chromium
    and on pages that poll, and the extra process works in those waits (on 2 cores the SQLite
    run went from 5 min 19 s to 4 min 47 s, the PostgreSQL run from 2 min 16 s to 2 min 5 s).
    PYTEST_XDIST_AUTO_NUM_WORKERS and `-n logical` keep their meaning."""
    workers = yield
    if config.option.numprocesses == "auto" and not os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return workers + 1
    return workers


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2, as production stores passwords, at the least work it allows: production's
    costs (a tenth of a second and 100 MiB a check) are for an attacker with the hashes, and
    the tests log in through the form a few hundred times a run."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    from django.conf import settings
    from django.test import override_settings

    hashers = ["sparring.testing.CheapArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(scope="session", autouse=True)
def static_manifest() -> None:
    """Pages render with the hashed names of the collected static files, which production
    settings require; a fresh clone has not collected them yet, so the first test session
    does, once (the files themselves come from `make install`)."""
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
