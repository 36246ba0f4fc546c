"""Security headers and the content security policy, in development and under
the production profile (ASVS 14.4, 3.4)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as HttpClient

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[3]

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parsed = {}
    for part in header.split(";"):
        name, _sep, value = part.strip().partition(" ")
        if name:
            parsed[name] = value.strip()
    return parsed


@pytest.mark.parametrize("path", ["/", "/brukere/", "/api/v1/service-types"])
def test_every_answer_carries_the_policy_and_headers(leder_sagene, path) -> None:
    browser = HttpClient()
    browser.force_login(leder_sagene)
    response = browser.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Person data stays out of shared and browser caches.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_bearer_token_answers_are_not_cached(leder_sagene) -> None:
    from tillit.accounts.tokens import do_issue_token

    _token, secret = do_issue_token(leder_sagene)
    response = HttpClient().get("/api/v1/service-types", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_error_pages_carry_the_policy_too(leder_sagene) -> None:
    browser = HttpClient()
    browser.force_login(leder_sagene)
    response = browser.get("/this-page-does-not-exist/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"]) == EXPECTED_CSP


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# The manifest of collected static files is the deployment's; its absence is not what we test.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
plain = Client().get("/logg-inn/")
secure = Client().get("/logg-inn/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csp": secure.get("Content-Security-Policy", ""),
    "csrf_cookie": {k: str(v) for k, v in secure.cookies["csrftoken"].items()}
        if "csrftoken" in secure.cookies else {},
}))
"""


def test_production_redirects_to_https_and_sends_hsts(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DEBUG", "TILLIT_OIDC_CLIENT_ID"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tillit.settings", PYTHONPATH=str(SRC),
        TILLIT_PROFILE="production", SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver", TILLIT_VAR_DIR=str(tmp_path),
        TILLIT_AUDIT_KEY=secrets.token_hex(32),
    )
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://testserver/logg-inn/")
    assert probe["secure_status"] == 200
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert directives(probe["csp"]) == EXPECTED_CSP
    cookie = probe["csrf_cookie"]
    assert cookie, "the login form sets a CSRF cookie"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
