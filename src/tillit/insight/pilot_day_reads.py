"""One day's visits and visit reports as the trust pilot's refresh needs
them, read once for the day's `PilotDay` rows and its clients' part of the
month: the visits counted in SQL per team and client (a grouped row per
pair instead of a row per visit: about 60 000 a day at Oslo scale), the
reports read once in the order received, a few columns each, and counted
here (their last report per visit and distinct carers; on both databases
that is faster than two grouped queries over the reports)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from tillit.daylist.models import TimeFit, VisitReport
from tillit.planning.models import Visit

Pair = tuple[int, int]  # (team, client)
# PostgreSQL: the day's reports are read by the range of its visits' ids
# when that range is at most this many times the day's visits, else by
# the ids (a range scan is about three times faster per report found)
DENSE = 2


@dataclass
class DayCounts:
    """`visits`: (team, client) → (scheduled visits, their minutes × carers);
    `reports`: (team of the visit, client) → (reports, of them "fitted"),
    counting the last report of each visit (a carer may correct a report)
    when it is done with a time answer; `carers`: client → the distinct
    carers of the day's done reports (any report, not only the last)."""

    visits: dict[Pair, tuple[int, int]]
    reports: dict[Pair, tuple[int, int]]
    carers: dict[int, set[int]]


def read_day(day: dt.date) -> DayCounts:
    visit_t, report_t = Visit._meta.db_table, VisitReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT team_id, client_id, COUNT(*), "  # noqa: S608 (table names, not input)
            f"SUM(minutes * CASE WHEN staff_count > 1 THEN staff_count ELSE 1 END) "
            f"FROM {visit_t} WHERE date = %s AND status = %s GROUP BY team_id, client_id",
            [day, Visit.Status.SCHEDULED.value])
        visits = {(team, client): (n, minutes) for team, client, n, minutes in cursor.fetchall()}
        # the day's reports, in the order received (one read serves the
        # last report of each visit and the distinct carers)
        if connection.vendor == "postgresql":
            # by the day's visit ids: a join on the visits' date lets
            # PostgreSQL choose a scan of every report
            cursor.execute(f"SELECT id, team_id FROM {visit_t} WHERE date = %s",  # noqa: S608
                           [day])
            team_of = dict(cursor.fetchall())
            ids = list(team_of)
            if ids and max(ids) - min(ids) < DENSE * len(ids):
                # a day's visits are made together, so their ids are mostly
                # one run: one scan of that range of the reports' visit index
                # (the reports of other days' visits in it are left out below)
                of_day, params = "visit_id BETWEEN %s AND %s", [min(ids), max(ids)]
            else:
                of_day, params = "visit_id = ANY(%s)", [ids]  # one index lookup per visit
            cursor.execute(f"SELECT visit_id, client_id, carer_id, done, time_fit "  # noqa: S608
                           f"FROM {report_t} WHERE {of_day} ORDER BY received_at, id", params)
            rows = [(visit, team_of[visit], client, carer, done, fit)
                    for visit, client, carer, done, fit in cursor.fetchall() if visit in team_of]
        else:
            cursor.execute(f"SELECT r.visit_id, v.team_id, r.client_id, r.carer_id, r.done, "  # noqa: S608
                           f"r.time_fit FROM {report_t} r JOIN {visit_t} v ON v.id = r.visit_id "
                           f"WHERE v.date = %s ORDER BY r.received_at, r.id", [day])
            rows = cursor.fetchall()
    carers: dict[int, set[int]] = defaultdict(set)
    last: dict[int, tuple] = {}
    for row in rows:
        last[row[0]] = row  # a later report of the visit replaces an earlier one
        if row[4]:
            carers[row[2]].add(row[3])
    counted: dict[Pair, list[int]] = {}
    fitted_value = TimeFit.FITTED.value
    for _visit, team, client, _carer, done, fit in last.values():
        if done and fit:
            pair = counted.get((team, client))
            if pair is None:
                pair = counted[(team, client)] = [0, 0]
            pair[0] += 1
            pair[1] += fit == fitted_value
    reports = {key: (n, fitted) for key, (n, fitted) in counted.items()}
    return DayCounts(visits, reports, dict(carers))
