"""A small planned shift for the board's tests: Sagene's home care team with
three carers, eight visits (one needing a nurse with insulin, one
two-person visit), an instance in the spec format and a plan from the core
engine, stored as the team's current plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tillit.clients.models import Client
from tillit.conftest import home_care
from tillit.core.planner import load_instance, plan_to_dict, solve
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.planning.models import Plan, RosterEntry, Visit
from tillit.planning.services import store_plan_result

BASE = {"lat": 59.9380, "lon": 10.7560}  # Sagene


@dataclass
class PlannedShift:
    team: Team
    date: dt.date
    carers: list[Employee]
    visits: list[Visit]
    clients: list[Client]
    plan: Plan


def _employee(team: Team, number: str, given: str, competence: str,
              skills: list[str]) -> Employee:
    unit, _team, provider = home_care(team.district)
    return Employee.objects.create(
        employee_number=number, given_name=given, family_name="Testesen", title="Pleier",
        competence=competence, qualifications=skills, fte_percent=100,
        contract_type="permanent", sector=Sector.HEALTH, gender="unstated",
        district=team.district, unit=unit, team=team, provider=provider)


def instance_for(name: str, day: dt.date, carers: list[Employee],
                 visits: list[Visit]) -> dict[str, Any]:
    staff = [{"id": str(e.pk), "competence": e.competence, "skills": e.qualifications,
              "mode": "walk", "shift": ["07:30", "15:00"], "start": BASE, "end": BASE,
              "break": {"window": ["11:00", "12:30"], "minutes": 30}} for e in carers]
    out = []
    for v in visits:
        item: dict[str, Any] = {
            "id": str(v.pk), "client": str(v.client_id),
            "location": {"lat": v.client.latitude, "lon": v.client.longitude},
            "window": [v.window_start.strftime("%H:%M"), v.window_end.strftime("%H:%M")],
            "minutes": v.minutes, "competence": v.competence, "skills": v.skills,
            "staff_count": v.staff_count}
        out.append(item)
    return {
        "format": "tillit.planning-instance/1", "name": name, "date": day.isoformat(),
        "timezone": "Europe/Oslo", "competences": ["assistant", "health_worker", "nurse"],
        "travel": {"kind": "haversine", "detour_factor": 1.3,
                   "speeds_kmh": {"walk": 4.5, "bike": 14.0, "car": 22.0}},
        "objective": {"travel_minute": 1, "non_preferred_visit": 10,
                      "unassigned_visit": 1000, "overtime_minute": None, "late_minute": None},
        "staff": staff, "visits": out,
    }


def store_plan(team: Team, day: dt.date, shift: str, instance: dict[str, Any],
               seconds: float = 1.0) -> Plan:
    core_instance = load_instance(instance)
    result = plan_to_dict(solve(core_instance, seconds, seed=1), core_instance)
    queued = Plan.objects.create(team=team, date=day, shift=shift)
    return store_plan_result(queued, instance, result, {})


def make_planned_shift(make_client: Any, district_slug: str = "sagene",
                       seconds: float = 1.0) -> PlannedShift:
    district = District.objects.get(slug=district_slug)
    _unit, team, _provider = home_care(district)
    day = timezone.localdate()
    carers = [
        _employee(team, f"B{district.number:02d}1", "Nora", "nurse", ["insulin"]),
        _employee(team, f"B{district.number:02d}2", "Ola", "health_worker", []),
        _employee(team, f"B{district.number:02d}3", "Siri", "assistant", []),
    ]
    for e in carers:
        RosterEntry.objects.create(employee=e, team=team, date=day, shift="day",
                                   start=dt.time(7, 30), end=dt.time(15))
    clients = [make_client(district_slug, given_name=g) for g in
               ["Astrid", "Bjørn", "Cecilie", "Dag", "Eva", "Finn"]]
    spec = [  # client, window, minutes, competence, skills, staff count
        (0, (8, 0), (9, 30), 20, "nurse", ["insulin"], 1),
        (1, (8, 0), (10, 0), 30, "assistant", [], 1),
        (2, (9, 0), (11, 0), 25, "health_worker", [], 1),
        (3, (8, 30), (10, 30), 30, "assistant", [], 2),
        (4, (12, 30), (14, 0), 20, "assistant", [], 1),
        (5, (13, 0), (14, 30), 15, "assistant", [], 1),
        (0, (12, 0), (13, 30), 15, "assistant", [], 1),
        (1, (13, 0), (14, 30), 20, "health_worker", [], 1),
    ]
    visits = [Visit.objects.create(
        team=team, date=day, shift="day", client=clients[c], window_start=dt.time(*a),
        window_end=dt.time(*z), minutes=m, competence=comp, skills=skills, staff_count=n,
        tasks="Morgenstell" if a[0] < 11 else "Middag") for c, a, z, m, comp, skills, n in spec]
    instance = instance_for(f"{district_slug}-{day}-day", day, carers, visits)
    plan = store_plan(team, day, "day", instance, seconds)
    return PlannedShift(team, day, carers, visits, clients, plan)
