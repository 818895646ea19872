"""pytest plugin (loaded with -p before Django is set up): the environment tests run in.

Tests run with production settings (DEBUG off); only what a laptop cannot provide is set here.
"""

import os

import pytest

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only-0123456789abcdefghijklmnop")
# The test servers speak plain HTTP on 127.0.0.1; production sits behind TLS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread, where the ORM is used too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def static_manifest() -> None:
    """Pages render with the hashed names of the collected static files, which production
    settings require; a fresh clone has not collected them yet, so the first test session
    does, once (the files themselves come from `make install`)."""
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
