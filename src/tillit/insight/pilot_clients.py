"""The trust pilot's month, kept up to date one day at a time.

`PilotMonth` holds each client's number of distinct carers in a month,
which cannot be added up over days. Instead of recomputing the month from
its raw visits, visit reports and plan assignments on every refresh (a
million rows of each a month at Oslo scale), each client's day is stored
as a small `PilotClientDay` row (scheduled visits per team, the day's
distinct carers from done reports and from current-plan assignments) and
summed into one `PilotClientMonth` row per client (visits per team; per
carer, the number of days they came). A day's refresh reads that day's raw
rows, takes the day's old rows out of the month's sums and puts the new
ones in (only the clients whose day changed), then assembles `PilotMonth`
from the month's per-client rows in SQL.

The month is then what `pilot_aggregates.pilot_month_rows` (the
from-scratch reference) computes from the days refreshed so far: equal to
it once every day of the month with data has been refreshed after its last
change (re-refreshing a day is idempotent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from tillit.core import deadlines
from tillit.daylist.models import VisitReport
from tillit.insight.models import PilotClientDay, PilotClientMonth, PilotMonth
from tillit.organisation.models import Team
from tillit.planning.models import Assignment, Visit

# (visits per team, distinct carers reported, distinct carers planned)
Part = tuple[dict[int, int], tuple[int, ...], tuple[int, ...]]
CHUNK_DAYS = 7  # days read at once when many days are refreshed (memory)
IN_LIMIT = 900  # ids per IN (…) list (SQLite's limit of query parameters)


def _chunks(items: list, size: int = IN_LIMIT) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def day_parts(first: dt.date, after: dt.date) -> dict[tuple[dt.date, int], Part]:
    """Each client's part of each day in [first, after), from the raw rows
    grouped in SQL: a client-day without a scheduled visit, done report or
    current-plan assignment has none."""
    visits: dict[tuple[dt.date, int], dict[int, int]] = defaultdict(dict)
    for day, client, team, n in (
            Visit.objects.filter(status=Visit.Status.SCHEDULED, date__gte=first, date__lt=after)
            .values("date", "client_id", "team_id").annotate(n=Count("id")).order_by()
            .values_list("date", "client_id", "team_id", "n")):
        visits[(day, client)][team] = n
    reported: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    for day, client, carer in (
            VisitReport.objects.filter(done=True, visit__date__gte=first, visit__date__lt=after)
            .values_list("visit__date", "client_id", "carer_id").distinct().order_by()):
        reported[(day, client)].append(carer)
    planned: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    for day, client, carer in (
            Assignment.objects.filter(plan__is_current=True, plan__date__gte=first,
                                      plan__date__lt=after, visit__status=Visit.Status.SCHEDULED)
            .values_list("plan__date", "visit__client_id", "employee_id").distinct().order_by()):
        planned[(day, client)].append(carer)
    return {key: (visits.get(key, {}), tuple(sorted(reported.get(key, ()))),
                  tuple(sorted(planned.get(key, ()))))
            for key in visits.keys() | reported.keys() | planned.keys()}


def stored_parts(days: list[dt.date]) -> dict[tuple[dt.date, int], tuple[int, Part]]:
    """(row id, part) of the stored `PilotClientDay` rows of these days."""
    found = {}
    for pk, day, client, visits, reported, planned in (
            PilotClientDay.objects.filter(day__in=days)
            .values_list("pk", "day", "client_id", "visits", "reported", "planned")):
        found[(day, client)] = (pk, ({int(t): n for t, n in visits.items()},
                                     tuple(reported), tuple(planned)))
    return found


@dataclass
class ClientMonth:
    """A client's `PilotClientMonth` sums, in memory."""

    pk: int | None = None
    visits: dict[int, int] = field(default_factory=dict)
    reported: dict[int, int] = field(default_factory=dict)
    planned: dict[int, int] = field(default_factory=dict)

    def add(self, part: Part, sign: int) -> None:
        visits, reported, planned = part
        for team, n in visits.items():
            self.visits[team] = self.visits.get(team, 0) + sign * n
            if not self.visits[team]:
                del self.visits[team]
        for counts, carers in ((self.reported, reported), (self.planned, planned)):
            for carer in carers:
                counts[carer] = counts.get(carer, 0) + sign
                if not counts[carer]:
                    del counts[carer]

    def empty(self) -> bool:
        return not (self.visits or self.reported or self.planned)

    def team(self) -> int | None:
        """The team with most scheduled visits (ties: the lowest id)."""
        if not self.visits:
            return None
        return min(self.visits, key=lambda team: (-self.visits[team], team))

    def carers(self) -> int:
        return len(self.reported) or len(self.planned)


def month_days(month: dt.date) -> list[dt.date]:
    start = month.replace(day=1)
    after = deadlines.add_months(start, 1)
    return [start + dt.timedelta(days=n) for n in range((after - start).days)]


def legacy_month(start: dt.date) -> bool:
    """A month whose `PilotMonth` rows were built before the per-client
    rows existed (a `PilotMonth` row always has clients behind it)."""
    return (PilotMonth.objects.filter(month=start).exists()
            and not PilotClientMonth.objects.filter(month=start).exists())


@transaction.atomic
def refresh_month_days(month: dt.date, days: Iterable[dt.date]) -> int:
    """Refresh the clients' parts of these days of `month` and assemble the
    month's `PilotMonth` rows; returns the number of client-days changed. A
    month built before the per-client rows is first filled for every day."""
    start = month.replace(day=1)
    wanted = sorted({d for d in days if d.replace(day=1) == start})
    if legacy_month(start):
        wanted = month_days(start)
    sums: dict[int, ClientMonth] | None = None
    changed_clients: set[int] = set()
    changed = 0
    for chunk in _chunks(wanted, CHUNK_DAYS):
        new = day_parts(chunk[0], chunk[-1] + dt.timedelta(days=1))
        new = {key: part for key, part in new.items() if key[0] in chunk}
        old = stored_parts(chunk)
        keys = [key for key in new.keys() | old.keys()
                if key not in old or key not in new or old[key][1] != new[key]]
        if not keys:
            continue
        if sums is None:
            sums = _load_sums(start, {client for _day, client in keys})
        else:
            sums.update(_load_sums(start, {c for _d, c in keys} - sums.keys()))
        for key in keys:
            client = key[1]
            entry = sums.setdefault(client, ClientMonth())
            if key in old:
                entry.add(old[key][1], -1)
            if key in new:
                entry.add(new[key], +1)
            changed_clients.add(client)
        _write_days(keys, old, new)
        changed += len(keys)
    if sums is not None:
        _write_sums(start, {c: sums[c] for c in changed_clients})
    assemble_month(start)
    return changed


def _load_sums(start: dt.date, clients: set[int]) -> dict[int, ClientMonth]:
    qs = PilotClientMonth.objects.filter(month=start)
    fields = ("pk", "client_id", "visits", "reported", "planned")
    if len(clients) > IN_LIMIT:  # most of the month: one read of all of it
        rows = [r for r in qs.values_list(*fields) if r[1] in clients]
    else:
        rows = list(qs.filter(client_id__in=clients).values_list(*fields))
    return {client: ClientMonth(pk, {int(t): n for t, n in visits.items()},
                                {int(c): n for c, n in reported.items()},
                                {int(c): n for c, n in planned.items()})
            for pk, client, visits, reported, planned in rows}


def _write_days(keys: list, old: dict, new: dict) -> None:
    gone = [old[key][0] for key in keys if key in old]
    for ids in _chunks(gone):
        PilotClientDay.objects.filter(pk__in=ids).delete()
    PilotClientDay.objects.bulk_create(
        [PilotClientDay(day=key[0], client_id=key[1], visits=new[key][0],
                        reported=list(new[key][1]), planned=list(new[key][2]))
         for key in keys if key in new], batch_size=2000)


def _write_sums(start: dt.date, sums: dict[int, ClientMonth]) -> None:
    gone = [entry.pk for entry in sums.values() if entry.empty() and entry.pk is not None]
    for ids in _chunks(gone):
        PilotClientMonth.objects.filter(pk__in=ids).delete()
    PilotClientMonth.objects.bulk_create(
        [PilotClientMonth(month=start, client_id=client, visits=entry.visits,
                          reported=entry.reported, planned=entry.planned,
                          team=entry.team(), carers=entry.carers())
         for client, entry in sums.items() if not entry.empty()],
        batch_size=2000, update_conflicts=True, unique_fields=["month", "client"],
        update_fields=["visits", "reported", "planned", "team", "carers"])


def assemble_month(start: dt.date) -> None:
    """`PilotMonth` of the month from its per-client rows: per team, the
    sorted carer counts of the clients attributed to it."""
    carers: dict[int, list[int]] = defaultdict(list)
    for team, n in (PilotClientMonth.objects.filter(month=start, team__isnull=False, carers__gt=0)
                    .values_list("team", "carers")):
        carers[team].append(n)
    district_of = dict(Team.objects.values_list("pk", "district_id"))
    PilotMonth.objects.filter(month=start).delete()
    PilotMonth.objects.bulk_create(
        [PilotMonth(month=start, team_id=team, district_id=district_of[team],
                    carers=sorted(counts)) for team, counts in carers.items()],
        batch_size=2000)
