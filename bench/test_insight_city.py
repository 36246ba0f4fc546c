"""Smoke test of the insight benchmark's bulk writer (bench/insight_city.py):
rows it writes with its own value formats, around dropped and re-created
indexes, read back through the models and the product's pilot aggregate.
One visit and one report, well under a second."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from bench.insight_city import Writer
from tillit.accounts.models import Role
from tillit.conftest import city, make_client, make_user  # noqa: F401  (fixtures)
from tillit.daylist.models import VisitReport
from tillit.insight.pilot_aggregates import pilot_day_rows
from tillit.organisation.models import Employee
from tillit.planning.models import Visit


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {name for name, info in connection.introspection.get_constraints(
            cursor, table).items() if info["index"] and not info["primary_key"]}


@pytest.mark.django_db
def test_writer_rows_read_back_and_count_in_the_pilot_day(make_client, make_user) -> None:  # noqa: F811
    carer = Employee.objects.get(user=make_user("pleier.alna.1", Role.CARER, "alna"))
    client = make_client("alna", team=carer.team)
    day = dt.date(2026, 3, 29)  # the day summer time starts
    at = dt.datetime.combine(day, dt.time(10, 40), timezone.get_current_timezone())
    report_id = uuid.uuid4()
    w = Writer()
    before = index_names("planning_visit") | index_names("daylist_visitreport")
    visit_id, row_id = w.next_id(Visit), w.next_id(VisitReport)
    with w.indexes_after(Visit, VisitReport):
        assert w.insert(Visit, ["id", "team_id", "date", "shift", "client_id", "window_start",
                                "window_end", "minutes", "competence", "status"],
                        [(visit_id, carer.team_id, w.date(day), "day", client.pk,
                          w.time(dt.time(10)), w.time(dt.time(11, 30)), 30, "nurse",
                          "scheduled")]) == 1
        w.insert(VisitReport, ["id", "report_id", "visit_id", "client_id", "carer_id",
                               "reported_by_id", "done", "time_fit", "received_at"],
                 [(row_id, w.uuid(report_id), visit_id, client.pk, carer.pk, carer.user_id,
                   True, "fitted", w.stamp(at))])
    w.reset_sequence(Visit)
    assert index_names("planning_visit") | index_names("daylist_visitreport") == before
    visit = Visit.objects.get(pk=visit_id)
    assert (visit.date, visit.window_start, visit.skills, visit.status) == (
        day, dt.time(10), [], "scheduled")
    report = VisitReport.objects.get(pk=row_id)
    assert (report.report_id, report.received_at, report.note) == (report_id, at, "")
    assert Visit.objects.create(team=carer.team, date=day, shift="day", client=client,
                                window_start=dt.time(12), window_end=dt.time(13), minutes=20,
                                competence="nurse").pk > visit_id  # the sequence follows
    [row] = pilot_day_rows(day)
    assert (row.team_id, row.reports, row.fitted, row.clients) == (carer.team_id, 1, 1, 1)
