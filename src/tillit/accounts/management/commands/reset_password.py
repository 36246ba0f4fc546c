"""`tillit manage reset_password USERNAME --operator NAME`: a new random
password, printed once. Password resets are done here, on the server, not
in the admin; each is logged (an AccessChange row and the security log)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tillit.accounts.models import User
from tillit.accounts.services import do_reset_password


class Command(BaseCommand):
    help = "Reset a user's password on the server (logged); prints the new password once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--operator", required=True, help="who runs the reset")
        parser.add_argument("--note", default="", help="why (e.g. the ticket number)")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        password = do_reset_password(user=user, operator=options["operator"],
                                     note=options["note"])
        self.stdout.write(f"New password for {user.get_username()}: {password}")
