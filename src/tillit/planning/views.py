"""The planner's pages, under /planlegging/: the board per team, date and
shift (with the map and live plan status), hand moves and locks, rosters,
absences and the emergency list.

Every page declares `@policy("planning.board")` (the district's planners
and district managers); teams are fetched within the user's district, so
other districts answer 404; every page that shows clients logs the read.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.organisation.models import Employee, Team
from tillit.planning import board as b
from tillit.planning import emergency
from tillit.planning.absences import absent_carers
from tillit.planning.continuity import distinct_carers_many
from tillit.planning.forms import LockForm, MoveForm
from tillit.planning.map_svg import MapRoute, render_routes_svg
from tillit.planning.models import Absence, Plan, RosterEntry, ShiftKind, Visit
from tillit.planning.services import current_plan

BOARD = "planning.board"


def log_read(request: HttpRequest, clients: Any, what: str = What.LIST,
         interface: str = Interface.PAGE) -> None:
    ids = list(clients)
    if ids:
        record_access(actor=request.user, clients=ids, what=what, interface=interface,
                      request=request)


def team_or_404(user: Any, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id, district_id=user.district_id).select_related(
        "district").first() if user.district_id else None
    if team is None:
        raise Http404("Not found.")
    return team


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404("Not found.") from None


def parse_shift(text: str) -> str:
    if text not in ShiftKind.values:
        raise Http404("Not found.")
    return text


def running_plan(team: Team, day: dt.date, shift: str) -> Plan | None:
    return Plan.objects.filter(
        team=team, date=day, shift=shift, status__in=[Plan.Status.QUEUED, Plan.Status.RUNNING]
    ).order_by("-created_at").first()


def default_from_time(day: dt.date, shift_start: dt.time | None = None) -> dt.time:
    """Now (to the next five minutes) on today's board; else the shift's start."""
    now = timezone.localtime()
    if day == now.date():
        minutes = (now.hour * 60 + now.minute + 4) // 5 * 5
        return dt.time(min(minutes // 60, 23), minutes % 60 if minutes < 1440 else 55)
    return shift_start or dt.time(7, 30)


def failed_plan(team: Team, day: dt.date, shift: str) -> Plan | None:
    """The latest run, when it failed (the planner sees why; the old plan stands)."""
    latest = Plan.objects.filter(team=team, date=day, shift=shift).order_by(
        "-created_at", "-pk").first()
    return latest if latest is not None and latest.status == Plan.Status.FAILED else None


def _shift_start(plan: Plan | None) -> dt.time | None:
    staff = (plan.instance or {}).get("staff", []) if plan else []
    if not staff:
        return None
    return dt.time.fromisoformat(min(s["shift"][0] for s in staff)[:5])


def board_url(team: Team, day: dt.date, shift: str) -> str:
    return reverse("planning:board", args=[team.pk, day.isoformat(), shift])


def shift_employees(plan: Plan | None) -> Any:
    ids = [int(s["id"]) for s in ((plan.instance or {}).get("staff", []) if plan else [])
           if str(s.get("id", "")).isdigit()]
    return Employee.objects.filter(pk__in=ids).order_by("given_name", "family_name")


def plan_visit_rows(plan: Plan | None, user: Any) -> Any:
    ids = [int(v["id"]) for v in ((plan.instance or {}).get("visits", []) if plan else [])
           if str(v.get("id", "")).isdigit()]
    return Visit.objects.visible_to(user).filter(pk__in=ids).select_related("client", "team")


@policy(BOARD)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = list(Team.objects.filter(district_id=user.district_id).order_by("name")
                 ) if user.district_id else []
    today = timezone.localdate()
    days = [today, today + dt.timedelta(days=1)]
    plans = {(p.team_id, p.date, p.shift): p for p in Plan.objects.filter(
        team__in=teams, date__in=days, is_current=True)}
    stale = absent_carers(plans.values())
    rows = [{"team": t, "days": [{"day": d, "shifts": [
        {"shift": s, "label": label, "plan": plans.get((t.pk, d, s)),
         "needs_replan": bool(stale.get(getattr(plans.get((t.pk, d, s)), "pk", None))),
         "url": board_url(t, d, s)} for s, label in ShiftKind.choices]} for d in days]}
        for t in teams]
    return render(request, "planning/index.html", {"rows": rows, "today": today})


def _map(team: Team, board: b.Board) -> str:
    instance = board.plan.instance or {}
    staff = {s["id"]: s for s in instance.get("staff", [])}
    visits = {v["id"]: v for v in instance.get("visits", [])}
    routes = []
    for column in board.columns:
        s = staff[column.staff_id]
        points = [(s["start"]["lat"], s["start"]["lon"])]
        points += [(stop.lat, stop.lon) for stop in column.stops if not stop.is_break]
        points.append((s["end"]["lat"], s["end"]["lon"]))
        routes.append(MapRoute(str(column.employee), column.colour, points))
    unassigned = [(visits[u["visit"]]["location"]["lat"], visits[u["visit"]]["location"]["lon"])
                  for u in (board.plan.plan or {}).get("unassigned", []) if u["visit"] in visits]
    routed = [r for r in routes if len(r.points) > 2]
    description = _("%(routes)s routes with %(visits)s visits; %(unassigned)s visits not "
                    "assigned (crosses). The square marks where a route starts.") % {
        "routes": len(routed), "visits": sum(len(r.points) - 2 for r in routed),
        "unassigned": len(unassigned)}
    return render_routes_svg(team.district.slug, routes, unassigned,
                             _("Map of the routes in %(district)s") % {
                                 "district": team.district.name}, description)


@policy(BOARD)
def board(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    team = team_or_404(request.user, team_id)
    date, shift = parse_day(day), parse_shift(shift)
    plan = current_plan(team, date, shift)
    context: dict[str, Any] = {
        "team": team, "date": date, "shift": shift, "shift_label": ShiftKind(shift).label,
        "plan": plan, "running": running_plan(team, date, shift),
        "prev_day": date - dt.timedelta(days=1), "next_day": date + dt.timedelta(days=1),
        "shifts": ShiftKind.choices, "failed": failed_plan(team, date, shift),
        "emergency_ok": date in (timezone.localdate(),
                                 timezone.localdate() + dt.timedelta(days=1)),
        "from_time": default_from_time(date, _shift_start(plan)),
    }
    if plan is not None and plan.status == Plan.Status.DONE and plan.plan:
        data = b.build_board(plan, request.user)
        continuity = distinct_carers_many(data.client_ids, date)
        counts = sorted(continuity.values())
        context["continuity_median"] = statistics.median(counts) if counts else None
        for column in data.columns:
            for stop in column.stops:
                if stop.visit is not None:
                    stop.carers_28d = continuity.get(stop.visit.client_id)
        log_read(request, data.client_ids)
        context.update({
            "absent_carers": absent_carers([plan]).get(plan.pk, []),
            "board": data, "map_svg": _map(team, data), "continuity": continuity,
            "employees": shift_employees(plan),
        })
    return render(request, "planning/board.html", context)


@policy(BOARD)
def plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = Plan.objects.filter(pk=plan_id, team__district_id=request.user.district_id).first()
    if plan is None or not request.user.district_id:
        raise Http404("Not found.")
    response = render(request, "planning/_status.html", {"running": plan, "poll": True})
    if plan.status in (Plan.Status.DONE, Plan.Status.FAILED) and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def plan_for_change(request: HttpRequest, team_id: int, day: str, shift: str
                     ) -> tuple[Team, dt.date, str, Plan]:
    team = team_or_404(request.user, team_id)
    date, shift = parse_day(day), parse_shift(shift)
    plan = current_plan(team, date, shift)
    if plan is None:
        raise Http404("Not found.")
    return team, date, shift, plan


@policy(BOARD)
def move(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    """GET: the move checked with its cost change; POST: saved (or refused)."""
    team, date, shift, plan = plan_for_change(request, team_id, day, shift)
    visits = plan_visit_rows(plan, request.user)
    form = MoveForm(request.POST if request.method == "POST" else request.GET or None,
                    visits=visits, employees=shift_employees(plan))
    result = None
    places: list[b.Place] = []
    status = 200
    if form.is_bound and form.is_valid():
        visit, to = form.cleaned_data["visit"], form.cleaned_data["to"]
        from_employee, place = form.cleaned_data["from_employee"], form.cleaned_data["place"]
        seen = b.plan_visits(plan, request.user)
        places = b.route_places(plan, visit, to, seen)
        shown = {visit.client_id} | {seen[p.key[len(b.AFTER):]].client_id for p in places
                                     if p.key.startswith(b.AFTER) and p.key[len(b.AFTER):] in seen}
        log_read(request, shown, What.RECORD)
        if request.method == "POST":
            expected = form.cleaned_data["expected_version"] or plan.version
            try:
                b.do_move_visit(plan, visit, to, expected, request.user,
                                from_employee=from_employee, lock=form.cleaned_data["lock"],
                                place=place)
            except b.PlanConflict as exc:
                messages.error(request, str(exc))
                status = 409
            except b.MoveRefused as exc:
                result = exc.result
                status = 422
            else:
                messages.success(request, _("%(client)s's visit moved to %(name)s.") % {
                    "client": visit.client, "name": to})
                return redirect(board_url(team, date, shift))
        if result is None:
            result = b.evaluate_move(plan, visit, to, from_employee, place)
        if not result.ok and status == 200:
            status = 422
    elif form.is_bound:
        status = 400
    labels = {p.key: p.label for p in places}
    return render(request, "planning/move.html", {
        "team": team, "date": date, "shift": shift, "shift_label": ShiftKind(shift).label,
        "plan": plan, "form": form, "result": result, "board_url": board_url(team, date, shift),
        "places": places if len(places) > 1 else [],
        "place_label": labels.get(result.place) if result and result.ok else None,
        "feasible_labels": [labels[k] for k in (result.feasible_places if result else [])
                            if k in labels],
    }, status=status)


@require_POST
@policy(BOARD)
def lock(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    """Lock a visit to a carer (the employee field), or unlock it (no employee)."""
    team, date, shift, plan = plan_for_change(request, team_id, day, shift)
    form = LockForm(request.POST, visits=plan_visit_rows(plan, request.user),
                    employees=shift_employees(plan))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(board_url(team, date, shift))
    visit, employee = form.cleaned_data["visit"], form.cleaned_data["employee"]
    if employee is None:
        b.do_unlock_visit(visit, request.user)
        messages.success(request, _("%(client)s's visit is unlocked.") % {"client": visit.client})
    else:
        b.do_lock_visit(visit, employee, request.user)
        messages.success(request, _("%(client)s's visit is locked to %(name)s.") % {
            "client": visit.client, "name": employee})
    return redirect(board_url(team, date, shift) + f"#visit-{visit.pk}")


def _week(request: HttpRequest) -> tuple[dt.date, list[dt.date]]:
    try:
        start = dt.date.fromisoformat(request.GET.get("fra", ""))
    except ValueError:
        start = timezone.localdate()
    return start, [start + dt.timedelta(days=n) for n in range(7)]


@policy(BOARD)
def roster(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_or_404(request.user, team_id)
    start, days = _week(request)
    entries = RosterEntry.objects.filter(team=team, date__in=days).select_related("employee")
    by_employee: dict[int, dict[dt.date, list[RosterEntry]]] = {}
    employees: dict[int, Employee] = {}
    for entry in entries:
        employees[entry.employee_id] = entry.employee
        by_employee.setdefault(entry.employee_id, {}).setdefault(entry.date, []).append(entry)
    absences = Absence.objects.filter(employee_id__in=employees, first_day__lte=days[-1],
                                      last_day__gte=days[0])
    away: dict[tuple[int, dt.date], Absence] = {}
    for absence in absences:
        for d in days:
            if absence.covers(d):
                away[(absence.employee_id, d)] = absence
    rows = [{"employee": e, "cells": [{"day": d, "entries": by_employee[e.pk].get(d, []),
                                        "absence": away.get((e.pk, d))} for d in days]}
            for e in sorted(employees.values(), key=lambda e: (e.given_name, e.family_name))]
    return render(request, "planning/roster.html", {
        "team": team, "days": days, "rows": rows,
        "prev": start - dt.timedelta(days=7), "next": start + dt.timedelta(days=7),
    })


@policy(BOARD)
def emergency_list(request: HttpRequest, team_id: int, day: str) -> HttpResponse:
    team = team_or_404(request.user, team_id)
    date = parse_day(day)
    today = timezone.localdate()
    if date not in (today, today + dt.timedelta(days=1)):
        raise Http404("Not found.")
    content = emergency.build(team, date, request.user)
    log_read(request, content.client_ids, What.DAYLIST, Interface.EXPORT)
    return emergency.respond(request, content, pdf=request.GET.get("format") != "html")
