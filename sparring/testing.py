"""pytest plugin (loaded with -p before Django is set up): the environment tests run in.

Tests run with production settings (DEBUG off); only what a laptop cannot provide is set here.
"""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only-0123456789abcdefghijklmnop")
# The test servers speak plain HTTP on 127.0.0.1; production sits behind TLS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread, where the ORM is used too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
