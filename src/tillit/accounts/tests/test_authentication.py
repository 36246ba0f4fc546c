"""Login throttling, deployment checks and the production profile."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from tillit.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[3]


def test_the_sixth_wrong_password_locks_even_the_right_one(leder_sagene) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    browser = HttpClient(REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        response = browser.post("/logg-inn/", {"username": "leder.sagene", "password": "wrong"})
        assert "_auth_user_id" not in browser.session
    response = browser.post("/logg-inn/", {"username": "leder.sagene", "password": "wrong"})
    assert response.status_code in {403, 429}
    response = browser.post("/logg-inn/", {"username": "leder.sagene", "password": PASSWORD})
    assert response.status_code in {403, 429}
    assert "_auth_user_id" not in browser.session


def test_the_right_password_logs_in(leder_sagene) -> None:
    browser = HttpClient(REMOTE_ADDR="10.0.0.8")
    browser.post("/logg-inn/", {"username": "leder.sagene", "password": PASSWORD})
    assert browser.session["_auth_user_id"] == str(leder_sagene.pk)


def test_passwords_hash_with_argon2_outside_tests() -> None:
    result = _django("-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])")
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "TILLIT_PROFILE",
                        "DJANGO_SETTINGS_MODULE", "TILLIT_OIDC_CLIENT_ID", "TILLIT_AUDIT_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "tillit.settings", "PYTHONPATH": str(SRC)}, **extra)
    return env


def _django(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = args[1] if args[:1] == ("-c",) else None
    command = (
        [sys.executable, "-c", "import django; django.setup(); " + code]
        if code else [sys.executable, "-m", "django", *args]
    )
    return subprocess.run(command, env=_env(**env), capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production(tmp_path) -> None:
    result = _django(
        "check", "--deploy", "--fail-level", "WARNING",
        TILLIT_PROFILE="production", SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="tillit.oslo.kommune.no", TILLIT_VAR_DIR=str(tmp_path),
        TILLIT_AUDIT_KEY=secrets.token_hex(32),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path) -> None:
    result = _django("check", TILLIT_PROFILE="production", ALLOWED_HOSTS="tillit.oslo.kommune.no",
                     TILLIT_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_access_log_key(tmp_path) -> None:
    result = _django("check", TILLIT_PROFILE="production", SECRET_KEY=secrets.token_urlsafe(64),
                     ALLOWED_HOSTS="tillit.oslo.kommune.no", TILLIT_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "TILLIT_AUDIT_KEY" in result.stderr


def test_security_headers_and_cookies(leder_sagene) -> None:
    browser = HttpClient()
    browser.force_login(leder_sagene)
    response = browser.get("/brukere/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_many_usernames_from_one_address_are_throttled(leder_sagene, settings) -> None:
    """Issue #10, finding 11: one wrong password for each of many usernames."""
    settings.TILLIT_LOGIN_ADDRESS_LIMIT = 8
    attacker = HttpClient(REMOTE_ADDR="10.0.0.66")
    for n in range(8):
        response = attacker.post("/logg-inn/", {"username": f"guess{n}", "password": "wrong"})
        assert response.status_code == 200  # the form again, no lock-out per username
    response = attacker.post("/logg-inn/", {"username": "leder.sagene", "password": PASSWORD})
    assert response.status_code in {403, 429}
    assert "_auth_user_id" not in attacker.session
    # Another address is not affected.
    colleague = HttpClient(REMOTE_ADDR="10.0.0.67")
    colleague.post("/logg-inn/", {"username": "leder.sagene", "password": PASSWORD})
    assert colleague.session["_auth_user_id"] == str(leder_sagene.pk)
