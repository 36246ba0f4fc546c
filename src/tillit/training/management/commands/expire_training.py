"""Take expired courses' qualifications out of planning. Run daily (cron:
`tillit expire_training`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tillit.training.services import do_expire_completions


class Command(BaseCommand):
    help = "Remove qualifications whose course completion has expired."

    def handle(self, *args, **options) -> None:
        changed = do_expire_completions()
        for employee, removed in changed:
            self.stdout.write(f"{employee.employee_number}\t{employee}\t"
                              f"{', '.join(sorted(removed))}")
        self.stdout.write(f"{len(changed)} employees lost an expired qualification.")
