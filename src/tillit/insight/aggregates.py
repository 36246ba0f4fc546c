"""The daily aggregates that the insight pages read (never full scans per
page view).

`refresh_day(day)` recomputes, in one transaction, that day's
`ServiceSnapshot` cells (active decisions on the day, per district ×
service × care block × IPLOS profile × provider kind) and the
`CaseMonth` rows of the day's month (applications decided in it). A day's
refresh reads only the decisions active that day and the month's decided
applications, so its cost does not grow with the history. Run it nightly
(`tillit insight_refresh`), or for a range of past days.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tillit.core import deadlines
from tillit.core.insight_stats import KOSTRA_EXTENSIVE_MINUTES, profile_of
from tillit.decisions.models import Application, Decision
from tillit.insight.models import ALL_SERVICES, AggregateRefresh, CaseMonth, ServiceSnapshot


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def snapshot_cells(day: dt.date) -> list[ServiceSnapshot]:
    """The cells of `day`, computed from the active decisions."""
    rows = (
        Decision.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day),
                                status=Decision.Status.ACTIVE, valid_from__lte=day)
        .values_list("client_id", "client__district_id", "client__birth_date",
                     "service_type__code", "care_block", "assessment__rule_result",
                     "provider__kind", "weekly_minutes", "decided_at")
        .order_by("decided_at", "pk")
    )
    # client -> service -> [minutes, block, profile, provider kind] (the latest decision's)
    per_client: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    about: dict[int, tuple[int, dt.date]] = {}
    for client, district, birth, service, block, result, kind, minutes, _at in rows.iterator(
        chunk_size=5000
    ):
        about[client] = (district, birth)
        needs = result.get("needs") if isinstance(result, dict) else None
        entry = per_client[client].get(service)
        if entry is None:
            per_client[client][service] = [minutes, block, profile_of(needs), kind]
        else:
            entry[0] += minutes
            entry[1:] = [block, profile_of(needs), kind]
    cells: dict[tuple[int, str, str, str, str], list[int]] = defaultdict(list)
    ages: dict[tuple[int, str, str, str, str], list[int]] = defaultdict(list)
    for client, services in per_client.items():
        district, birth = about[client]
        age = _age(birth, day)
        for service, (minutes, block, profile, kind) in services.items():
            key = (district, service, block, profile, kind)
            cells[key].append(minutes)
            ages[key].append(age)
        # every service together: the client's minutes summed, the heaviest service's labels
        minutes = sum(v[0] for v in services.values())
        _m, block, profile, kind = max(services.values(), key=lambda v: v[0])
        key = (district, ALL_SERVICES, block, profile, kind)
        cells[key].append(minutes)
        ages[key].append(age)
    out = []
    for key, minutes in cells.items():
        district, service, block, profile, kind = key
        minutes.sort()
        age_list = ages[key]
        out.append(ServiceSnapshot(
            day=day, district_id=district, service=service, care_block=block, profile=profile,
            provider_kind=kind, clients=len(minutes),
            clients_67=sum(1 for a in age_list if a >= 67),
            clients_80=sum(1 for a in age_list if a >= 80),
            over_kostra=sum(1 for m in minutes if m > KOSTRA_EXTENSIVE_MINUTES),
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


@transaction.atomic
def refresh_day(day: dt.date) -> float:
    """Recompute `day`'s aggregates; returns the seconds it took."""
    started = time.perf_counter()
    cells = snapshot_cells(day)
    months = case_month_rows(day)
    ServiceSnapshot.objects.filter(day=day).delete()
    ServiceSnapshot.objects.bulk_create(cells, batch_size=2000)
    CaseMonth.objects.filter(month=month_start(day)).delete()
    CaseMonth.objects.bulk_create(months, batch_size=2000)
    seconds = time.perf_counter() - started
    AggregateRefresh.objects.update_or_create(
        day=day, defaults={"refreshed_at": timezone.now(), "seconds": seconds})
    return seconds


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
