"""The trust pilot's month kept up to date one day at a time
(`pilot_clients`) against the from-scratch reference
(`pilot_aggregates.pilot_month_rows`), on small random cities: after a
build, after random changes to some days' visits, reports and plans and a
refresh of those days, after an upgrade from months built without the
per-client rows, on the nightly run of the 1st of a month (the month
before's last day again), and after a closed month's state is dropped."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

import pytest

from tillit.accounts.models import User
from tillit.conftest import home_care
from tillit.daylist.models import VisitReport
from tillit.insight import aggregates, pilot_aggregates, pilot_clients
from tillit.insight.models import PilotClientDay, PilotClientMonth, PilotMonth
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.planning.models import Assignment, Plan, Visit

pytestmark = pytest.mark.django_db
FIRST, LAST = dt.date(2026, 10, 28), dt.date(2026, 11, 3)
DAYS = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
MONTHS = [dt.date(2026, 10, 1), dt.date(2026, 11, 1)]


def month_rows() -> set[tuple]:
    return {(m.month, m.team_id, m.district_id, tuple(m.carers))
            for m in PilotMonth.objects.all()}


def reference_rows() -> set[tuple]:
    return {(m.month, m.team_id, m.district_id, tuple(m.carers))
            for month in MONTHS for m in pilot_aggregates.pilot_month_rows(month)}


def state() -> tuple[list, list]:
    days = [(day, json.loads(parts)) for day, parts in
            PilotClientDay.objects.order_by("day").values_list("day", "parts")]
    months = [(month, json.loads(sums)) for month, sums in
              PilotClientMonth.objects.order_by("month").values_list("month", "sums")]
    return days, months


class SmallCity:
    """Clients of two districts (three teams), carers, and random visits,
    reports and plans on `DAYS`."""

    def __init__(self, make_client, rng: random.Random) -> None:
        self.rng = rng
        self.reporter = User.objects.create(username=f"rapport{rng.randrange(10**6)}")
        self.teams = []
        for slug in ("sagene", "alna"):
            unit, team, _provider = home_care(District.objects.get(slug=slug))
            self.teams.append(team)
        unit = self.teams[0].unit
        self.teams.append(Team.objects.create(district=unit.district, unit=unit, name="Sone 2"))
        self.clients = [make_client(rng.choice(["sagene", "alna"])) for _ in range(7)]
        self.staff = [Employee.objects.create(
            employee_number=f"e{i}-{rng.randrange(10**6)}", given_name="A", family_name="B",
            title="Pleier", sector=Sector.HEALTH, gender="female", fte_percent=100,
            contract_type="permanent", district=team.district, team=team)
            for i, team in enumerate(self.teams * 2)]
        for day in DAYS:
            self.fill(day)

    def fill(self, day: dt.date) -> None:
        """Random visits of the day, some reported (a few twice, some not
        done), some on a plan (current or an older one)."""
        rng = self.rng
        plans = {team.pk: (Plan.objects.create(team=team, date=day, shift="day",
                                               is_current=True),
                           Plan.objects.create(team=team, date=day, shift="day"))
                 for team in self.teams}
        for client in self.clients:
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                self.visit(day, client, plans)

    def visit(self, day: dt.date, client, plans) -> None:
        rng = self.rng
        team = rng.choice(self.teams) if rng.random() < 0.3 else client.team
        visit = Visit.objects.create(
            team=team, date=day, shift="day", client=client, window_start=dt.time(8),
            window_end=dt.time(9), minutes=30, competence="assistant",
            status="cancelled" if rng.random() < 0.15 else "scheduled")
        for _ in range(rng.choice([0, 1, 1, 2])):
            VisitReport.objects.create(
                report_id=uuid.uuid4(), visit=visit, client=client,
                carer=rng.choice(self.staff), reported_by=self.reporter,
                done=rng.random() < 0.8, time_fit="fitted")
        if rng.random() < 0.6:
            current, older = plans.get(team.pk) or (None, None)
            if current is None:
                current = Plan.objects.filter(team=team, date=day, is_current=True).first()
                older = Plan.objects.filter(team=team, date=day, is_current=False).first()
            Assignment.objects.create(plan=current if rng.random() < 0.8 else older,
                                      visit=visit, employee=rng.choice(self.staff), order=1)

    def change(self, day: dt.date) -> None:
        """A random change to the day: reports added, removed or turned to
        not done, visits cancelled, moved to another team or added,
        assignments removed, or the day's current plan swapped."""
        rng = self.rng
        visits = list(Visit.objects.filter(date=day))
        what = rng.choice(["report", "unreport", "undone", "cancel", "team", "add",
                           "unassign", "swap"])
        if what == "report" and visits:
            visit = rng.choice(visits)
            VisitReport.objects.create(report_id=uuid.uuid4(), visit=visit,
                                       client=visit.client, carer=rng.choice(self.staff),
                                       reported_by=self.reporter, done=True, time_fit="more")
        elif what == "unreport":
            VisitReport.objects.filter(pk__in=list(VisitReport.objects.filter(
                visit__date=day).values_list("pk", flat=True)[:2])).delete()
        elif what == "undone":
            VisitReport.objects.filter(visit__date=day, done=True).update(done=False)
        elif what == "cancel" and visits:
            Visit.objects.filter(pk=rng.choice(visits).pk).update(status="cancelled")
        elif what == "team" and visits:
            Visit.objects.filter(pk=rng.choice(visits).pk).update(team=rng.choice(self.teams))
        elif what == "add":
            self.visit(day, rng.choice(self.clients), {})
        elif what == "unassign":
            Assignment.objects.filter(plan__date=day).delete()
        else:
            older = list(Plan.objects.filter(date=day, is_current=False))
            Plan.objects.filter(date=day, is_current=True).update(is_current=False)
            Plan.objects.filter(pk__in=[p.pk for p in older]).update(is_current=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_month_kept_day_by_day_is_the_month_from_scratch(seed, city, make_client):
    rng = random.Random(seed)
    town = SmallCity(make_client, rng)
    pilot_aggregates.refresh_pilot_range(FIRST, LAST)
    assert month_rows() == reference_rows()
    assert month_rows(), "the city has months to compare"
    built = state()
    pilot_aggregates.refresh_pilot_range(FIRST, LAST)  # idempotent
    assert state() == built

    # changes to a few days, each day refreshed once after its changes
    changed = rng.sample(DAYS, 3)
    for day in changed:
        for _ in range(rng.randint(1, 3)):
            town.change(day)
    for day in changed:
        pilot_clients.refresh_month_days(day, [day])
    assert month_rows() == reference_rows()
    after = state()
    PilotClientDay.objects.all().delete()
    PilotClientMonth.objects.all().delete()
    PilotMonth.objects.all().delete()
    pilot_aggregates.refresh_pilot_range(FIRST, LAST)
    assert state() == after, "a fresh build gives the same per-client rows"

    # months built before the per-client rows: a day's refresh fills all of its month
    town.change(DAYS[1])
    PilotClientDay.objects.all().delete()
    PilotClientMonth.objects.all().delete()
    pilot_clients.refresh_month_days(DAYS[-1], [DAYS[-1]])
    pilot_clients.refresh_month_days(DAYS[0], [DAYS[0]])
    assert month_rows() == reference_rows()


def test_the_1st_completes_the_month_before(city, make_client):
    town = SmallCity(make_client, random.Random(7))
    pilot_aggregates.refresh_pilot_range(FIRST, LAST)
    october = dt.date(2026, 10, 31)
    client = town.clients[0]
    visit = Visit.objects.create(team=client.team, date=october, shift="day", client=client,
                                 window_start=dt.time(8), window_end=dt.time(9), minutes=30,
                                 competence="assistant")
    for carer in town.staff[:5]:  # a late day of reports
        VisitReport.objects.create(report_id=uuid.uuid4(), visit=visit, client=client,
                                   carer=carer, reported_by=town.reporter, done=True,
                                   time_fit="fitted")
    assert month_rows() != reference_rows()
    aggregates.refresh_day(dt.date(2026, 11, 1))  # the day alone leaves October as it was
    assert month_rows() != reference_rows()
    aggregates.refresh_night(dt.date(2026, 11, 1))  # the night takes the day before again
    assert month_rows() == reference_rows()
    aggregates.refresh_night(dt.date(2026, 11, 2))
    assert month_rows() == reference_rows()


def test_a_closed_months_state_is_dropped_and_rebuilt_when_a_day_of_it_changes(
        city, make_client):
    town = SmallCity(make_client, random.Random(11))
    pilot_aggregates.refresh_pilot_range(FIRST, LAST)
    assert PilotClientMonth.objects.filter(month=MONTHS[0]).exists()
    # October's state is kept until 7 days after its end, then dropped
    aggregates.refresh_night(dt.date(2026, 11, 7))
    assert PilotClientDay.objects.filter(day__lt=MONTHS[1]).exists()
    aggregates.refresh_night(dt.date(2026, 11, 8))
    assert not PilotClientDay.objects.filter(day__lt=MONTHS[1]).exists()
    assert list(PilotClientMonth.objects.values_list("month", flat=True)) == [MONTHS[1]]
    assert month_rows() == reference_rows(), "the closed month's figures stay"
    # a late change to a closed month: its day's refresh fills the month again
    town.change(DAYS[0])
    town.change(DAYS[0])
    pilot_aggregates.refresh_pilot_day(DAYS[0])
    assert month_rows() == reference_rows()
    assert PilotClientMonth.objects.filter(month=MONTHS[0]).exists()
