"""Fixtures for planning: a small Sagene team with a rostered day shift and
clients whose decisions ask for morning and midday visits (one two-person
visit, one `after` gap), plus an Alna team for cross-district checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import count

import pytest
from django.utils import timezone

from tillit.accounts.models import Role, User
from tillit.clients.models import Client, PrimaryContact
from tillit.conftest import home_care
from tillit.decisions import reference
from tillit.decisions.models import Decision, DecisionVisit, ServiceType, Slot
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.planning import reports
from tillit.planning.models import RosterEntry, ShiftKind

DAY = dt.date(2026, 12, 7)  # a Monday
_number = count(1)


@dataclass
class World:
    team: Team
    carers: list[Employee]
    clients: list[Client]
    day: dt.date = DAY
    decisions: list[Decision] = field(default_factory=list)


def add_carer(team: Team, competence: str = "health_worker", skills: list[str] | None = None,
              mode: str = "walk", user: User | None = None) -> Employee:
    return Employee.objects.create(
        employee_number=f"P{next(_number):05d}", given_name="Pleier", family_name=f"T{_number}",
        title="Pleier", competence=competence, qualifications=skills or [], fte_percent=100,
        contract_type="permanent", sector=Sector.HEALTH, gender="unstated",
        district=team.district, unit=team.unit, team=team, travel_mode=mode, user=user,
    )


def roster(employee: Employee, team: Team, day: dt.date, shift: str = ShiftKind.DAY,
           start: dt.time = dt.time(7, 30), end: dt.time = dt.time(15, 0)) -> RosterEntry:
    return RosterEntry.objects.create(employee=employee, team=team, date=day, shift=shift,
                                      start=start, end=end, travel_mode=employee.travel_mode)


def add_decision(client: Client, patterns: list[dict]) -> Decision:
    decision = Decision.objects.create(
        client=client, service_type=ServiceType.objects.get(code="home-nursing"),
        provider=client.provider, valid_from=DAY - dt.timedelta(days=60), weekly_minutes=600,
        decided_at=timezone.now(),
    )
    made: list[DecisionVisit] = []
    for i, p in enumerate(patterns):
        after = p.pop("after_index", None)
        dv = DecisionVisit.objects.create(
            decision=decision, order=i, weekdays=p.pop("weekdays", list(range(7))),
            tasks=p.pop("tasks", "Morgenstell"), **p,
        )
        if after is not None:
            dv.after = made[after]
            dv.save()
        made.append(dv)
    return decision


def morning(minutes: int = 20, **extra: object) -> dict:
    return {"slot": Slot.MORNING, "window_start": dt.time(7, 30), "window_end": dt.time(10, 30),
            "minutes": minutes, "competence": "health_worker", **extra}


def midday(minutes: int = 15, **extra: object) -> dict:
    return {"slot": Slot.MIDDAY, "window_start": dt.time(11, 0), "window_end": dt.time(14, 0),
            "minutes": minutes, "competence": "assistant", **extra}


@pytest.fixture(autouse=True)
def _reference(db) -> None:
    reference.ensure()


@pytest.fixture(autouse=True)
def _no_report_provider():
    previous = reports.set_report_provider(reports.no_reports)
    yield
    reports.set_report_provider(previous)


@pytest.fixture
def fake_reports():
    """Register a report provider backed by a dict the test fills."""
    reported: dict[int, set[int]] = {}
    previous = reports.set_report_provider(
        lambda ids: {k: v for k, v in reported.items() if k in ids}
    )
    yield reported
    reports.set_report_provider(previous)


def build_world(district_slug: str, make_client, carers: int = 5, clients: int = 10) -> World:
    district = District.objects.get(slug=district_slug)
    _unit, team, _provider = home_care(district)
    staff = [add_carer(team, "nurse" if i == 0 else "health_worker",
                       skills=["insulin"] if i == 0 else []) for i in range(carers)]
    people = [make_client(district_slug) for _ in range(clients)]
    world = World(team=team, carers=staff, clients=people)
    for emp in staff:
        roster(emp, team, DAY)
    for i, client in enumerate(people):
        PrimaryContact.objects.create(client=client, employee=staff[i % carers], rank=1)
        patterns = [morning()]
        if i == 0:
            patterns = [morning(minutes=15, competence="nurse", skills=["insulin"]),
                        midday(minutes=15, after_index=0, after_min_minutes=180,
                               after_max_minutes=300)]
        elif i == 1:
            patterns = [morning(minutes=30, staff_count=2,
                                two_person_reason="Tung forflytning")]
        elif i % 3 == 0:
            patterns.append(midday())
        world.decisions.append(add_decision(client, patterns))
    return world


@pytest.fixture
def world(city, make_client) -> World:
    return build_world("sagene", make_client)


@pytest.fixture
def alna_world(city, make_client) -> World:
    return build_world("alna", make_client, carers=3, clients=4)


@pytest.fixture
def planner(make_user) -> User:
    return make_user("planlegger.sagene", Role.PLANNER, "sagene")
