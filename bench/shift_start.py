"""Benchmark: shift start, when every carer of a district opens the day list.

Runs the production server (gunicorn, `TILLIT_PROFILE=production`) on
PostgreSQL: the one given in `--database-url` (its contents are replaced), or
a throw-away cluster this script starts with initdb and removes at the end.
Builds the demo city with the product's builder at a scale that gives the
largest district at least `--carers` carers (about 0.65 for 300), today's day
shift for that district (its visits dealt out to those carers, one current
plan per team) and a login for each of them. Then, within `--seconds`, each
carer arrives at a random moment and, over HTTP with its own cookies:

    GET /logg-inn/, POST /logg-inn/ (the password login), GET /dagliste/,
    GET /api/v1/daylist, then reports its first visits
    (POST /api/v1/visits/{id}/report) spread over the rest of the window.

A baseline in the same run fetches a static file (WhiteNoise) every half
second. Prints p50 / p95 / p99 / max and errors per kind of request, and for
the carers' requests together. Target: p95 under 500 ms and no error.

    .venv/bin/python bench/shift_start.py                      # 300 carers, 5 minutes
    .venv/bin/python bench/shift_start.py --carers 30 --seconds 20 --scale 0.05
    .venv/bin/python bench/shift_start.py --data light --carers 25 --seconds 20 --errors-only

`--data light` builds one district's day shift directly instead of the demo
city (`bench/shift_start_data.py`: seconds, not minutes); with
`--errors-only` the exit status tells errors only, not the p95 target
(`.ci/run` runs it so on its PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.common import ThrowAwayCluster, free_port  # noqa: E402

VENV_BIN = Path(sys.executable).parent
TARGET_P95_MS = 500.0
PASSWORD = "Vaktstart-benchmark-2026"
REPORTS_PER_CARER = 3
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


# The demo data ----------------------------------------------------------------

def scale_for(carers: int) -> float:
    """The builder's scale that gives the largest district `carers` carers
    (tillit.demo.builder: 15 000 clients at 1.0 shared by population, 2.9
    clients a carer)."""
    from tillit.core import districts
    from tillit.demo.builder import CLIENTS_PER_CARER, OSLO_CLIENTS

    total = sum(d.population_2020 for d in districts.DISTRICTS)
    share = max(d.population_2020 for d in districts.DISTRICTS) / total
    return min(5.0, max(0.05, carers * CLIENTS_PER_CARER / (OSLO_CLIENTS * share) * 1.05))


def build(scale: float, carers: int, seed: int) -> tuple[list[str], int]:
    """The demo city, today's day shift of the largest district dealt out to
    `carers` of its carers, and their logins. Returns (usernames, visits)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from tillit.accounts.models import Role, User
    from tillit.decisions.models import Decision, DecisionVisit
    from tillit.demo.builder import build_demo_city
    from tillit.organisation.models import District, Employee
    from tillit.planning.models import Assignment, Plan, RosterEntry, Visit

    build_demo_city(scale=scale, seed=seed)
    today = timezone.localdate()
    district = (District.objects.annotate(n=Count("employees")).order_by("-n").first())
    # Carers of the district's home care teams (not those who log in as
    # team leaders or planners).
    staff = list(Employee.objects.filter(district=district, sector="health", team__isnull=False)
                 .exclude(competence="").exclude(user__role__in=[r for r in Role.values
                                                                 if r != Role.CARER])
                 .order_by("pk")[:carers])
    password = make_password(PASSWORD)  # one hash for all: setup time, not the benchmark's
    names: list[str] = []
    visits_made = 0
    with transaction.atomic():
        for employee in staff:
            if employee.user_id is None:
                employee.user = User.objects.create(
                    username=f"vakt.{employee.pk}", password=password, role=Role.CARER,
                    district=district, first_name=employee.given_name,
                    last_name=employee.family_name)
                employee.save(update_fields=["user"])
            else:
                User.objects.filter(pk=employee.user_id).update(password=password)
            names.append(employee.user.username)
        by_team: dict[int, list[Employee]] = {}
        for employee in staff:
            by_team.setdefault(employee.team_id, []).append(employee)
        weekday = today.weekday()
        for team_id, team_staff in by_team.items():
            Plan.objects.filter(team_id=team_id, date=today, shift="day").update(is_current=False)
            # The builder plans today already; its visits are dealt out again
            # to the carers with logins (one current plan per team).
            visits = list(Visit.objects.filter(team_id=team_id, date=today, shift="day")
                          .order_by("window_start", "pk"))
            if not visits:
                patterns = [dv for dv in DecisionVisit.objects.filter(
                    decision__client__team_id=team_id, decision__status=Decision.Status.ACTIVE,
                    slot__in=["morning", "midday"]).select_related("decision")
                    if weekday in (dv.weekdays or [])]
                visits = Visit.objects.bulk_create([
                    Visit(team_id=team_id, date=today, shift="day",
                          client_id=dv.decision.client_id, decision_id=dv.decision_id,
                          decision_visit=dv, window_start=dv.window_start,
                          window_end=dv.window_end, minutes=dv.minutes,
                          competence=dv.competence, staff_count=dv.staff_count, tasks=dv.tasks)
                    for dv in sorted(patterns, key=lambda p: (p.window_start, p.pk))])
            plan = Plan.objects.create(team_id=team_id, date=today, shift="day", status="done",
                                       is_current=True)
            RosterEntry.objects.filter(employee__in=team_staff, date=today).delete()
            RosterEntry.objects.bulk_create([
                RosterEntry(employee=e, team_id=team_id, date=today, shift="day",
                            start=dt.time(7), end=dt.time(15)) for e in team_staff])
            Assignment.objects.bulk_create([
                Assignment(plan=plan, visit=v, employee=team_staff[n % len(team_staff)],
                           order=n // len(team_staff)) for n, v in enumerate(visits)])
            visits_made += len(visits)
    return names, visits_made


# The load -------------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    detail: str = ""


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """One carer's phone: its own connection and cookies, behind the
    TLS-terminating proxy (X-Forwarded-Proto: https)."""

    def __init__(self, port: int, results: Results) -> None:
        self.port, self.results = port, results
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, kind: str, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, expect: tuple[int, ...] = (200,)
                ) -> tuple[int, bytes]:
        head = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                "Referer": f"https://127.0.0.1:{self.port}/dagliste/", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            try:
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # a keep-alive connection the server closed: once more
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
            data = response.read()
        except Exception as error:  # noqa: BLE001 (an error of the run, counted)
            self.results.add(Sample(kind, (time.perf_counter() - started) * 1000, False,
                                    f"{type(error).__name__}: {error}"))
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, b""
        ms = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        ok = response.status in expect
        self.results.add(Sample(kind, ms, ok, "" if ok else f"{response.status} {data[:120]!r}"))
        return response.status, data


def carer_session(port: int, username: str, arrive: float, window_end: float,
                  results: Results, rng: random.Random) -> None:
    time.sleep(max(0.0, arrive - time.monotonic()))
    browser = Browser(port, results)
    _status, page = browser.request("login page", "GET", "/logg-inn/")
    token = CSRF_INPUT.search(page.decode(errors="replace"))
    form = urlencode({"username": username, "password": PASSWORD,
                      "csrfmiddlewaretoken": token[1] if token else ""}).encode()
    browser.request("login", "POST", "/logg-inn/", form,
                    {"Content-Type": "application/x-www-form-urlencoded"}, expect=(302,))
    browser.request("day list page", "GET", "/dagliste/")
    status, data = browser.request("day list API", "GET", "/api/v1/daylist")
    visits = json.loads(data)["visits"] if status == 200 else []
    csrf = {"X-CSRFToken": browser.cookies.get("csrftoken", ""),
            "Content-Type": "application/json"}
    for visit in visits[:REPORTS_PER_CARER]:
        left = window_end - time.monotonic()
        time.sleep(max(0.0, min(left, rng.uniform(0, max(0.0, left) / REPORTS_PER_CARER))))
        body = json.dumps({"report_id": str(uuid.uuid4()), "done": True,
                           "time_fit": rng.choice(["fitted", "fitted", "more", "less"])})
        browser.request("report", "POST", f"/api/v1/visits/{visit['id']}/report",
                        body.encode(), csrf)


def baseline(port: int, path: str, until: float, results: Results) -> None:
    browser = Browser(port, results)
    while time.monotonic() < until:
        browser.request("baseline: static file", "GET", path)
        time.sleep(0.5)


def report(results: Results, seconds: float, carers: int) -> bool:
    kinds = sorted({s.kind for s in results.samples}, key=lambda k: (k.startswith("base"), k))
    print(f"{'request':<24}{'n':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}")

    def line(label: str, samples: list[Sample]) -> tuple[float, int]:
        ms = [s.ms for s in samples]
        errors = sum(1 for s in samples if not s.ok)
        print(f"{label:<24}{len(ms):>6}{errors:>8}{percentile(ms, 50):>9.1f}"
              f"{percentile(ms, 95):>9.1f}{percentile(ms, 99):>9.1f}{max(ms):>9.1f}")
        return percentile(ms, 95), errors

    for kind in kinds:
        line(kind, [s for s in results.samples if s.kind == kind])
    carer_samples = [s for s in results.samples if not s.kind.startswith("baseline")]
    p95, errors = line("all carer requests", carer_samples)
    for s in [s for s in results.samples if not s.ok][:10]:
        print(f"  error: {s.kind}: {s.detail}")
    met = p95 < TARGET_P95_MS and errors == 0
    print(f"{carers} carers in {seconds:.0f} s: p95 {p95:.0f} ms, {errors} errors "
          f"(target p95 < {TARGET_P95_MS:.0f} ms and 0 errors: {'met' if met else 'NOT MET'})")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--scale", type=float, default=None,
                        help="demo scale (default: enough for --carers in one district)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL database to fill (its data is replaced)")
    parser.add_argument("--data", choices=["demo", "light"], default="demo",
                        help="demo: the demo city (minutes to build); light: one district's "
                             "day shift made directly (bench/shift_start_data.py, seconds)")
    parser.add_argument("--errors-only", action="store_true",
                        help="exit non-zero on any error only, not on the p95 target (CI)")
    args = parser.parse_args(argv)

    begun = time.perf_counter()
    var = Path(tempfile.mkdtemp(prefix="tillit-bench-var."))
    cluster = None if args.database_url else ThrowAwayCluster()
    server = None
    try:
        database_url = args.database_url or cluster.start()  # type: ignore[union-attr]
        env = {**os.environ, "TILLIT_PROFILE": "production", "DATABASE_URL": database_url,
               "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
               "TILLIT_AUDIT_KEY": secrets.token_urlsafe(48), "TILLIT_VAR_DIR": str(var),
               "DJANGO_SETTINGS_MODULE": "tillit.settings", "TILLIT_DB_CONN_MAX_AGE": "60"}
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"database and static files ready in {time.perf_counter() - begun:.0f} s",
              flush=True)
        started = time.perf_counter()
        if args.data == "light":
            from django.contrib.auth.hashers import make_password

            from bench.shift_start_data import build_light
            from tillit.demo.builder import reset_database

            reset_database()
            shift = build_light(args.carers, make_password(PASSWORD), seed=args.seed)
            names = shift.usernames
            print(f"light day shift built in {time.perf_counter() - started:.0f} s: "
                  f"{len(names)} carers with logins in {len(shift.plan_ids)} teams, "
                  f"{shift.visits} visits, {shift.assigned} on their lists today", flush=True)
        else:
            scale = args.scale or scale_for(args.carers)
            names, visits = build(scale, args.carers, args.seed)
            print(f"demo city at scale {scale:.2f}: built in "
                  f"{time.perf_counter() - started:.0f} s; {len(names)} carers of the largest "
                  f"district with logins, {visits} visits on their lists today", flush=True)
        from django.contrib.staticfiles.storage import staticfiles_storage
        from django.db import connection

        static_path = staticfiles_storage.url("tillit/app.css")
        connection.close()

        port = free_port()
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "tillit.wsgi", "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=str(ROOT))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        results = Results()
        warm = Browser(port, Results())
        for _ in range(args.workers * 2):  # each worker imports its views once
            warm.request("warm-up", "GET", "/logg-inn/")

        rng = random.Random(args.seed)
        start = time.monotonic() + 1
        end = start + args.seconds
        arrivals = sorted(rng.uniform(start, end - min(10.0, args.seconds / 4))
                          for _ in names)
        threads = [threading.Thread(target=carer_session,
                                    args=(port, name, at, end, results,
                                          random.Random(f"{args.seed}-{name}")))
                   for name, at in zip(names, arrivals, strict=True)]
        threads.append(threading.Thread(target=baseline, args=(port, static_path, end, results)))
        print(f"{len(names)} carers arrive over {args.seconds:.0f} s; gunicorn with "
              f"{args.workers} workers on {os.cpu_count()} cores; PostgreSQL")
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        met = report(results, args.seconds, len(names))
        if args.errors_only:
            return 1 if any(not s.ok for s in results.samples) else 0
        return 0 if met else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
