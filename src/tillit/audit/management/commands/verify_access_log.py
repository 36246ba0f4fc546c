"""`tillit verify_access_log`: check the access log's hash chain.

Exit status 0 when every operation's hash and link hold, 1 when a row was
edited or removed (the first bad operation is named)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from tillit.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain (tamper detection)."

    def handle(self, *args: object, **options: object) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"The access log is intact: {result.checked} operations checked.")
            return
        where = f" at operation {result.first_bad_id}" if result.first_bad_id else ""
        self.stderr.write(
            f"The access log has been tampered with{where}: {result.reason} "
            f"({result.checked} operations verified before it)."
        )
        sys.exit(1)
