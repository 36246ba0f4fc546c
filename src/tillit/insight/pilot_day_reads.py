"""One day's visits and visit reports as the trust pilot's refresh needs
them, counted in SQL: a grouped row per team and client instead of a row
per visit and report (about 60 000 of each on an Oslo day), read once for
the day's `PilotDay` rows and its clients' part of the month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from tillit.daylist.models import TimeFit, VisitReport
from tillit.planning.models import Visit

Pair = tuple[int, int]  # (team, client)


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
        if connection.vendor == "postgresql":
            # by the day's visit ids: a join on the visits' date lets
            # PostgreSQL choose a scan of every report
            cursor.execute(f"SELECT id FROM {visit_t} WHERE date = %s", [day])  # noqa: S608
            of_day, params = "r.visit_id = ANY(%s)", [[pk for (pk,) in cursor.fetchall()]]
        else:
            of_day, params = "v.date = %s", [day]
        # the last report of each visit: the one no later report of the
        # visit follows (its index on visit and time answers each lookup)
        cursor.execute(
            f"SELECT v.team_id, r.client_id, COUNT(*), "  # noqa: S608
            f"SUM(CASE WHEN r.time_fit = %s THEN 1 ELSE 0 END) "
            f"FROM {report_t} r JOIN {visit_t} v ON v.id = r.visit_id "
            f"WHERE {of_day} AND r.done AND r.time_fit <> '' AND r.id = ("
            f"SELECT l.id FROM {report_t} l WHERE l.visit_id = r.visit_id "
            f"ORDER BY l.received_at DESC, l.id DESC LIMIT 1) "
            f"GROUP BY v.team_id, r.client_id",
            [TimeFit.FITTED.value, *params])
        reports = {(team, client): (n, fitted) for team, client, n, fitted in cursor.fetchall()}
        cursor.execute(f"SELECT DISTINCT r.client_id, r.carer_id FROM {report_t} r "  # noqa: S608
                       f"JOIN {visit_t} v ON v.id = r.visit_id WHERE r.done AND {of_day}",
                       params)
        carers: dict[int, set[int]] = defaultdict(set)
        for client, carer in cursor.fetchall():
            carers[client].add(carer)
    return DayCounts(visits, reports, dict(carers))
