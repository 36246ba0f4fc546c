"""`tillit token USERNAME` prints a new API bearer token for that user.

    tillit token planlegger.sagene              # a new token, printed once
    tillit token --revoke PREFIX                # revoke the token with that prefix
    tillit token --revoke-all planlegger.sagene # revoke every token of a user
    tillit token --list planlegger.sagene       # prefixes, created, last used
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.accounts.models import ApiToken, User
from tillit.accounts.tokens import do_issue_token, do_revoke_tokens


class Command(BaseCommand):
    help = "Print a new API bearer token for a user, or revoke tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="", help="What the token is for.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--revoke", metavar="PREFIX", help="Revoke the token with this prefix.")
        group.add_argument("--revoke-all", action="store_true", help="Revoke all of the user's tokens.")
        group.add_argument("--list", action="store_true", help="List the user's tokens.")

    def _user(self, username: str | None) -> User:
        if not username:
            raise CommandError("Name a user: tillit token USERNAME")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def handle(self, *args: object, **options: object) -> None:
        username = options["username"]
        if options["revoke"]:
            user = self._user(username) if username else None
            count = do_revoke_tokens(user=user, prefix=str(options["revoke"]))
            if not count:
                raise CommandError("No active token with that prefix.")
            self.stdout.write(f"Revoked {count} token(s).")
            return
        user = self._user(username)  # type: ignore[arg-type]
        if options["revoke_all"]:
            count = do_revoke_tokens(user=user)
            self.stdout.write(f"Revoked {count} token(s).")
            return
        if options["list"]:
            for token in ApiToken.objects.filter(user=user):
                state = "revoked" if token.revoked_at else "active"
                last = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(f"{token.prefix}  {state}  created {token.created_at.isoformat()}  last used {last}  {token.name}")
            return
        if not user.is_active:
            raise CommandError(f"{user.username} is not active.")
        _row, token = do_issue_token(user, name=str(options["name"]))
        self.stdout.write(token)
