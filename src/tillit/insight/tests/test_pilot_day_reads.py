"""`read_day` counts a day's visits and reports as a plain reading of the
rows would: the last report of each visit (corrections), done reports'
distinct carers, scheduled visits' minutes × carers, and only the day's
own reports when other days' visits sit among its ids (on PostgreSQL the
reports are read by the range of the day's visit ids or by the ids)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict

import pytest

from tillit.accounts.models import User
from tillit.conftest import home_care
from tillit.daylist.models import VisitReport
from tillit.insight.pilot_day_reads import read_day
from tillit.organisation.models import District, Employee, Sector
from tillit.planning.models import Visit

pytestmark = pytest.mark.django_db
DAY, OTHER = dt.date(2026, 11, 10), dt.date(2026, 11, 11)


def expected(day: dt.date):
    visits: dict = defaultdict(lambda: [0, 0])
    for v in Visit.objects.filter(date=day, status="scheduled"):
        visits[(v.team_id, v.client_id)][0] += 1
        visits[(v.team_id, v.client_id)][1] += v.minutes * max(v.staff_count, 1)
    reports: dict = defaultdict(lambda: [0, 0])
    carers: dict = defaultdict(set)
    for visit in Visit.objects.filter(date=day):
        found = list(VisitReport.objects.filter(visit=visit).order_by("received_at", "pk"))
        for r in found:
            if r.done:
                carers[r.client_id].add(r.carer_id)
        if found and found[-1].done and found[-1].time_fit:
            last = found[-1]
            reports[(visit.team_id, last.client_id)][0] += 1
            reports[(visit.team_id, last.client_id)][1] += last.time_fit == "fitted"
    return ({k: tuple(v) for k, v in visits.items()}, {k: tuple(v) for k, v in reports.items()},
            dict(carers))


def test_read_day_counts_the_rows(city, make_client):
    rng = random.Random(3)
    _unit, team, _provider = home_care(District.objects.get(slug="sagene"))
    clients = [make_client("sagene") for _ in range(4)]
    staff = [Employee.objects.create(
        employee_number=f"r{i}", given_name="A", family_name="B", title="Pleier",
        sector=Sector.HEALTH, gender="female", fte_percent=100, contract_type="permanent",
        district=team.district, team=team) for i in range(4)]
    reporter = User.objects.create(username="rapportør")

    def visits(day: dt.date, n: int) -> None:
        for _ in range(n):
            client = rng.choice(clients)
            visit = Visit.objects.create(
                team=team, date=day, shift="day", client=client, window_start=dt.time(8),
                window_end=dt.time(9), minutes=rng.choice([15, 30]),
                staff_count=rng.choice([1, 1, 2]), competence="assistant",
                status="cancelled" if rng.random() < 0.15 else "scheduled")
            for _ in range(rng.choice([0, 1, 1, 2])):  # some corrected
                VisitReport.objects.create(
                    report_id=uuid.uuid4(), visit=visit, client=client,
                    carer=rng.choice(staff), reported_by=reporter, done=rng.random() < 0.8,
                    time_fit=rng.choice(["fitted", "more", "less", ""]))

    # the day's ids are one run with the other day's visits inside it, and
    # then a few far after it (so the day is read once each way on PostgreSQL)
    visits(DAY, 12)
    visits(OTHER, 3)
    visits(DAY, 12)
    got = read_day(DAY)
    assert (got.visits, got.reports, got.carers) == expected(DAY)
    visits(OTHER, 60)
    visits(DAY, 2)
    got = read_day(DAY)
    assert (got.visits, got.reports, got.carers) == expected(DAY)
    got = read_day(OTHER)
    assert (got.visits, got.reports, got.carers) == expected(OTHER)
