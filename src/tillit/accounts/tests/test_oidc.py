"""OpenID Connect maps the IdP's username to an existing user, and never
creates users or takes roles from the IdP."""

from __future__ import annotations

import pytest

from tillit.accounts.models import Role, User
from tillit.accounts.oidc import TillitOIDCBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings) -> TillitOIDCBackend:
    settings.OIDC_RP_CLIENT_ID = "tillit"
    settings.OIDC_RP_CLIENT_SECRET = "not-used"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    return TillitOIDCBackend()


def test_known_username_maps_to_the_existing_user(backend, leder_sagene) -> None:
    claims = {"preferred_username": "leder.sagene", "email": "x@example.no",
              "roles": ["system_admin"], "groups": ["admins"]}
    assert list(backend.filter_users_by_claims(claims)) == [leder_sagene]
    updated = backend.update_user(leder_sagene, claims)
    updated.refresh_from_db()
    assert updated.role == Role.DISTRICT_MANAGER and not updated.is_staff


def test_unknown_or_inactive_users_are_refused(backend, leder_sagene, monkeypatch) -> None:
    monkeypatch.setattr(backend, "get_userinfo", lambda *a: {"preferred_username": "ukjent"})
    monkeypatch.setattr(backend, "verify_token", lambda *a, **k: {})
    count = User.objects.count()
    assert backend.get_or_create_user("token", "id-token", {}) is None
    assert User.objects.count() == count
    leder_sagene.is_active = False
    leder_sagene.save()
    monkeypatch.setattr(backend, "get_userinfo", lambda *a: {"preferred_username": "leder.sagene"})
    assert backend.get_or_create_user("token", "id-token", {}) is None


def test_the_claim_is_configurable(backend, settings, leder_sagene) -> None:
    settings.OIDC_USERNAME_CLAIM = "upn"
    assert list(backend.filter_users_by_claims({"upn": "leder.sagene"})) == [leder_sagene]
    assert not backend.filter_users_by_claims({"preferred_username": "leder.sagene"}).exists()


def test_oidc_urls_exist_only_when_enabled() -> None:
    from tillit.accounts.tests.test_authentication import _django

    probe = (
        "from django.urls import reverse; from django.conf import settings; "
        "from django.test import Client; "
        "page = Client().get('/logg-inn/').content.decode(); "
        "print(reverse('oidc_authentication_init'), settings.OIDC_CREATE_USER, "
        "settings.AUTHENTICATION_BACKENDS[-1], 'href=\"/oidc/authenticate/\"' in page)"
    )
    enabled = _django("-c", probe, TILLIT_OIDC_CLIENT_ID="tillit",
                      TILLIT_OIDC_AUTHORIZATION_ENDPOINT="https://idp.example/auth")
    assert enabled.returncode == 0, enabled.stderr
    assert enabled.stdout.split() == [
        "/oidc/authenticate/", "False", "tillit.accounts.oidc.TillitOIDCBackend", "True"
    ]
    disabled = _django("-c", probe)
    assert disabled.returncode != 0 and "NoReverseMatch" in disabled.stderr
