from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SECRET_KEY="a-real-secret-key-with-enough-entropy-" + "x7Qp!2mZ#9vL$4rT&8wK" * 2,
        ALLOWED_HOSTS="sparring.example.org",
        SPARRING_BASE_URL="https://sparring.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_headers_on_a_page(cast, client_for):
    response = client_for(cast.alice).get("/", secure=True)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_and_http_only(cast, client):
    response = client.post(
        "/login/", {"username": "alice", "password": "correct-horse-battery-staple"}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_SECURE and settings.CSRF_COOKIE_HTTPONLY


def test_pages_have_no_inline_script_or_style(cast, client_for):
    client = client_for(cast.ada)
    for url in ["/", "/notes/", "/teams/", "/administration/", "/login/", "/accessibility/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"inline script on {url}"
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"


def test_options_in_database_url_are_kept():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://u@db.example:5432/sparring?sslmode=verify-full",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "sparring.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "'sslmode': 'verify-full'" in result.stdout, result.stderr
