"""A small world in Sagene for the staffing tests, with figures worked out
by hand in the tests: employees, a week of rosters, clients with decisions,
care situations and responsible nurses. The day is Wednesday 18 November
2026; its roster week runs Monday 16 to Sunday 22 November."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count

import pytest
from django.utils import timezone

from tillit.clients.models import Client
from tillit.conftest import home_care
from tillit.decisions.models import Decision, DecisionVisit, ServiceType
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.planning.models import RosterEntry
from tillit.staffing import services

DAY = dt.date(2026, 11, 18)
MONDAY = dt.date(2026, 11, 16)
BEFORE = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # situations and nurses set before DAY
T = dt.time
_numbers = count(1)


def employee(team: Team, competence: str, fte: int = 100, *, leader: bool = False,
             name: str = "Test") -> Employee:
    unit, _team, provider = home_care(team.district)
    return Employee.objects.create(
        employee_number=f"S{next(_numbers):05d}", given_name=name, family_name="Ansatt",
        title=competence, competence=competence, fte_percent=fte, contract_type="permanent",
        sector=Sector.HEALTH, gender="unstated", district=team.district, unit=unit, team=team,
        provider=provider, is_leader=leader,
    )


def roster(emp: Employee, day: dt.date, start: dt.time, end: dt.time, shift: str = "day"
           ) -> RosterEntry:
    return RosterEntry.objects.create(employee=emp, team=emp.team, date=day, shift=shift,
                                      start=start, end=end)


def decision(client: Client, visits: list[tuple[int, list[int], str, int]], *,
             valid_from: dt.date = dt.date(2026, 1, 1), valid_to: dt.date | None = None,
             status: str = Decision.Status.ACTIVE) -> Decision:
    d = Decision.objects.create(
        client=client, service_type=ServiceType.objects.get(code="home-nursing"),
        provider=client.provider, valid_from=valid_from, valid_to=valid_to,
        weekly_minutes=max(1, sum(m * len(w) * s for m, w, _c, s in visits)),
        decided_at=timezone.now(), status=status,
    )
    for order, (minutes, weekdays, competence, staff) in enumerate(visits):
        DecisionVisit.objects.create(
            decision=d, order=order, slot="morning", weekdays=weekdays, window_start=T(8),
            window_end=T(10), minutes=minutes, competence=competence, staff_count=staff,
            two_person_reason="Tunge løft" if staff == 2 else "", tasks="Stell",
        )
    return d


@dataclass
class World:
    district: District
    team: Team
    nurse: Employee
    nurse2: Employee
    health_worker: Employee
    assistant: Employee
    leader: Employee
    complex_client: Client
    stable_client: Client
    unassigned_client: Client
    ended_client: Client


@pytest.fixture
def world(make_client) -> World:
    sagene = District.objects.get(slug="sagene")
    _unit, team, _provider = home_care(sagene)
    n1 = employee(team, "nurse", name="Nina")
    n2 = employee(team, "nurse", 80, name="Nils")
    hw = employee(team, "health_worker", name="Hanne")
    asst = employee(team, "assistant", 50, name="Arne")
    lead = employee(team, "nurse", leader=True, name="Lise")
    for i in range(5):  # 5 × 7.5 h = 37.5 h
        roster(n1, MONDAY + dt.timedelta(days=i), T(7, 30), T(15))
    for i in range(3):  # 3 × 7.5 h = 22.5 h
        roster(hw, MONDAY + dt.timedelta(days=i), T(15), T(22, 30), "evening")
    for i in range(2):  # 2 × 7.5 h = 15 h, a leader in the roster
        roster(lead, MONDAY + dt.timedelta(days=i), T(8), T(15, 30))
    roster(asst, MONDAY + dt.timedelta(days=6), T(22), T(7, 30), "night")  # 9.5 h
    roster(n2, MONDAY + dt.timedelta(days=7), T(7, 30), T(15))  # the next week: not counted

    c1, c2, c5 = make_client("sagene"), make_client("sagene"), make_client("sagene")
    ended = make_client("sagene")
    decision(c1, [(30, [0, 1, 2, 3, 4, 5, 6], "nurse", 1),  # 210
                  (45, [0, 2, 4], "health_worker", 2)])  # 270 (two carers)
    decision(c2, [(60, [1], "assistant", 1),  # 60
                  (20, [0, 1, 2, 3, 4], "health_worker", 1)])  # 100
    decision(c5, [(15, [5, 6], "nurse", 1)])  # 30
    decision(ended, [(120, [0, 1, 2, 3, 4], "nurse", 1)], valid_to=dt.date(2026, 11, 1))
    decision(make_client("alna"), [(90, [0, 1, 2], "nurse", 1)])  # another district

    services.do_set_care_situation(client=c1, situation="stable", at=BEFORE)
    services.do_set_care_situation(client=c1, situation="complex", at=BEFORE)
    services.do_assign_responsible(client=c1, employee=n1, at=BEFORE)
    services.do_set_care_situation(client=c2, situation="stable", at=BEFORE)
    services.do_assign_responsible(client=c2, employee=hw, at=BEFORE)
    return World(sagene, team, n1, n2, hw, asst, lead, c1, c2, c5, ended)
