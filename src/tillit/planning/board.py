"""The planner's board: a read model of one stored plan, and the planner's
hand moves and locks.

- `build_board(plan, user)`: one column per carer with the visits in order
  (windows first, the planned start as secondary), each carer's load
  (direct care, travel, slack), the unassigned visits with the engine's
  reasons, and the client names through `Visit.objects.visible_to(user)`.
- `evaluate_move(plan, visit, to_employee)`: the plan with the visit moved,
  re-timed by the core's timing module at the best place on the new route
  and judged by the core's `check_plan` (competence, skills, windows, shift,
  break, two-person visits, `after` gaps); says in Norwegian why a move
  cannot be made and what it costs.
- `do_move_visit(...)`: saves a move if the plan has not changed since the
  planner read it (`Plan.version`), else raises `PlanConflict`; the write
  is `services.do_store_plan_change`.
- `do_lock_visit` / `do_unlock_visit`: set `Visit.locked_to`, which a
  re-plan keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.planner import check_plan, load_instance, plan_to_dict
from tillit.core.planner.model import Instance, Unassigned
from tillit.core.planner.model import Plan as CorePlan
from tillit.core.planner.problem import build_problem
from tillit.core.planner.timing import time_plan
from tillit.core.planner.travel import travel_seconds
from tillit.organisation.models import Competence, Employee
from tillit.planning import services
from tillit.planning.errors import PlanConflict
from tillit.planning.models import Plan, Visit

__all__ = ["MoveRefused", "PlanConflict", "build_board", "do_lock_visit", "do_move_visit",
           "do_unlock_visit", "evaluate_move"]


class MoveRefused(Exception):
    """The move breaks a rule; `result.errors` says which, in Norwegian."""

    def __init__(self, result: MoveResult) -> None:
        super().__init__("; ".join(result.errors))
        self.result = result


LOCK_PREFIX = "locked-to-"  # the instance's lock skill (tillit.planning.instance)


def _hhmm(text: str | None) -> str:
    return text[:5] if text else ""


def _seconds(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)


# -- the board -----------------------------------------------------------------


@dataclass
class BoardStop:
    visit_id: str
    visit: Visit | None
    window: str
    planned: str
    minutes: int
    staff_count: int
    partner: str = ""
    locked_here: bool = False
    is_break: bool = False
    lat: float = 0.0
    lon: float = 0.0
    carers_28d: int | None = None  # distinct carers of the client over 28 days


@dataclass
class Column:
    employee: Employee
    staff_id: str
    shift: str
    mode: str
    stops: list[BoardStop] = field(default_factory=list)
    care_minutes: int = 0
    travel_minutes: int = 0
    break_minutes: int = 0
    slack_minutes: int = 0
    colour: str = ""

    @property
    def visit_count(self) -> int:
        return sum(1 for s in self.stops if not s.is_break)


@dataclass
class Board:
    plan: Plan
    columns: list[Column]
    unassigned: list[tuple[Visit | None, str]]
    cost: dict[str, Any]
    client_ids: list[int]
    visits: dict[str, Visit]


# Okabe–Ito colours: told apart with the common colour-vision deficiencies.
ROUTE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                 "#000000", "#8C564B", "#7F7F7F", "#1B9E77", "#6A3D9A", "#B15928"]


def route_colour(index: int) -> str:
    return ROUTE_COLOURS[index % len(ROUTE_COLOURS)]


def plan_visits(plan: Plan, user: Any) -> dict[str, Visit]:
    """The plan's visits the user may see, by instance id (str(pk))."""
    ids = [int(v["id"]) for v in (plan.instance or {}).get("visits", [])
           if str(v.get("id", "")).isdigit()]
    rows = Visit.objects.visible_to(user).filter(pk__in=ids).select_related(
        "client", "locked_to")
    return {str(v.pk): v for v in rows}


def _route_travel_seconds(instance: Instance, staff_id: str, visit_ids: list[str]) -> int:
    staff = instance.staff_member(staff_id)
    points = [staff.start] + [instance.visit(v).location for v in visit_ids] + [staff.end]
    return sum(travel_seconds(instance, staff.mode, a, b)
               for a, b in zip(points, points[1:], strict=False))


def build_board(plan: Plan, user: Any) -> Board:
    """The board of a finished plan (the caller logs the read of `client_ids`)."""
    instance = load_instance(plan.instance)
    data = plan.plan or {"routes": [], "unassigned": [], "cost": {}}
    visits = plan_visits(plan, user)
    employees = Employee.objects.in_bulk(
        [int(s.id) for s in instance.staff if s.id.isdigit()])
    holders: dict[str, list[str]] = {}
    for route in data["routes"]:
        for stop in route["stops"]:
            if "visit" in stop:
                holders.setdefault(stop["visit"], []).append(route["staff"])
    routes = {r["staff"]: r for r in data["routes"]}
    columns: list[Column] = []
    for staff in instance.staff:
        employee = employees.get(int(staff.id)) if staff.id.isdigit() else None
        if employee is None:
            continue
        column = Column(employee=employee, staff_id=staff.id, mode=staff.mode,
                        shift=f"{_hhmm(_fmt(staff.shift[0]))}–{_hhmm(_fmt(staff.shift[1]))}")
        route = routes.get(staff.id)
        visit_ids: list[str] = []
        for stop in (route or {}).get("stops", []):
            if stop.get("break"):
                minutes = (_seconds(stop["end"]) - _seconds(stop["start"])) // 60
                column.break_minutes += minutes
                column.stops.append(BoardStop(
                    visit_id="", visit=None, window="", minutes=minutes, staff_count=1,
                    planned=f"{_hhmm(stop['start'])}–{_hhmm(stop['end'])}", is_break=True))
                continue
            vid = stop["visit"]
            visit_ids.append(vid)
            iv = instance.visit(vid)
            db_visit = visits.get(vid)
            others = [s for s in holders.get(vid, []) if s != staff.id]
            partner = ", ".join(str(employees[int(s)]) for s in others
                                if s.isdigit() and int(s) in employees)
            column.care_minutes += iv.seconds // 60
            column.stops.append(BoardStop(
                visit_id=vid, visit=db_visit,
                window=f"{_hhmm(_fmt(iv.window[0]))}–{_hhmm(_fmt(iv.window[1]))}",
                planned=_hhmm(stop["start"]), minutes=iv.seconds // 60,
                staff_count=iv.staff_count, partner=partner,
                locked_here=bool(db_visit and db_visit.locked_to_id == employee.pk),
                lat=iv.location.lat, lon=iv.location.lon))
        if visit_ids:
            column.travel_minutes = round(
                _route_travel_seconds(instance, staff.id, visit_ids) / 60)
        shift_minutes = (staff.shift[1] - staff.shift[0]) // 60
        column.slack_minutes = max(
            0, shift_minutes - column.care_minutes - column.travel_minutes - column.break_minutes)
        columns.append(column)
    for i, column in enumerate(columns):
        column.colour = route_colour(i)
    unassigned = [(visits.get(u["visit"]), u["reason"]) for u in data.get("unassigned", [])]
    client_ids = sorted({v.client_id for v in visits.values()})
    return Board(plan=plan, columns=columns, unassigned=unassigned,
                 cost=dict(data.get("cost", {})), client_ids=client_ids, visits=visits)


def _fmt(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


# -- moves -----------------------------------------------------------------------


BEST_PLACE = ""
FIRST_PLACE = "first"
AFTER = "after:"


@dataclass
class MoveResult:
    ok: bool
    errors: list[str]
    details: list[str] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    cost_before: float | None = None
    cost_after: float | None = None
    position: int | None = None
    place: str = BEST_PLACE  # where it went on the new route (see `route_places`)
    feasible_places: list[str] = field(default_factory=list)

    @property
    def delta(self) -> float | None:
        if self.cost_before is None or self.cost_after is None:
            return None
        return round(self.cost_after - self.cost_before, 2)


def place_key(route: list[str], position: int) -> str:
    """The place at `position` on `route` (the route without the moved visit)."""
    return FIRST_PLACE if position == 0 else AFTER + route[position - 1]


@dataclass
class Place:
    key: str
    label: str


def route_places(plan: Plan, visit: Visit, to_employee: Employee,
                 visits: dict[str, Visit]) -> list[Place]:
    """The places the planner may choose for `visit` on `to_employee`'s route
    (the best place, first, after each visit), labelled with the clients in
    `visits` (the ones the user may see) and their planned start."""
    vid, sid = str(visit.pk), str(to_employee.pk)
    starts: dict[str, str] = {}
    route: list[str] = []
    for r in (plan.plan or {}).get("routes", []):
        if r["staff"] == sid:
            for stop in r["stops"]:
                if "visit" in stop and stop["visit"] != vid:
                    route.append(stop["visit"])
                    starts[stop["visit"]] = _hhmm(stop.get("start"))

    def name(v: str) -> str:
        seen = visits.get(v)
        who = seen.client.full_name if seen is not None else _("visit %(id)s") % {"id": v}
        return f"{who} ({starts[v]})"

    places = [Place(BEST_PLACE, _("The best place (cheapest)"))]
    if route:
        places.append(Place(FIRST_PLACE, _("First, before %(visit)s") % {"visit": name(route[0])}))
        places += [Place(AFTER + v, _("After %(visit)s") % {"visit": name(v)}) for v in route]
    return places


def _sequences(data: dict[str, Any]) -> dict[str, list[str]]:
    return {r["staff"]: [s["visit"] for s in r["stops"] if "visit" in s] for r in data["routes"]}


def _refused(errors: list[str], details: list[str] | None = None,
             cost_before: float | None = None) -> MoveResult:
    return MoveResult(ok=False, errors=errors, details=details or [], cost_before=cost_before)


def evaluate_move(plan: Plan, visit: Visit, to_employee: Employee,
                  from_employee: Employee | None = None, place: str = BEST_PLACE) -> MoveResult:
    """The plan with `visit` moved to `to_employee` (from `from_employee` for a
    two-person visit), at `place` on the new route (`FIRST_PLACE`, `AFTER` +
    a visit id, or `BEST_PLACE`: the cheapest place that passes the
    checker). Nothing is saved; a refusal lists the places that would do."""
    if plan.status != Plan.Status.DONE or not plan.plan or not plan.instance:
        return _refused([_("The plan is not finished; wait for it before moving visits.")])
    instance = load_instance(plan.instance)
    before = check_plan(instance, plan.plan)
    cost_before = before.cost.get("total")
    vid, sid = str(visit.pk), str(to_employee.pk)
    staff_ids = {s.id for s in instance.staff}
    visit_ids = {v.id for v in instance.visits}
    name = str(to_employee)
    if vid not in visit_ids:
        return _refused([_("The visit is not in this plan.")], cost_before=cost_before)
    if sid not in staff_ids:
        return _refused([_("%(name)s does not work this shift in this plan.") % {"name": name}],
                        cost_before=cost_before)
    if visit.locked_to_id and visit.locked_to_id != to_employee.pk and (
            from_employee is None or from_employee.pk == visit.locked_to_id
            or instance.visit(vid).staff_count == 1):
        return _refused([_("The visit is locked to %(name)s. Unlock it before moving it.")
                         % {"name": visit.locked_to}], cost_before=cost_before)
    iv = instance.visit(vid)
    staff = instance.staff_member(sid)
    errors: list[str] = []
    if staff.level < iv.level:
        errors.append(_("%(name)s lacks the competence the visit needs (%(level)s).") % {
            "name": name, "level": Competence(iv.competence).label
            if iv.competence in Competence.values else iv.competence})
    missing = sorted(s for s in iv.skills - staff.skills if not s.startswith(LOCK_PREFIX))
    if any(s.startswith(LOCK_PREFIX) for s in iv.skills - staff.skills):
        errors.append(_("The visit was locked to another carer when this plan was made. "
                        "Unlock it and re-plan the shift to give it to someone else."))
    if missing:
        errors.append(_("%(name)s lacks the skills the visit needs: %(skills)s.")
                      % {"name": name, "skills": ", ".join(missing)})
    seqs = _sequences(plan.plan)
    holders = [s for s, seq in seqs.items() if vid in seq]
    if sid in holders:
        errors.append(_("%(name)s already has this visit.") % {"name": name})
    if iv.staff_count == 2:
        if len(holders) != 2:
            errors.append(_("A two-person visit needs two carers: re-plan the shift, or lock "
                            "it and re-plan."))
        elif from_employee is None or str(from_employee.pk) not in holders:
            errors.append(_("Choose which of the two carers to replace."))
    if errors:
        return _refused(errors, cost_before=cost_before)
    leaving = str(from_employee.pk) if iv.staff_count == 2 and from_employee else (
        holders[0] if holders else None)
    if leaving is not None:
        seqs[leaving] = [v for v in seqs[leaving] if v != vid]
    problem = build_problem(instance)
    unassigned = tuple(Unassigned(u["visit"], u["reason"])
                       for u in plan.plan.get("unassigned", []) if u["visit"] != vid)
    target = seqs.get(sid, [])
    keys = [place_key(target, position) for position in range(len(target) + 1)]
    if place and place not in keys:
        return _refused([_("The place you chose is not on %(name)s's route any more. "
                           "Choose another place.") % {"name": name}], cost_before=cost_before)
    best: MoveResult | None = None
    chosen: MoveResult | None = None
    feasible: list[str] = []
    details: list[str] = []
    for position, key in enumerate(keys):
        trial = dict(seqs)
        trial[sid] = target[:position] + [vid] + target[position:]
        trial = {s: q for s, q in trial.items() if q}
        timing = time_plan(problem, trial)
        if timing.fail is not None:
            if timing.fail_reason and timing.fail_reason not in details:
                details.append(timing.fail_reason)
            continue
        routes = tuple(timing.routes[s].to_route(problem) for s in trial)
        candidate = plan_to_dict(CorePlan(instance=instance.name, routes=routes,
                                          unassigned=unassigned), instance)
        report = check_plan(instance, candidate)
        if not report.feasible:
            details.extend(v for v in report.violations[:3] if v not in details)
            continue
        total = report.cost["total"]
        feasible.append(key)
        result = MoveResult(ok=True, errors=[], plan=candidate, cost_before=cost_before,
                            cost_after=total, position=position, place=key)
        if key == place:
            chosen = result
        if best is None or total < (best.cost_after or 0):
            best = result
    if best is None:
        return _refused([_("%(name)s cannot fit the visit in: no place on the route keeps "
                           "every window, the shift, the break and the other visits' times.")
                         % {"name": name}], details[:5], cost_before)
    if place and chosen is None:
        refused = _refused([_("The visit does not fit where you chose on %(name)s's route: "
                              "there it breaks a window, the shift, the break or another "
                              "visit's time. Choose another place, or the best place.")
                            % {"name": name}], details[:5], cost_before)
        refused.feasible_places = feasible
        return refused
    result = chosen or best
    result.feasible_places = feasible
    return result


def do_move_visit(plan: Plan, visit: Visit, to_employee: Employee, expected_version: int,
                  user: Any, from_employee: Employee | None = None, lock: bool = False,
                  place: str = BEST_PLACE) -> Plan:
    """Save a checked move; `PlanConflict` if the plan changed since
    `expected_version` (or was replaced), `MoveRefused` if the move breaks a
    rule. The stored plan passes `check_plan` (`services.do_store_plan_change`)."""
    with transaction.atomic():
        current = Plan.objects.select_for_update().filter(pk=plan.pk).first()
        if current is None or current.version != expected_version or not current.is_current:
            raise PlanConflict()
        result = evaluate_move(current, visit, to_employee, from_employee, place)
        if not result.ok or result.plan is None:
            raise MoveRefused(result)
        saved = services.do_store_plan_change(current, result.plan, expected_version, user)
        moves = list(saved.stats.get("hand_moves", []))
        moves.append({"visit": str(visit.pk), "to": str(to_employee.pk),
                      "from": str(from_employee.pk) if from_employee else None,
                      "place": result.place or "best",
                      "by": getattr(user, "username", ""),
                      "at": timezone.now().isoformat(timespec="seconds")})
        Plan.objects.filter(pk=saved.pk).update(stats={**saved.stats, "hand_moves": moves})
        saved.stats = {**saved.stats, "hand_moves": moves}
        if lock:
            Visit.objects.filter(pk=visit.pk).update(locked_to=to_employee)
        return saved


def do_lock_visit(visit: Visit, employee: Employee, user: Any) -> Visit:
    """Lock the visit to a carer of its team's district: a re-plan keeps it there."""
    with transaction.atomic():
        if employee.district_id != visit.team.district_id:
            raise ValueError("the carer works in another district")
        Visit.objects.filter(pk=visit.pk).update(locked_to=employee)
        visit.locked_to = employee
        return visit


def do_unlock_visit(visit: Visit, user: Any) -> Visit:
    with transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(locked_to=None)
        visit.locked_to = None
        return visit


# -- what a re-plan changed --------------------------------------------------------


@dataclass
class Change:
    visit_id: str
    visit: Visit | None
    before: list[str]  # carer names (empty: not assigned / not in the plan)
    after: list[str]
    before_start: str
    after_start: str
    kind: str  # "moved", "new", "now_unassigned", "now_assigned", "retimed"
    locked: bool = False


def _holders(data: dict[str, Any] | None) -> tuple[dict[str, list[str]], dict[str, str]]:
    holders: dict[str, list[str]] = {}
    starts: dict[str, str] = {}
    for route in (data or {}).get("routes", []):
        for stop in route["stops"]:
            if "visit" in stop:
                holders.setdefault(stop["visit"], []).append(route["staff"])
                starts[stop["visit"]] = _hhmm(stop["start"])
    return holders, starts


def plan_changes(old: Plan, new: Plan, user: Any) -> list[Change]:
    """Per visit, who had it before and who has it now (only the changed ones,
    re-timed visits last)."""
    before, before_starts = _holders(old.plan)
    after, after_starts = _holders(new.plan)
    in_old = {v["id"] for v in (old.instance or {}).get("visits", [])}
    in_new = [v["id"] for v in (new.instance or {}).get("visits", [])]
    staff_ids = {int(s) for ids in [*before.values(), *after.values()] for s in ids}
    names = {str(e.pk): str(e) for e in Employee.objects.filter(pk__in=staff_ids)}
    visits = {**plan_visits(old, user), **plan_visits(new, user)}
    changes: list[Change] = []
    # a visit nobody left on the shift may take is left out of the new instance:
    # it is now unassigned too
    left_out = [v for v in (old.instance or {}).get("visits", []) if v["id"] not in set(in_new)]
    for vid in [*in_new, *(v["id"] for v in left_out)]:
        was, now = sorted(before.get(vid, [])), sorted(after.get(vid, []))
        if vid not in in_old:
            kind = "new"
        elif vid not in in_new:
            if not was:
                continue
            kind = "now_unassigned"
        elif was == now:
            if before_starts.get(vid) == after_starts.get(vid):
                continue
            kind = "retimed"
        elif not now:
            kind = "now_unassigned"
        elif not was:
            kind = "now_assigned"
        else:
            kind = "moved"
        visit = visits.get(vid)
        changes.append(Change(
            visit_id=vid, visit=visit, before=[names.get(s, s) for s in was],
            after=[names.get(s, s) for s in now], before_start=before_starts.get(vid, ""),
            after_start=after_starts.get(vid, ""), kind=kind,
            locked=bool(visit and visit.locked_to_id)))
    order = {"moved": 0, "new": 1, "now_assigned": 2, "now_unassigned": 3, "retimed": 4}
    changes.sort(key=lambda c: (order[c.kind], c.after_start or c.before_start))
    return changes
