"""A fast Oslo-scale city for the insight benchmark: a year of home care.

The organisation, staff, clients (synthetic fødselsnummer), logins and the
purchaser office's year of applications, assessments and decisions come
from the product's own demo builder stages. On top of that, written here
in bulk (executemany on SQLite, `COPY` on PostgreSQL, streamed in batches,
never the whole year in memory) into the migrated tables:

- a year of visits from the clients' visiting decisions (each client-day's
  visits in proportion to the decided minutes, scaled to hit the target
  number of reports: 12 million for Oslo, `scale` × `reports_scale` × that)
  and one visit report for each scheduled visit before today;
- a year of day-shift rosters for every carer, sick leave, revision
  proposals, satisfaction surveys, population by age, and two pilot
  districts from half a year ago (more visits "time fitted", smaller carer
  pools, less sick leave there during the pilot).

Every row is synthetic. Then `build_aggregates` fills the daily
aggregates with the product's refresh functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

OSLO_REPORTS = 12_000_000
YEAR = 365
PILOT_DISTRICTS = ("sagene", "ostensjo")
PILOT_DAYS = 182  # the pilot started half a year ago
BATCH = 200_000
SLOTS = (dt.time(8), dt.time(10), dt.time(12), dt.time(14), dt.time(17), dt.time(19),
         dt.time(21))
NOTE = "Syntetiske benchmarkdata."

Progress = Callable[[str], None]


class Writer:
    """Bulk rows into a model's table: the columns given per row, every
    other column its field's default (prepared once)."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.raw = connection.connection

    # values as each database takes them
    def date(self, day: dt.date) -> Any:
        return day if self.pg else day.isoformat()

    def time(self, at: dt.time) -> Any:
        return at if self.pg else at.isoformat()

    def stamp(self, at: dt.datetime) -> Any:
        """An aware datetime (stored in UTC)."""
        if self.pg:
            return at
        return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.pg else value.hex

    def insert(self, model: Any, columns: list[str], rows: Iterable[tuple]) -> int:
        from django.utils import timezone

        now = timezone.now()
        extra_cols, extra = [], []
        for f in model._meta.concrete_fields:
            if f.column in columns or f.attname in columns or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                value = ""  # a blank text column
            extra_cols.append(f.column)
            extra.append(f.get_db_prep_save(value, self.connection))
        names = ", ".join(f'"{c}"' for c in [*columns, *extra_cols])
        table = model._meta.db_table
        consts = tuple(extra)
        total = 0
        for batch in _batches(rows, BATCH):
            if self.pg:
                with self.raw.cursor() as cursor, cursor.copy(
                        f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row(row + consts)  # autocommit, or the caller's atomic
            else:
                marks = ", ".join("?" * (len(columns) + len(consts)))
                cursor = self.raw.cursor()
                own = not self.connection.in_atomic_block  # else the caller's transaction
                if own:
                    cursor.execute("BEGIN")
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                                   (row + consts for row in batch))
                if own:
                    cursor.execute("COMMIT")
            total += len(batch)
        return total

    @contextlib.contextmanager
    def indexes_after(self, *models: Any) -> Iterator[None]:
        """Drop the tables' plain indexes for the load and create them again
        after it, from their own definitions (a sorted build is much faster
        than 12 million inserts into each index)."""
        saved: list[tuple[str, str]] = []
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                if self.pg:
                    cursor.execute(
                        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                        "WHERE c.conindid = x.indexrelid)", [table])
                else:
                    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                   "AND tbl_name = %s AND sql IS NOT NULL", [table])
                saved += cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP INDEX "{name}"')
        # PostgreSQL: no per-row foreign key triggers during the load (as
        # pg_restore --disable-triggers; the rows are made from existing keys)
        replica = self.pg and not self.connection.in_atomic_block and self._superuser()
        if replica:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            if replica:
                with self.connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")
            # in a transaction, PostgreSQL first runs the deferred key checks
            deferred = self.pg and self.connection.in_atomic_block
            with self.connection.cursor() as cursor:
                if deferred:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for _name, sql in saved:
                    cursor.execute(sql)
                if deferred:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _superuser(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            return bool(cursor.fetchone()[0])

    def next_id(self, model: Any) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def reset_sequence(self, model: Any) -> None:
        if not self.pg:
            return  # SQLite's AUTOINCREMENT follows the largest id written
        table = model._meta.db_table
        with self.raw.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))')


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_base(*, scale: float, seed: int, today: dt.date) -> None:
    """Organisation, staff, clients, logins and a year of decisions: the
    product's demo builder stages (no planning, no other modules)."""
    from django.db import connection, transaction

    from tillit.demo.builder import _Builder, _silent

    builder = _Builder(scale, seed, _silent, today, plan_now=False)
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA defer_foreign_keys = ON")
        for stage in (builder.organisation, builder.staff, builder.clients, builder.users):
            stage()
    builder.decisions()  # commits per batch of clients


class _City:
    def __init__(self, seed: int, today: dt.date, reports: int) -> None:
        from tillit.accounts.models import User
        from tillit.organisation.models import District, Employee

        self.rng = random.Random(f"insight-city-{seed}")
        self.today = today
        self.first = today - dt.timedelta(days=YEAR)
        self.pilot_start = today - dt.timedelta(days=PILOT_DAYS)
        self.reports = reports
        self.w = Writer()
        slugs = dict(District.objects.values_list("pk", "slug"))
        self.districts = sorted(slugs)
        self.pilot = {pk for pk, slug in slugs.items() if slug in PILOT_DISTRICTS}
        self.carers: dict[int, list[int]] = defaultdict(list)
        self.team_district: dict[int, int] = {}
        for pk, team, district in (Employee.objects.filter(team__isnull=False, is_leader=False)
                                   .exclude(competence="").order_by("pk")
                                   .values_list("pk", "team_id", "team__district_id")):
            self.carers[team].append(pk)
            self.team_district[team] = district
        self.reporter = {d: pk for pk, d in User.objects.filter(district__isnull=False)
                         .order_by("-pk").values_list("pk", "district_id")}

    def in_pilot(self, district: int, day: dt.date) -> bool:
        return district in self.pilot and day >= self.pilot_start

    # -- visits and reports --------------------------------------------------
    def visiting_decisions(self) -> dict[int, tuple[int, int, list]]:
        """client → (team, district, [(from, to, decision, minutes a day)])."""
        from tillit.decisions.models import Decision

        out: dict[int, tuple[int, int, list]] = {}
        for client, team, district, pk, start, end, minutes in (
                Decision.objects.filter(service_type__has_visits=True,
                                        client__team__isnull=False,
                                        status__in=["active", "superseded", "ended"])
                .order_by("client_id", "pk")
                .values_list("client_id", "client__team_id", "client__district_id", "pk",
                             "valid_from", "valid_to", "weekly_minutes")):
            if team not in self.carers:
                continue
            entry = out.setdefault(client, (team, district, []))
            entry[2].append((max(start, self.first), min(end or self.today, self.today),
                             pk, minutes / 7))
        return out

    def visits_and_reports(self, progress: Progress) -> tuple[int, int]:
        from tillit.daylist.models import VisitReport
        from tillit.planning.models import Visit

        clients = self.visiting_decisions()
        weight = sum(a * ((b - f).days + 1) for _t, _d, spans in clients.values()
                     for f, b, _pk, a in spans if b >= f and f < self.today)
        per_minute = self.reports / 0.97 / max(1.0, weight)  # visits per decided minute
        rng, w = self.rng, self.w
        visit_id, report_id = w.next_id(Visit), w.next_id(VisitReport)
        pools: dict[tuple[int, bool], list[int]] = {}
        tz_base = {}  # day → local midnight (aware)
        from django.utils import timezone

        tz = timezone.get_current_timezone()
        visits_done = reports_done = 0
        visit_cols = ["id", "team_id", "date", "shift", "client_id", "decision_id", "source",
                      "window_start", "window_end", "minutes", "competence", "staff_count",
                      "status", "tasks"]
        report_cols = ["id", "report_id", "visit_id", "client_id", "decision_id", "carer_id",
                       "reported_by_id", "done", "time_fit", "reason", "note", "device_time",
                       "received_at"]
        visits: list[tuple] = []
        reports: list[tuple] = []
        for n in range(YEAR + 1):
            day = self.first + dt.timedelta(days=n)
            past = day < self.today
            midnight = tz_base.setdefault(day, dt.datetime.combine(day, dt.time.min, tz))
            d = w.date(day)
            for client, (team, district, spans) in clients.items():
                minutes, decision = 0.0, None
                for f, b, pk, a in spans:
                    if f <= day <= b:
                        minutes += a
                        decision = pk
                if decision is None:
                    continue
                x = minutes * per_minute
                count = int(x) + (rng.random() < x - int(x))
                if not count:
                    continue
                trust = self.in_pilot(district, day)
                each = min(120, max(10, round(minutes / count)))
                for k in range(count):
                    start = SLOTS[min(len(SLOTS) - 1, k * len(SLOTS) // max(count, 1))]
                    end = dt.time(start.hour + 1, 30)
                    cancelled = rng.random() < 0.02
                    visits.append((visit_id, team, d, "day" if start.hour < 15 else "evening",
                                   client, decision, "decision", w.time(start), w.time(end),
                                   each, "health_worker", 1,
                                   "cancelled" if cancelled else "scheduled", ""))
                    if past and not cancelled and rng.random() > 0.01:
                        pool = pools.get((client, trust))
                        if pool is None:
                            team_carers = self.carers[team]
                            pool = pools[(client, trust)] = rng.sample(
                                team_carers, min(3 if trust else 8, len(team_carers)))
                        done = rng.random() > 0.04
                        fit = ""
                        if done:
                            fitted = 0.8 if trust else 0.63
                            y = rng.random()
                            fit = ("fitted" if y < fitted else
                                   "more" if y < fitted + (1 - fitted) * 0.6 else "less")
                        at = w.stamp(midnight + dt.timedelta(hours=start.hour,
                                                             minutes=each + 5))
                        reports.append((report_id, w.uuid(uuid.UUID(int=rng.getrandbits(128))),
                                        visit_id, client, decision, rng.choice(pool),
                                        self.reporter[district], done, fit,
                                        "" if done else "not_home", NOTE, at, at))
                        report_id += 1
                    visit_id += 1
            if len(visits) >= BATCH or n == YEAR:
                visits_done += w.insert(Visit, visit_cols, visits)
                reports_done += w.insert(VisitReport, report_cols, reports)
                visits, reports = [], []
            if n % 30 == 0 or n == YEAR:
                progress(f"  visits up to {day}: {visits_done} visits, {reports_done} reports")
        w.reset_sequence(Visit)
        w.reset_sequence(VisitReport)
        return visits_done, reports_done

    # -- rosters, sick leave -------------------------------------------------
    def rosters(self) -> int:
        from tillit.planning.models import RosterEntry

        w = self.w
        start, end = w.time(dt.time(7, 30)), w.time(dt.time(15, 30))

        def rows() -> Iterator[tuple]:
            for n in range(YEAR + 1):
                day = self.first + dt.timedelta(days=n)
                d = w.date(day)
                for team, carers in self.carers.items():
                    for employee in carers:
                        if (employee + n) % 7 < 5:  # five days a week, staggered
                            yield (employee, team, d, "day", start, end)

        total = w.insert(RosterEntry, ["employee_id", "team_id", "date", "shift", "start", "end"],
                         rows())
        w.reset_sequence(RosterEntry)
        return total

    def absences(self) -> int:
        from tillit.planning.models import Absence

        rows = []
        for team, carers in self.carers.items():
            district = self.team_district[team]
            for employee in carers:
                day = self.first
                while day < self.today:
                    odds = 0.008 if self.in_pilot(district, day) else 0.012
                    if self.rng.random() < odds:
                        length = self.rng.randint(1, 8)
                        rows.append(Absence(employee_id=employee, kind=Absence.Kind.SICK,
                                            first_day=day,
                                            last_day=day + dt.timedelta(days=length - 1),
                                            note=NOTE))
                        day += dt.timedelta(days=length + 1)
                    else:
                        day += dt.timedelta(days=1)
        Absence.objects.bulk_create(rows, batch_size=5000)
        return len(rows)

    # -- proposals, surveys, pilot sites, population ---------------------------
    def proposals(self, per_day: float) -> int:
        from tillit.daylist.models import RevisionProposal
        from tillit.decisions.models import Decision

        decisions = list(Decision.objects.filter(status="active", service_type__has_visits=True)
                         .values_list("pk", "client__district_id"))
        w, rng = self.w, self.rng
        from django.utils import timezone

        tz = timezone.get_current_timezone()

        open_ones: set[tuple[int, str]] = set()  # one open proposal per decision and direction

        def rows() -> Iterator[tuple]:
            for n in range(YEAR):
                day = self.first + dt.timedelta(days=n)
                for _ in range(int(per_day) + (rng.random() < per_day % 1)):
                    decision, district = rng.choice(decisions)
                    trust = self.in_pilot(district, day)
                    direction = rng.choice(("increase", "reduce") if trust
                                           else ("increase", "increase", "reduce"))
                    raised = dt.datetime.combine(day, dt.time(rng.randint(8, 20)), tz)
                    decided = raised + dt.timedelta(days=rng.randint(1, 14))
                    status = ("open" if decided.date() >= self.today
                              else rng.choice(("accepted", "dismissed")))
                    if status == "open":
                        if (decision, direction) in open_ones:
                            continue
                        open_ones.add((decision, direction))
                    yield (decision, direction, "reports", status,
                           json.dumps({"synthetic": NOTE}), w.stamp(raised), w.stamp(raised),
                           None if status == "open" else w.stamp(decided),
                           "Ikke behov." if status == "dismissed" else "")

        return w.insert(RevisionProposal,
                        ["decision_id", "direction", "source", "status", "evidence", "raised_at",
                         "updated_at", "decided_at", "dismiss_reason"], rows())

    def surveys_sites_population(self, scale: float) -> int:
        from tillit.insight import population
        from tillit.insight.models import DistrictPopulation, PilotSite, SurveyResponse
        from tillit.organisation.models import District, Team

        rng = self.rng
        districts = list(District.objects.order_by("number"))
        rows = DistrictPopulation.objects.bulk_create(
            [DistrictPopulation(district=d, year=2020, age_band=band, persons=n,
                                source=population.SOURCE)
             for d in districts for band, n in population.demo_bands(d.slug).items()])
        sites = PilotSite.objects.bulk_create(
            [PilotSite(district_id=pk, starts_on=self.pilot_start, note=NOTE)
             for pk in sorted(self.pilot)])
        teams: dict[int, list[int]] = defaultdict(list)
        for pk, district in Team.objects.values_list("pk", "district_id"):
            teams[district].append(pk)
        answers = []
        for d in districts:
            for _ in range(max(8, round(1200 * scale))):
                day = self.first + dt.timedelta(days=rng.randrange(YEAR))
                lift = 0.6 if self.in_pilot(d.pk, day) else 0.0

                def score(base: float, lift: float = lift) -> int:
                    return max(1, min(5, round(rng.gauss(base + lift, 0.9))))

                answers.append(SurveyResponse(
                    district=d, team_id=rng.choice(teams[d.pk]) if teams[d.pk] else None,
                    answered_on=day, same_carers=score(2.8), enough_time=score(3.1),
                    say_in_help=score(3.0), overall=score(3.6), synthetic=True))
        SurveyResponse.objects.bulk_create(answers, batch_size=5000)
        return len(rows) + len(sites) + len(answers)


def build_city(*, scale: float = 1.0, reports_scale: float = 1.0, seed: int = 1,
               today: dt.date, progress: Progress = print) -> dict[str, float]:
    """Build the city into an empty, migrated database; returns seconds per
    stage."""
    from django.db import connection

    seconds: dict[str, float] = {}
    sqlite = connection.vendor == "sqlite"
    if sqlite:  # a large page cache for the build's index inserts, then as it was
        with connection.cursor() as cursor:
            cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
            cursor.execute("PRAGMA cache_size = -1000000")
    t = time.perf_counter()
    build_base(scale=scale, seed=seed, today=today)
    seconds["organisation, clients, decisions (product builder)"] = time.perf_counter() - t
    progress(f"  base in {seconds['organisation, clients, decisions (product builder)']:.0f} s")
    city = _City(seed, today, round(OSLO_REPORTS * scale * reports_scale))
    t = time.perf_counter()
    city.surveys_sites_population(scale)
    city.rosters()
    city.absences()
    city.proposals(per_day=max(1.0, 40 * scale))
    seconds["rosters, sick leave, proposals, surveys"] = time.perf_counter() - t
    t = time.perf_counter()
    from tillit.daylist.models import VisitReport
    from tillit.planning.models import Visit

    with city.w.indexes_after(Visit, VisitReport):
        city.visits_and_reports(progress)
    seconds["a year of visits and reports"] = time.perf_counter() - t
    t = time.perf_counter()
    analyze()
    seconds["ANALYZE"] = time.perf_counter() - t
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
    return seconds


def analyze() -> None:
    """Fresh planner statistics after the bulk load (as after any restore)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # sampled, as `PRAGMA optimize` does
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


def build_aggregates(today: dt.date, progress: Progress = print) -> dict[str, float]:
    """The product's refresh: today and the first day of each of the last
    12 months (every aggregate), then the pilot's day rows for every day of
    the year and its months."""
    from tillit.insight import aggregates, pilot_aggregates

    seconds: dict[str, float] = {}
    t = time.perf_counter()
    days = aggregates.refresh_history(today, 12)
    seconds[f"refresh_history: {days} days"] = time.perf_counter() - t
    progress(f"  refresh_history in {seconds[f'refresh_history: {days} days']:.0f} s")
    t = time.perf_counter()
    days = pilot_aggregates.refresh_pilot_range(today - dt.timedelta(days=YEAR), today)
    seconds[f"refresh_pilot_range: {days} days"] = time.perf_counter() - t
    return seconds


def counts() -> dict[str, int]:
    from tillit.clients.models import Client
    from tillit.daylist.models import RevisionProposal, VisitReport
    from tillit.decisions.models import Application, Assessment, Decision
    from tillit.insight.models import PilotDay, ServiceSnapshot, SurveyResponse
    from tillit.organisation.models import Employee
    from tillit.planning.models import Absence, RosterEntry, Visit

    models = [Client, Employee, Application, Assessment, Decision, Visit, VisitReport,
              RosterEntry, Absence, RevisionProposal, SurveyResponse, ServiceSnapshot, PilotDay]
    return {m.__name__: m.objects.count() for m in models}
