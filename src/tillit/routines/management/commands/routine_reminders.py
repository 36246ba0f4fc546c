"""List the routine answers that are due (deadline passed or within a week),
and with --send e-mail each district manager their district's list (once a
day). Run daily, e.g. from cron: `tillit routine_reminders --send`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tillit.routines import services
from tillit.routines.models import Status


class Command(BaseCommand):
    help = "List due answers to city-wide routines; --send e-mails district managers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=services.REMINDER_DAYS,
                            help="Remind this many days before the deadline (default 7).")
        parser.add_argument("--send", action="store_true", help="Send the e-mails.")

    def handle(self, *args, days: int, send: bool, **options) -> None:
        due = services.due_reminders(within_days=days)
        for ack in due:
            who = ack.unit.name if ack.unit else ack.district.name
            state = Status(ack.status).label if ack.is_acknowledged else "not acknowledged"
            self.stdout.write(f"{ack.version.respond_by:%Y-%m-%d}\t{ack.district.name}\t{who}\t"
                              f"{ack.version.routine.title} v{ack.version.number}\t{state}")
        if send:
            sent = services.do_send_reminders(within_days=days)
            self.stdout.write(f"{len(due)} due answers; {sent} e-mails sent.")
        else:
            self.stdout.write(f"{len(due)} due answers.")
