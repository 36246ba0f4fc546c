"""API authentication: a bearer token, or the browser session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from tillit.accounts.tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # The policy layer authenticates before ninja does (tillit.api.api):
        # look the token up once per request.
        known = getattr(request, "tillit_bearer", None)
        if known is not None and known[0] == token:
            user = known[1]
        else:
            user = user_for_token(token)
            request.tillit_bearer = (token, user)
        if user is None:
            return None
        request.user = user  # the policy layer reads request.user
        return user


class Session(SessionAuth):
    """Django's session; CSRF is checked on writes (ninja's default)."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        return user if user.is_authenticated and user.is_active else None
