"""`tillit manage take_staffing_snapshot [--month YYYY-MM]`: store this (or
the given) month's staffing figures for every district."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tillit.staffing.services import do_take_snapshot


class Command(BaseCommand):
    help = "Store the month's needs-based staffing figures for every district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the running month)")

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("month")
        if raw:
            try:
                month = dt.datetime.strptime(str(raw), "%Y-%m").date()
            except ValueError:
                raise CommandError("--month must be YYYY-MM, e.g. 2026-11") from None
        else:
            month = timezone.localdate().replace(day=1)
        try:
            rows = do_take_snapshot(month)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{month:%Y-%m}: {rows} rows")
