"""API bearer tokens: issued once, stored as SHA-256, revocable.

A token is `tillit_` + 40 URL-safe random characters. Its first 12
characters (the prefix) are stored in clear to name it; the whole token is
shown once, at creation, and never again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from tillit.accounts.models import ApiToken, User

TOKEN_PREFIX = "tillit_"
PREFIX_LENGTH = 12
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_issue_token(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user: the row, and the token in clear (once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(30)
    row = ApiToken.objects.create(
        user=user, prefix=token[:PREFIX_LENGTH], token_hash=hash_token(token), name=name
    )
    return row, token


@transaction.atomic
def do_revoke_tokens(*, user: User | None = None, prefix: str | None = None) -> int:
    """Revoke one token by prefix, or every token of a user."""
    if user is None and not prefix:
        raise ValueError("name a user or a token prefix")
    tokens = ApiToken.objects.filter(revoked_at__isnull=True)
    if user is not None:
        tokens = tokens.filter(user=user)
    if prefix:
        tokens = tokens.filter(prefix=prefix[:PREFIX_LENGTH])
    return tokens.update(revoked_at=timezone.now())


def user_for_token(token: str) -> User | None:
    """The active user a usable token belongs to; records its last use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    row = ApiToken.objects.usable().select_related("user").filter(token_hash=digest).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
