"""Reads of day lists: the carer's own list and the team leader's view. Every
read of person-level data goes through the access scope and is logged."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.utils import timezone

from tillit.access.scopes import visible_clients
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.daylist.models import CarePlan, VisitReport
from tillit.daylist.services import carer_of, latest_reports, unblocked_visits
from tillit.daylist.shifts import Shift, shift_for
from tillit.organisation.models import Employee, Team
from tillit.planning.models import Assignment, Plan, Visit


@dataclass
class DayVisit:
    visit: Visit
    order: int
    partner: str
    care_plan: CarePlan | None
    report: VisitReport | None
    # A report id for the no-JavaScript form (the script makes its own per tap).
    form_report_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self) -> str:
        return str(self.visit.pk)

    @property
    def window(self) -> list[str]:
        return [self.visit.window_start.strftime("%H:%M"), self.visit.window_end.strftime("%H:%M")]

    @property
    def map_url(self) -> str:
        return map_links(self.visit.client)["web"]

    @property
    def geo_url(self) -> str:
        return map_links(self.visit.client)["geo"]

    def as_contract(self) -> dict[str, Any]:
        client = self.visit.client
        return {
            "id": self.id,
            "client": client.full_name,
            "window": self.window,
            "report": self.report.as_contract() if self.report else None,
            "status": self.visit.status,
            "address": f"{client.address}, {client.postal_code}".strip(", "),
            "map_url": self.map_url,
            "geo_url": self.geo_url,
            "key_information": client.key_information,
            "practical_notes": client.practical_notes,
            "tasks": self.visit.tasks,
            "care_plan": self.care_plan.text if self.care_plan else None,
            "partner": self.partner or None,
            "guiding_minutes": self.visit.minutes,
        }


@dataclass
class DayList:
    date: dt.date
    shift: Shift | None
    team: Team | None
    contacts: list[str]
    visits: list[DayVisit] = field(default_factory=list)

    def shift_contract(self) -> dict[str, Any] | None:
        if self.shift is None:
            return None
        local = timezone.get_default_timezone()
        return {
            "kind": self.shift.kind,
            "start": timezone.localtime(self.shift.start, local).strftime("%H:%M"),
            "end": timezone.localtime(self.shift.end, local).strftime("%H:%M"),
            "team": self.team.name if self.team else None,
            "ends_at": self.shift.end.isoformat(),
        }


def map_links(client: Any) -> dict[str, str]:
    query = quote(f"{client.address}, {client.postal_code} Oslo")
    if client.latitude is not None and client.longitude is not None:
        geo = f"geo:{client.latitude:.6f},{client.longitude:.6f}?q={client.latitude:.6f},{client.longitude:.6f}({quote(client.address)})"
    else:
        geo = f"geo:0,0?q={query}"
    return {"geo": geo, "web": f"https://www.openstreetmap.org/search?query={query}"}


def current_care_plans(client_ids: list[int]) -> dict[int, CarePlan]:
    plans: dict[int, CarePlan] = {}
    for plan in CarePlan.objects.filter(client_id__in=client_ids).order_by("client_id", "version"):
        plans[plan.client_id] = plan
    return plans


def team_contacts(team: Team | None) -> list[str]:
    if team is None:
        return []
    names = []
    if team.leader_id:
        names.append(str(team.leader))
    planners = Employee.objects.filter(
        team=team, user__role="planner", user__is_active=True
    ).exclude(pk=team.leader_id or 0)
    names.extend(str(e) for e in planners[:3])
    return names


def readable_days() -> list[dt.date]:
    today = timezone.localdate()
    return [today - dt.timedelta(days=1), today]


def read_day_list(user: Any, day: dt.date, *, interface: str, request: HttpRequest | None) -> DayList:
    """The carer's own visits of `day` in the current plans, in planned
    order; the read of the clients shown is logged. Only today's list and
    yesterday's (a night shift runs past midnight): the list of a later or
    older day is empty, like a day without visits; a client (or visit)
    blocked against the carer is left out (issue #18, access matrix)."""
    employee = carer_of(user)
    assignments = list(
        Assignment.objects.filter(employee=employee, plan__is_current=True, plan__date=day,
                                  visit__in=unblocked_visits(user, Visit.objects.all())
                                  .values("pk"))
        .filter(plan__date__in=readable_days())
        .select_related("visit__client", "plan__team__leader")
        .order_by("plan__shift", "order")
    )
    visit_ids = [a.visit_id for a in assignments]
    partners: dict[int, list[str]] = {}
    for other in (
        Assignment.objects.filter(visit_id__in=visit_ids, plan__is_current=True)
        .exclude(employee=employee).select_related("employee")
    ):
        partners.setdefault(other.visit_id, []).append(str(other.employee))
    reports = latest_reports(visit_ids)
    plans = current_care_plans([a.visit.client_id for a in assignments])
    team = assignments[0].plan.team if assignments else employee.team
    shift = shift_for(employee.pk, day, {assignments[0].plan.shift}) if assignments else None
    day_list = DayList(date=day, shift=shift, team=team, contacts=team_contacts(team))
    for a in assignments:
        day_list.visits.append(DayVisit(
            visit=a.visit, order=a.order, partner=", ".join(partners.get(a.visit_id, [])),
            care_plan=plans.get(a.visit.client_id), report=reports.get(a.visit_id),
        ))
    if day_list.visits:
        record_access(actor=user, clients=[v.visit.client_id for v in day_list.visits],
                      what=What.DAYLIST, interface=interface, request=request)
    return day_list


@dataclass
class CarerProgress:
    carer: Employee
    visits: list[DayVisit]

    @property
    def counts(self) -> dict[str, int]:
        done = sum(1 for v in self.visits if v.report and v.report.done)
        not_done = sum(1 for v in self.visits if v.report and not v.report.done)
        return {"done": done, "not_done": not_done,
                "open": len(self.visits) - done - not_done}


def read_team_progress(user: Any, day: dt.date, *, interface: str,
                       request: HttpRequest | None) -> tuple[list[CarerProgress], list[DayVisit]]:
    """The district's shifts on `day` for its team leader: each carer's
    visits with their latest reports, and the visits nobody has reported
    whose window has passed (at the end of the shift: all unreported)."""
    visible = visible_clients(user).values("pk")
    plans = Plan.objects.current().filter(date=day, team__district_id=user.district_id)
    assignments = list(
        Assignment.objects.filter(plan__in=plans, visit__client_id__in=visible)
        .select_related("visit__client", "employee").order_by("employee__family_name",
                                                              "employee_id", "order")
    )
    reports = latest_reports([a.visit_id for a in assignments])
    by_carer: dict[int, CarerProgress] = {}
    for a in assignments:
        progress = by_carer.setdefault(a.employee_id, CarerProgress(a.employee, []))
        progress.visits.append(DayVisit(a.visit, a.order, "", None, reports.get(a.visit_id)))
    now = timezone.localtime()
    unreported: dict[int, DayVisit] = {}
    for progress in by_carer.values():
        for v in progress.visits:
            passed = day < now.date() or (day == now.date() and v.visit.window_end < now.time())
            if v.report is None and v.visit.is_active and passed:
                unreported.setdefault(v.visit.pk, v)
    clients = {a.visit.client_id for a in assignments}
    if clients:
        record_access(actor=user, clients=sorted(clients), what=What.DAYLIST,
                      interface=interface, request=request)
    return list(by_carer.values()), list(unreported.values())
