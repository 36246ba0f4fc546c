"""Benchmark: the insight pages at city scale, on SQLite.

Builds the demo city at the given scale (1.0 = Oslo: about 15 000 home
care clients, their year of applications, assessments, decisions and
reassessments; the demo builder also refreshes the insight aggregates for
today and the first day of each of the last 12 months), then prints p50 and
p95 of each insight page's response time as the analyst, and of refreshing
one day's aggregates. Target: every page and a day's refresh under 1 s at
p95. Baseline in the same run: the equal-help figures computed straight from
the decisions (a full scan, as a page without aggregates would).

The demo city has eight weeks of visit reports for the trust pilot (about
a year's worth is the issue's 12 million at scale 1.0; eight weeks are
built here), which the pilot page and the council report read through the
daily `PilotDay`/`PilotMonth` aggregates.

    .venv/bin/python bench/insight.py [--scale 1.0] [--repeat 15] [--database FILE]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.0
PAGES = [
    ("equal help", "/innsikt/"),
    ("equal help, home nursing, private", "/innsikt/?tjeneste=home-nursing&leverandor=private"),
    ("equal help, export xlsx", "/innsikt/?eksport=bydeler&format=xlsx"),
    ("processing times", "/innsikt/saksbehandlingstid/"),
    ("providers", "/innsikt/leverandorer/"),
    ("span of control", "/innsikt/lederspenn/"),
    ("trust pilot", "/innsikt/tillitspilot/"),
    ("council report (HTML)", "/innsikt/tillitspilot/rapport/"),
    ("API equal-help", "/api/v1/insight/equal-help?service=home-nursing"),
    ("API trust-pilot", "/api/v1/insight/trust-pilot"),
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database", help="a database this script built before: skip the build")
    args = parser.parse_args()

    if args.database:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"
    else:
        tmp = Path(tempfile.mkdtemp(prefix="tillit-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client as Browser

    from tillit.accounts.models import User
    from tillit.clients.models import Client
    from tillit.daylist.models import VisitReport
    from tillit.decisions import services as decision_services
    from tillit.decisions.models import Decision
    from tillit.demo.builder import build_demo_city
    from tillit.insight import aggregates, pilot_aggregates

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # as in production: no query log
    call_command("migrate", verbosity=0)
    if args.database:
        print(f"demo city from {args.database}")
    else:
        started = time.perf_counter()
        build_demo_city(scale=args.scale, seed=args.seed)
        built = time.perf_counter() - started
        print(f"demo city at scale {args.scale} in {os.environ['DATABASE_URL']}: built in "
              f"{built:.1f} s (aggregates for 13 days included)")
    print(f"{Client.objects.count()} clients, {Decision.objects.count()} decisions, "
          f"{VisitReport.objects.count()} visit reports")
    gc.collect()  # the build's garbage is not the pages' cost

    browser = Browser()
    browser.force_login(User.objects.get(username="analytiker"))
    rows: list[tuple[str, float, float, float]] = []

    def measure(name: str, run, times: int) -> None:
        run()  # warm
        wall, cpu = [], []
        for _ in range(times):
            w0, c0 = time.perf_counter(), time.process_time()
            run()
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        rows.append((name, *percentiles(wall), statistics.median(cpu)))

    def page(url: str):
        def run() -> None:
            response = browser.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return run

    for name, url in PAGES:
        measure(f"page: {name}", page(url), args.repeat)
    today = decision_services.today()
    measure("refresh one day's aggregates", lambda: aggregates.refresh_day(today),
            max(5, args.repeat // 2))
    measure("  of which the trust pilot's day and month",
            lambda: (pilot_aggregates.refresh_pilot_day(today),
                     pilot_aggregates.refresh_pilot_month(today)), max(5, args.repeat // 2))
    # Baseline: the equal-help cells straight from the decisions (what a page
    # without aggregates would compute on every view).
    measure("baseline: equal help from a full scan", lambda: aggregates.snapshot_cells(today),
            max(5, args.repeat // 2))

    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()[0]
    print(f"\n(load average {load:.1f} on {os.cpu_count()} cores; CPU s = this process)")
    print(f"{'what':<{width}}  {'p50 s':>7}  {'p95 s':>7}  {'CPU s':>7}  target")
    failed = False
    for name, p50, p95, cpu in rows:
        ok = "" if name.startswith("baseline") else ("ok" if p95 < TARGET_SECONDS else "OVER")
        failed |= ok == "OVER"
        print(f"{name:<{width}}  {p50:7.3f}  {p95:7.3f}  {cpu:7.3f}  {ok}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
