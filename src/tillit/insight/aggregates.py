"""The daily aggregates that the insight pages read (never full scans per
page view).

`refresh_day(day)` recomputes, in one transaction, that day's
`ServiceSnapshot` cells (active decisions on the day, per district ×
service × care block × IPLOS profile × provider kind) and the
`CaseMonth` rows of the day's month (applications decided in it), and the
trust pilot's `PilotDay` rows and the day's part of its `PilotMonth` rows
(`pilot_aggregates`, `pilot_clients`). A day's refresh reads only the
decisions active that day, the month's decided applications and the day's
visits, reports and plans, so its cost does not grow with the history. The
nightly run (`refresh_night`, `tillit manage insight_refresh`) refreshes
today and the pilot's day before again, for late reports.
"""

from __future__ import annotations

import bisect
import datetime as dt
import time
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from tillit.core import deadlines
from tillit.core.insight_stats import KOSTRA_EXTENSIVE_MINUTES, profile_of
from tillit.decisions.models import Application, Assessment, Decision, ServiceType
from tillit.insight import bulk_rows, pilot_aggregates, pilot_clients
from tillit.insight.gc_pause import gc_paused
from tillit.insight.models import (
    ALL_SERVICES,
    AggregateRefresh,
    AssessmentNeeds,
    CaseMonth,
    ServiceSnapshot,
)
from tillit.organisation.models import Provider


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date `years` earlier (29 February becomes 28 February): a
    person born on or before it is at least `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def assessment_needs(ids: set[int]) -> dict[int, int | None]:
    """Need counts of these assessments, copying the missing ones into
    `AssessmentNeeds` first (only new assessments since the last refresh)."""
    known = dict(AssessmentNeeds.objects.values_list("assessment_id", "needs"))
    missing = sorted(ids - set(known))
    for start in range(0, len(missing), 5000):  # SQLite's limit of query parameters
        new = []
        for pk, needs in (Assessment.objects.filter(pk__in=missing[start:start + 5000])
                          .annotate(n=KeyTextTransform("needs", "rule_result"))
                          .values_list("pk", "n")):
            value = int(needs) if needs not in (None, "") else None
            known[pk] = value
            new.append(AssessmentNeeds(assessment_id=pk, needs=value))
        AssessmentNeeds.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return known


def snapshot_cells(day: dt.date) -> list[ServiceSnapshot]:
    """The cells of `day`, computed from the active decisions."""
    # Ages are worked out in SQL and need counts come from `AssessmentNeeds`:
    # no date or JSON parsing per row, and no join beyond the client.
    age_band = Case(When(client__birth_date__lte=years_before(day, 80), then=Value(80)),
                    When(client__birth_date__lte=years_before(day, 67), then=Value(67)),
                    default=Value(0), output_field=IntegerField())
    rows = list(
        Decision.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day),
                                status=Decision.Status.ACTIVE, valid_from__lte=day)
        .annotate(age_band=age_band)
        .values_list("pk", "client_id", "client__district_id", "age_band", "service_type_id",
                     "care_block", "assessment_id", "provider_id", "weekly_minutes")
        .order_by()  # no sort: the latest decision is the one with the highest pk
    )
    services_by_id = dict(ServiceType.objects.values_list("pk", "code"))
    kinds = dict(Provider.objects.values_list("pk", "kind"))
    needs_of = assessment_needs({r[6] for r in rows if r[6] is not None})
    # client -> service -> [minutes, block, profile, provider kind, pk] (labels of the latest)
    per_client: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    about: dict[int, tuple[int, int]] = {}
    for pk, client, district, band, service_id, block, assessment, provider, minutes in rows:
        about[client] = (district, band)
        service, kind = services_by_id[service_id], kinds[provider]
        profile = profile_of(needs_of.get(assessment)) if assessment is not None else ""
        entry = per_client[client].get(service)
        if entry is None:
            per_client[client][service] = [minutes, block, profile, kind, pk]
        else:
            entry[0] += minutes
            if pk > entry[4]:
                entry[1:] = [block, profile, kind, pk]
    # cell -> [weekly minutes of each client, clients 67+, clients 80+]
    cells: dict[tuple[int, str, str, str, str], list[Any]] = {}

    def add(key: tuple[int, str, str, str, str], minutes: int, age: int) -> None:
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = [[], 0, 0]
        cell[0].append(minutes)
        cell[1] += age >= 67
        cell[2] += age >= 80

    for client, services in per_client.items():
        district, age = about[client]  # age: the band's lower bound (0, 67 or 80)
        for service, (minutes, block, profile, kind, _pk) in services.items():
            add((district, service, block, profile, kind), minutes, age)
        # every service together: the client's minutes summed, the heaviest service's labels
        heaviest = max(services.values(), key=lambda v: v[0])
        add((district, ALL_SERVICES, heaviest[1], heaviest[2], heaviest[3]),
            sum(v[0] for v in services.values()), age)
    out = []
    for (district, service, block, profile, kind), (minutes, n67, n80) in cells.items():
        minutes.sort()
        out.append(ServiceSnapshot(
            day=day, district_id=district, service=service, care_block=block, profile=profile,
            provider_kind=kind, clients=len(minutes), clients_67=n67, clients_80=n80,
            over_kostra=len(minutes) - bisect.bisect_right(minutes, KOSTRA_EXTENSIVE_MINUTES),
            minutes=minutes,
        ))
    return out


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def case_month_rows(month: dt.date) -> list[CaseMonth]:
    """Applications decided in `month`, per district and service."""
    start = month_start(month)
    end = deadlines.add_months(start, 1)
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    rows = (Application.objects.filter(status=Application.Status.DECIDED,
                                       decided_at__gte=lo, decided_at__lt=hi)
            .values_list("client_id", "client__district_id", "service_type__code",
                         "service_type__target_days", "received_at", "decided_at"))
    groups: dict[tuple[int, str], list[tuple[int, int, bool]]] = defaultdict(list)
    for client, district, service, target, received, decided in rows.iterator(chunk_size=5000):
        got = timezone.localtime(received, tz).date()
        done = timezone.localtime(decided, tz).date()
        due = got + dt.timedelta(days=target) if target else deadlines.add_months(got, 1)
        case = (client, (done - got).days, done <= due)
        groups[(district, service)].append(case)
        groups[(district, ALL_SERVICES)].append(case)
    out = []
    for (district, service), cases in groups.items():
        out.append(CaseMonth(
            month=start, district_id=district, service=service, cases=len(cases),
            persons=len({c[0] for c in cases}), within_deadline=sum(1 for c in cases if c[2]),
            days=sorted(c[1] for c in cases),
        ))
    return out


@gc_paused()
@transaction.atomic
def refresh_day(day: dt.date) -> float:
    """Recompute `day`'s aggregates; returns the seconds it took."""
    started = time.perf_counter()
    cells = snapshot_cells(day)
    # The day's month, and the day before's when that is another month (a
    # nightly run on the 1st completes the month that just ended).
    months = sorted({month_start(day), month_start(day - dt.timedelta(days=1))})
    rows = [row for month in months for row in case_month_rows(month)]
    ServiceSnapshot.objects.filter(day=day).delete()
    bulk_rows.insert(cells)
    CaseMonth.objects.filter(month__in=months).delete()
    bulk_rows.insert(rows)
    pilot_aggregates.refresh_pilot_day(day)  # the pilot's day and its part of the month
    seconds = time.perf_counter() - started
    AggregateRefresh.objects.update_or_create(
        day=day, defaults={"refreshed_at": timezone.now(), "seconds": seconds})
    return seconds


@gc_paused()
def refresh_night(day: dt.date) -> float:
    """The nightly run: `day`'s aggregates, the trust pilot's day before
    again (reports that came in after that night's run: night shifts,
    carers who were offline, corrections; on the 1st this completes the
    month before), and the pilot's refresh state of months closed for
    long enough dropped (`pilot_clients.prune_closed_months`). Returns the
    seconds it took."""
    started = time.perf_counter()
    refresh_day(day)
    pilot_aggregates.refresh_pilot_day(day - dt.timedelta(days=1))
    pilot_clients.prune_closed_months(day)
    return time.perf_counter() - started


def refresh_history(today: dt.date, months: int = 12) -> int:
    """Today and the first day of each of the last `months` months (the
    trend points); returns the number of days refreshed."""
    days = {today} | {deadlines.add_months(month_start(today), -k) for k in range(months + 1)}
    for day in sorted(days):
        refresh_day(day)
    return len(days)


def latest_day(on_or_before: dt.date | None = None) -> dt.date | None:
    qs = AggregateRefresh.objects.all()
    if on_or_before is not None:
        qs = qs.filter(day__lte=on_or_before)
    found = qs.order_by("-day").first()
    return found.day if found else None
