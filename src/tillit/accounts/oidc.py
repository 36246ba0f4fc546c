"""OpenID Connect login (optional): the municipality's identity provider
proves who someone is; tillit decides what they may do.

The backend maps the IdP's username claim (`TILLIT_OIDC_USERNAME_CLAIM`,
default `preferred_username`) to an *existing*, active tillit user. It never
creates users and never takes roles, districts or groups from the IdP: roles
are given in tillit by a system administrator.
"""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tillit.accounts.models import User


class TillitOIDCBackend(OIDCAuthenticationBackend):
    def username_claim(self) -> str:
        return getattr(settings, "OIDC_USERNAME_CLAIM", "preferred_username")

    def filter_users_by_claims(self, claims: dict[str, object]):
        username = claims.get(self.username_claim())
        if not isinstance(username, str) or not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=username, is_active=True)

    def verify_claims(self, claims: dict[str, object]) -> bool:
        return isinstance(claims.get(self.username_claim()), str)

    def create_user(self, claims: dict[str, object]) -> User | None:
        """Unknown people get no account: they are refused."""
        return None

    def update_user(self, user: User, claims: dict[str, object]) -> User:
        """Nothing from the IdP changes the tillit user (no roles, no names)."""
        return user
