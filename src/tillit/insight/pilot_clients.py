"""The trust pilot's month, kept up to date one day at a time.

`PilotMonth` holds each client's number of distinct carers in a month,
which cannot be added up over days. Instead of recomputing the month from
its raw visits, visit reports and plan assignments on every refresh (a
million rows of each a month at Oslo scale), each day's client parts are
stored in one `PilotClientDay` row (per client: scheduled visits per team,
the day's distinct carers from done reports and from current-plan
assignments) and summed into one `PilotClientMonth` row (per client:
visits per team; per carer, the number of days they came). A day's refresh
reads that day's raw rows, takes the day's old parts out of the month's
sums and puts the new ones in (only the clients whose day changed), then
assembles `PilotMonth` from the sums. One JSON row a day and a month: a
handful of rows to read and write instead of one per client.

The month is then what `pilot_aggregates.pilot_month_rows` (the
from-scratch reference) computes from the days refreshed so far: equal to
it once every day of the month with data has been refreshed after its last
change (re-refreshing a day is idempotent).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from tillit.core import deadlines
from tillit.daylist.models import VisitReport
from tillit.insight import bulk_rows
from tillit.insight.models import PilotClientDay, PilotClientMonth, PilotMonth
from tillit.insight.pilot_day_reads import DayCounts
from tillit.organisation.models import Team
from tillit.planning.models import Assignment, Plan, Visit

# A client's part of a day, as stored (JSON: string keys):
# [{team id: scheduled visits}, sorted reported carer ids, sorted planned carer ids]
Part = list
# A client's month: [{team id: visits}, {carer id: days reported}, {carer id: days
# planned}, the team they count in or None, distinct carers]
Sums = list
CHUNK_DAYS = 7  # days read at once when many days are refreshed (memory)
IN_LIMIT = 900  # ids per IN (…) list (SQLite's limit of query parameters)
# days after a month's end that its refresh state is kept (late reports of
# its last days); afterwards only its `PilotMonth` rows stay
KEEP_DAYS = 7


def _chunks(items: list, size: int = IN_LIMIT) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def day_parts(first: dt.date, after: dt.date) -> dict[dt.date, dict[str, Part]]:
    """Each client's part of each day in [first, after), from the raw rows
    grouped in SQL: a client-day without a scheduled visit, done report or
    current-plan assignment has none."""
    visits: dict[tuple[dt.date, int], dict[str, int]] = defaultdict(dict)
    for day, client, team, n in (
            Visit.objects.filter(status=Visit.Status.SCHEDULED, date__gte=first, date__lt=after)
            .values("date", "client_id", "team_id").annotate(n=Count("id")).order_by()
            .values_list("date", "client_id", "team_id", "n")):
        visits[(day, client)][str(team)] = n
    reported: dict[tuple[dt.date, int], set[int]] = defaultdict(set)
    for day, client, carer in (
            VisitReport.objects.filter(done=True, visit__date__gte=first, visit__date__lt=after)
            .values_list("visit__date", "client_id", "carer_id").distinct().order_by()):
        reported[(day, client)].add(carer)
    planned = planned_carers(first, after)
    parts: dict[dt.date, dict[str, Part]] = defaultdict(dict)
    for key in visits.keys() | reported.keys() | planned.keys():
        parts[key[0]][str(key[1])] = [visits.get(key, {}), sorted(reported.get(key, ())),
                                      sorted(planned.get(key, ()))]
    return parts


def planned_carers(first: dt.date, after: dt.date) -> dict[tuple[dt.date, int], set[int]]:
    """(day, client) → the carers of their scheduled visits on the current
    plans of the days in [first, after)."""
    # the current plans first (found through their team and date index), then
    # their assignments: a join from the plans' date lets the database scan
    # every visit
    plan_day = dict(Plan.objects.filter(
        team_id__in=list(Team.objects.values_list("pk", flat=True)), date__gte=first,
        date__lt=after, is_current=True).values_list("pk", "date"))
    planned: dict[tuple[dt.date, int], set[int]] = defaultdict(set)
    for plans in _chunks(sorted(plan_day)):
        for plan, client, carer in (
                Assignment.objects.filter(plan_id__in=plans, visit__status=Visit.Status.SCHEDULED)
                .values_list("plan_id", "visit__client_id", "employee_id").distinct().order_by()):
            planned[(plan_day[plan], client)].add(carer)
    return planned


def parts_from(counts: DayCounts,
               planned: dict[tuple[dt.date, int], set[int]]) -> dict[str, Part]:
    """One day's client parts from its counts already read for its
    `PilotDay` rows (`pilot_day_reads.read_day`) and `planned_carers` of
    the day."""
    visits: dict[int, dict[str, int]] = defaultdict(dict)
    for (team, client), (n, _minutes) in counts.visits.items():
        visits[client][str(team)] = n
    reported = counts.carers
    by_client = {client: carers for (_day, client), carers in planned.items()}
    return {str(client): [visits.get(client) or {},
                          sorted(reported[client]) if client in reported else [],
                          sorted(by_client[client]) if client in by_client else []]
            for client in visits.keys() | reported.keys() | by_client.keys()}


def _add(entry: Sums, part: Part, sign: int) -> None:
    """Add (sign 1) or take out (-1) a client's day from their month's
    counts (`_settle` then updates what follows from them)."""
    visits = entry[0]
    for team, n in part[0].items():  # team ids as strings (JSON keys)
        total = visits.get(team, 0) + sign * n
        if total:
            visits[team] = total
        else:
            del visits[team]
    for counts, carers in ((entry[1], part[1]), (entry[2], part[2])):
        for carer in carers:
            name = str(carer)
            total = counts.get(name, 0) + sign
            if total:
                counts[name] = total
            else:
                del counts[name]


def _settle(entry: Sums) -> None:
    """The team the client counts in (most scheduled visits, ties to the
    lowest id; None without one) and their distinct carers (reported, else
    planned)."""
    best: tuple[int, int] | None = None
    for team, n in entry[0].items():
        key = (-n, int(team))
        if best is None or key < best:
            best = key
    entry[3] = best[1] if best is not None else None
    entry[4] = len(entry[1]) or len(entry[2])


def month_days(month: dt.date) -> list[dt.date]:
    start = month.replace(day=1)
    after = deadlines.add_months(start, 1)
    return [start + dt.timedelta(days=n) for n in range((after - start).days)]


def month_without_sums(start: dt.date) -> bool:
    """A month with `PilotMonth` rows but no per-client sums (a `PilotMonth`
    row always has clients behind it): built before the sums existed, or
    closed and its state dropped (`prune_closed_months`)."""
    return (PilotMonth.objects.filter(month=start).exists()
            and not PilotClientMonth.objects.filter(month=start).exists())


def prune_closed_months(today: dt.date) -> int:
    """Drop the refresh state (client and employee ids) of every month that
    ended more than `KEEP_DAYS` days before `today`; its `PilotMonth` rows
    stay. A later refresh of one of its days (an import of past reports)
    first fills the month again from its raw rows. Returns the months
    dropped."""
    cutoff = month_start_after_keep(today)
    PilotClientDay.objects.filter(day__lt=cutoff).delete()
    dropped, _ = PilotClientMonth.objects.filter(month__lt=cutoff).delete()
    return dropped


def month_start_after_keep(today: dt.date) -> dt.date:
    """The first month whose refresh state is kept on `today`: the month
    of `today - KEEP_DAYS` (a month is kept until `KEEP_DAYS` days after
    it ends)."""
    return (today - dt.timedelta(days=KEEP_DAYS)).replace(day=1)


@transaction.atomic
def refresh_month_days(month: dt.date, days: Iterable[dt.date],
                       parts: dict[dt.date, dict[str, Part]] | None = None) -> int:
    """Refresh the clients' parts of these days of `month` (read here, or
    `parts` when the caller read them) and assemble the month's
    `PilotMonth` rows; returns the number of client-days changed. A month
    without per-client sums (`month_without_sums`) is first filled for every day."""
    start = month.replace(day=1)
    wanted = sorted({d for d in days if d.replace(day=1) == start})
    if month_without_sums(start):
        wanted, parts = month_days(start), None
    sums: dict[str, Sums] | None = None  # read at the first change
    changed = 0
    for chunk in _chunks(wanted, CHUNK_DAYS):
        new = (parts if parts is not None
               else day_parts(chunk[0], chunk[-1] + dt.timedelta(days=1)))
        old = {day: json.loads(text) for day, text in
               PilotClientDay.objects.filter(day__in=chunk).values_list("day", "parts")}
        for day in chunk:
            before, after = old.get(day, {}), new.get(day, {})
            if before == after:
                continue
            if sums is None:
                sums = _stored_sums(start)
            for client in before.keys() | after.keys():
                was, now = before.get(client), after.get(client)
                if was == now:
                    continue
                entry = sums.get(client) or [{}, {}, {}, None, 0]
                if was:
                    _add(entry, was, -1)
                if now:
                    _add(entry, now, +1)
                _settle(entry)
                if entry[0] or entry[1] or entry[2]:
                    sums[client] = entry
                else:
                    sums.pop(client, None)
                changed += 1
            if after:  # (the row exists when its old parts were read)
                if day in old:
                    PilotClientDay.objects.filter(day=day).update(parts=_encode(after))
                else:
                    PilotClientDay.objects.create(day=day, parts=_encode(after))
            else:
                PilotClientDay.objects.filter(day=day).delete()
    if sums is None:  # nothing changed
        if PilotMonth.objects.filter(month=start).exists():
            return 0
        sums = _stored_sums(start)
    if changed:
        if sums:  # (update_or_create would read the month's sums again first)
            text = _encode(sums)
            if not PilotClientMonth.objects.filter(month=start).update(sums=text):
                PilotClientMonth.objects.create(month=start, sums=text)
        else:
            PilotClientMonth.objects.filter(month=start).delete()
    assemble_month(start, sums)
    return changed


def _stored_sums(start: dt.date) -> dict[str, Sums]:
    found = PilotClientMonth.objects.filter(month=start).values_list("sums", flat=True).first()
    return json.loads(found) if found is not None else {}


def _encode(state: dict) -> str:
    return json.dumps(state, separators=(",", ":"))


def assemble_month(start: dt.date, sums: dict[str, Sums]) -> None:
    """`PilotMonth` of the month from its per-client sums: per team, the
    sorted carer counts of the clients attributed to it."""
    carers: dict[int, list[int]] = defaultdict(list)
    for entry in sums.values():
        if entry[3] is not None and entry[4]:
            carers[entry[3]].append(entry[4])
    district_of = dict(Team.objects.values_list("pk", "district_id"))
    PilotMonth.objects.filter(month=start).delete()
    bulk_rows.insert([PilotMonth(month=start, team_id=team, district_id=district_of[team],
                                 carers=sorted(counts)) for team, counts in carers.items()])
