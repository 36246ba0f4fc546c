"""Refresh the insight aggregates: `tillit manage insight_refresh` (the
nightly run: today, the trust pilot's day before again for its late
reports, and the pilot's refresh state of closed months dropped),
`--date YYYY-MM-DD` (that day's night), or `--history 12` (today and the
first day of each of the last 12 months); `--pilot-days 56` also fills the
trust pilot's rows for every one of the last 56 days (after an import of
past visit reports, rosters or absences). Run nightly."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tillit.decisions import services as decision_services
from tillit.insight import aggregates, pilot_aggregates


class Command(BaseCommand):
    help = "Refresh the insight aggregates for a day (default today)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default today)")
        parser.add_argument("--history", type=int, default=0,
                            help="also the first day of each of the last N months")
        parser.add_argument("--pilot-days", type=int, default=0,
                            help="also the trust pilot's rows for each of the last N days")

    def handle(self, *args, **options) -> None:
        try:
            day = (dt.date.fromisoformat(options["date"]) if options["date"]
                   else decision_services.today())
        except ValueError as exc:
            raise CommandError("Datoen må skrives ÅÅÅÅ-MM-DD.") from exc
        if options["history"]:
            n = aggregates.refresh_history(day, options["history"])
            self.stdout.write(f"{n} dager oppdatert.")
        else:
            seconds = aggregates.refresh_night(day)
            self.stdout.write(f"{day}: oppdatert på {seconds:.2f} s.")
        if options["pilot_days"] > 0:
            n = pilot_aggregates.refresh_pilot_range(
                day - dt.timedelta(days=options["pilot_days"] - 1), day)
            self.stdout.write(f"Tillitspiloten: {n} dager oppdatert.")
