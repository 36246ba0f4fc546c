"""API bearer tokens: hashed at rest, shown once, revocable, last use kept."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient

from tillit.accounts.models import ApiToken
from tillit.accounts.tokens import do_issue_token, do_revoke_tokens, user_for_token

pytestmark = pytest.mark.django_db


def test_tokens_are_hashed_at_rest(leder_sagene) -> None:
    row, token = do_issue_token(leder_sagene)
    assert token.startswith("tillit_") and len(token) > 40
    stored = ApiToken.objects.values().get(pk=row.pk)
    assert token not in {str(v) for v in stored.values()}
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored["prefix"])
    assert user_for_token(token) == leder_sagene
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None


def test_revoked_tokens_and_inactive_users_are_refused(leder_sagene, make_client) -> None:
    make_client("sagene")
    row, token = do_issue_token(leder_sagene)
    http = HttpClient()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert http.get("/api/v1/clients", **auth).status_code == 200
    assert do_revoke_tokens(prefix=row.prefix) == 1
    assert http.get("/api/v1/clients", **auth).status_code == 401
    _row, second = do_issue_token(leder_sagene)
    leder_sagene.is_active = False
    leder_sagene.save()
    assert user_for_token(second) is None


def test_token_command_prints_and_revokes(planlegger_sagene) -> None:
    out = StringIO()
    call_command("token", "planlegger.sagene", stdout=out)
    token = out.getvalue().strip()
    assert user_for_token(token) == planlegger_sagene
    listing = StringIO()
    call_command("token", "planlegger.sagene", "--list", stdout=listing)
    assert token[:12] in listing.getvalue() and token not in listing.getvalue()
    call_command("token", "--revoke", token[:12], stdout=StringIO())
    assert user_for_token(token) is None
    call_command("token", "planlegger.sagene", stdout=StringIO())
    call_command("token", "planlegger.sagene", "--revoke-all", stdout=StringIO())
    assert not ApiToken.objects.usable().exists()
    with pytest.raises(CommandError):
        call_command("token", "nobody", stdout=StringIO())
