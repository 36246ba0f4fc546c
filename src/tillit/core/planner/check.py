"""The plan checker: every rule of planning-format.md, and the cost recomputed.

Written from the format alone and independently of the solver: it reads the
plan as JSON (times as text) and never trusts any figure the plan states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonschema

from tillit.core.planner.cost import cost_block
from tillit.core.planner.errors import InstanceError
from tillit.core.planner.load import _validator
from tillit.core.planner.model import Instance, Staff, Visit, format_time, parse_time
from tillit.core.planner.travel import travel_seconds

TOLERANCE = 0.01
MINUTE_KEYS = ("total", "travel_minutes", "overtime_minutes", "late_minutes")
COUNT_KEYS = ("non_preferred", "unassigned")


@dataclass(frozen=True)
class Violation:
    """One broken rule: the message, the kind of rule, and the visits and staff
    member it names (for callers that act on it, such as the solver's repair)."""

    message: str
    kind: str = "rule"
    visits: tuple[str, ...] = ()
    staff: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class CheckReport:
    feasible: bool
    violations: list[str]
    cost: dict[str, float]
    cost_matches: bool
    cost_differences: list[str] = field(default_factory=list)
    stated_cost: dict[str, Any] = field(default_factory=dict)
    details: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.feasible and self.cost_matches

    def to_dict(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible,
            "violations": list(self.violations),
            "violation_count": len(self.violations),
            "details": [{"message": d.message, "kind": d.kind, "visits": list(d.visits),
                         "staff": d.staff} for d in self.details],
            "cost": dict(self.cost),
            "stated_cost": dict(self.stated_cost),
            "cost_matches": self.cost_matches,
            "cost_differences": list(self.cost_differences),
        }


class _Ctx:
    def __init__(self) -> None:
        self.details: list[Violation] = []

    @property
    def violations(self) -> list[str]:
        return [d.message for d in self.details]

    def bad(self, msg: str, *, visits: tuple[str, ...] = (), staff: str | None = None,
            kind: str = "rule") -> None:
        self.details.append(Violation(msg, kind, visits, staff))


def _time(ctx: _Ctx, raw: Any, what: str) -> int | None:
    try:
        return parse_time(str(raw))
    except InstanceError:
        ctx.bad(f"{what}: bad time {raw!r}")
        return None


def check_plan(instance: Instance, plan: dict) -> CheckReport:
    """Check `plan` (tillit.plan/1 as parsed JSON) against `instance`."""
    ctx = _Ctx()
    stated = dict(plan.get("cost", {})) if isinstance(plan, dict) else {}
    try:
        errors = sorted(_validator("plan.schema.json").iter_errors(plan),
                        key=lambda e: list(e.path))
    except jsonschema.SchemaError as exc:  # pragma: no cover - our schema is valid
        raise RuntimeError(str(exc)) from exc
    if errors:
        for err in errors[:10]:
            where = "/".join(str(p) for p in err.path) or "(top level)"
            ctx.bad(f"plan schema violation at {where}: {err.message}")
        return CheckReport(False, ctx.violations, {}, False, ["plan is not well formed"], stated,
                           ctx.details)

    if plan["instance"] != instance.name:
        ctx.bad(f"plan is for instance {plan['instance']!r}, not {instance.name!r}")
    obj = instance.objective
    overtime_ok = obj.overtime_minute is not None
    late_ok = obj.late_minute is not None
    visits = {v.id: v for v in instance.visits}
    staff_by_id = {s.id: s for s in instance.staff}

    # visit id -> list of (staff id, start)
    served: dict[str, list[tuple[str, int]]] = {}
    travel_total = 0
    overtime_total = 0
    seen_staff: set[str] = set()

    for r_i, route in enumerate(plan["routes"]):
        sid = route["staff"]
        staff = staff_by_id.get(sid)
        if staff is None:
            ctx.bad(f"route {r_i}: unknown staff member {sid!r}", staff=sid)
            continue
        if sid in seen_staff:
            ctx.bad(f"staff member {sid} has more than one route", staff=sid)
            continue
        seen_staff.add(sid)
        t, o = _check_route(ctx, instance, staff, route, visits, served, overtime_ok)
        travel_total += t
        overtime_total += o

    unassigned_ids: list[str] = []
    for u in plan["unassigned"]:
        vid = u["visit"]
        if vid not in visits:
            ctx.bad(f"unassigned lists unknown visit {vid!r}")
            continue
        if not str(u["reason"]).strip():
            ctx.bad(f"unassigned visit {vid} has no reason", visits=(vid,))
        unassigned_ids.append(vid)
    unassigned_count: dict[str, int] = {}
    for vid in unassigned_ids:
        unassigned_count[vid] = unassigned_count.get(vid, 0) + 1

    non_preferred = 0
    late_secs = 0
    starts: dict[str, int] = {}
    for v in instance.visits:
        assigned = served.get(v.id, [])
        n_un = unassigned_count.get(v.id, 0)
        if n_un > 1:
            ctx.bad(f"visit {v.id} is listed {n_un} times as unassigned", visits=(v.id,))
        if assigned and n_un:
            ctx.bad(f"visit {v.id} is both in a route and unassigned", visits=(v.id,))
        if not assigned and not n_un:
            ctx.bad(f"visit {v.id} appears neither in a route nor as unassigned", visits=(v.id,))
        if n_un and v.mandatory:
            ctx.bad(f"mandatory visit {v.id} is unassigned", visits=(v.id,), kind="mandatory_unassigned")
        if not assigned:
            continue
        if len(assigned) != v.staff_count:
            ctx.bad(f"visit {v.id} needs {v.staff_count} staff member(s) but is in "
                    f"{len(assigned)} route(s) ({', '.join(s for s, _ in assigned)})", visits=(v.id,))
        staff_ids = {s for s, _ in assigned}
        if len(staff_ids) != len(assigned):
            ctx.bad(f"visit {v.id} is done twice by the same staff member", visits=(v.id,))
        vstarts = {st for _, st in assigned}
        if len(vstarts) > 1:
            ctx.bad(f"two-person visit {v.id} starts at different times "
                    f"({', '.join(f'{s} {format_time(st)}' for s, st in assigned)})", visits=(v.id,))
        start = min(vstarts)
        starts[v.id] = start
        late = max(st for st in vstarts) - v.window[1]
        if late > 0:
            if late_ok:
                late_secs += late
            else:
                ctx.bad(f"visit {v.id} starts {format_time(max(vstarts))}, after its window "
                        f"ends {format_time(v.window[1])}", visits=(v.id,))
        if v.preferred_staff and not (staff_ids & set(v.preferred_staff)):
            non_preferred += 1

    for v in instance.visits:
        if v.after is None:
            continue
        target = v.after.visit
        if v.id in starts and target not in starts:
            ctx.bad(f"visit {v.id} is planned but the visit it must follow ({target}) is not", visits=(v.id, target))
        elif v.id in starts and target in starts:
            gap = starts[v.id] - starts[target]
            if gap < v.after.min_seconds or gap > v.after.max_seconds:
                ctx.bad(f"visit {v.id} starts {gap / 60:.2f} min after {target}; it must be "
                        f"{v.after.min_seconds // 60}-{v.after.max_seconds // 60} min after", visits=(v.id, target))

    cost = cost_block(instance, travel_total, non_preferred, len(set(unassigned_ids)),
                      overtime_total, late_secs)
    diffs: list[str] = []
    for key in MINUTE_KEYS:
        if key not in stated:
            if key == "late_minutes" and abs(cost[key]) <= TOLERANCE:
                continue
            diffs.append(f"cost.{key} is missing (recomputed {cost[key]})")
            continue
        try:
            ok = abs(float(stated[key]) - cost[key]) <= TOLERANCE
        except (TypeError, ValueError):
            ok = False
        if not ok:
            diffs.append(f"cost.{key} is {stated[key]}, recomputed {cost[key]}")
    for key in COUNT_KEYS:
        if stated.get(key) != cost[key]:
            diffs.append(f"cost.{key} is {stated.get(key)}, recomputed {cost[key]}")
    return CheckReport(
        feasible=not ctx.violations, violations=ctx.violations, cost=cost,
        cost_matches=not diffs, cost_differences=diffs, stated_cost=stated,
        details=ctx.details,
    )


def _check_route(ctx: _Ctx, instance: Instance, staff: Staff, route: dict,
                 visits: dict[str, Visit], served: dict[str, list[tuple[str, int]]],
                 overtime_ok: bool) -> tuple[int, int]:
    """Check one route; return (travel seconds, overtime seconds)."""
    sid = staff.id
    leave = _time(ctx, route["leave"], f"staff {sid} leave")
    back = _time(ctx, route["back"], f"staff {sid} back")
    if leave is None or back is None:
        return 0, 0
    shift0, shift1 = staff.shift
    if leave < shift0:
        ctx.bad(f"staff {sid} leaves {format_time(leave)}, before the shift starts "
                f"{format_time(shift0)}", staff=sid)
    pos = staff.start
    free = leave  # when the staff member may leave `pos`
    pending: tuple[int, int] | None = None  # break after the previous stop, not yet placed
    breaks: list[tuple[int, int]] = []
    n_visits = 0
    travel = 0
    in_route: set[str] = set()
    last_break_after_last_visit: int | None = None

    def trip(to_pos: Any, arrive: int, what: str, vid: str | None = None) -> None:
        nonlocal travel, pending
        named = (vid,) if vid is not None else ()
        secs = travel_seconds(instance, staff.mode, pos, to_pos)
        travel += secs
        dep = arrive - secs
        if dep < free:
            ctx.bad(f"staff {sid}: {what} at {format_time(arrive)} is too early; the "
                    f"{secs} s trip cannot leave before {format_time(free)}", visits=named,
                    staff=sid)
        if pending is not None:
            bs, be = pending
            if not (arrive <= bs or dep >= be) and secs > 0:
                ctx.bad(f"staff {sid}: the break {format_time(bs)}-{format_time(be)} falls "
                        f"within the trip to {what} ({format_time(dep)}-{format_time(arrive)})",
                        visits=named, staff=sid)

    for k, stop in enumerate(route["stops"]):
        if "break" in stop:
            bs = _time(ctx, stop["start"], f"staff {sid} break start")
            be = _time(ctx, stop["end"], f"staff {sid} break end")
            if bs is None or be is None:
                continue
            if pending is not None:
                ctx.bad(f"staff {sid} takes two breaks in a row", staff=sid)
            breaks.append((bs, be))
            if bs < free:
                ctx.bad(f"staff {sid}: break starts {format_time(bs)}, before the previous "
                        f"stop is over ({format_time(free)})", staff=sid)
            pending = (bs, be)
            continue
        vid = stop["visit"]
        v = visits.get(vid)
        what = f"visit {vid}"
        if v is None:
            ctx.bad(f"staff {sid}: route {k}th stop is unknown visit {vid!r}", staff=sid)
            continue
        arrive = _time(ctx, stop["arrive"], f"staff {sid} {what} arrive")
        start = _time(ctx, stop["start"], f"staff {sid} {what} start")
        end = _time(ctx, stop["end"], f"staff {sid} {what} end")
        if arrive is None or start is None or end is None:
            continue
        if vid in in_route:
            ctx.bad(f"staff {sid} visits {vid} twice", visits=(vid,), staff=sid)
        in_route.add(vid)
        n_visits += 1
        served.setdefault(vid, []).append((sid, start))
        if staff.level < v.level:
            ctx.bad(f"staff {sid} ({staff.competence}) lacks the competence {v.competence} "
                    f"for visit {vid}", visits=(vid,), staff=sid)
        missing = v.skills - staff.skills
        if missing:
            ctx.bad(f"staff {sid} lacks skill(s) {', '.join(sorted(missing))} for visit {vid}", visits=(vid,), staff=sid)
        trip(v.location, arrive, what, vid)
        if start < arrive:
            ctx.bad(f"staff {sid}: visit {vid} starts {format_time(start)} before arriving "
                    f"{format_time(arrive)}", visits=(vid,), staff=sid)
        if start < v.window[0]:
            ctx.bad(f"staff {sid}: visit {vid} starts {format_time(start)}, before its window "
                    f"opens {format_time(v.window[0])}", visits=(vid,), staff=sid)
        if end != start + v.seconds:
            ctx.bad(f"staff {sid}: visit {vid} ends {format_time(end)}; it lasts "
                    f"{v.seconds // 60} min from {format_time(start)}", visits=(vid,), staff=sid)
        if pending is not None and pending[1] > start:
            ctx.bad(f"staff {sid}: break {format_time(pending[0])}-{format_time(pending[1])} "
                    f"overlaps visit {vid} starting {format_time(start)}", visits=(vid,), staff=sid)
        if not overtime_ok and end > shift1:
            ctx.bad(f"staff {sid}: visit {vid} ends {format_time(end)}, after the shift ends "
                    f"{format_time(shift1)}", visits=(vid,), staff=sid)
        pending = None
        pos = v.location
        free = max(end, start)
    # the trip back
    trip(staff.end, back, "the way back")
    if pending is not None:
        last_break_after_last_visit = pending[1]
    if back < free:
        ctx.bad(f"staff {sid}: back {format_time(back)} before the last stop ends", staff=sid)

    if staff.brk is None:
        if breaks:
            ctx.bad(f"staff {sid} takes a break but has none in the instance", staff=sid)
    else:
        if n_visits and not breaks:
            ctx.bad(f"staff {sid} has visits but no break", staff=sid)
        if len(breaks) > 1:
            ctx.bad(f"staff {sid} takes {len(breaks)} breaks; exactly one is required", staff=sid)
        lo, hi = staff.brk.window
        for bs, be in breaks:
            if not lo <= bs <= hi:
                ctx.bad(f"staff {sid}: break starts {format_time(bs)}, outside its window "
                        f"{format_time(lo)}-{format_time(hi)}", staff=sid)
            if be - bs < staff.brk.seconds:
                ctx.bad(f"staff {sid}: break {format_time(bs)}-{format_time(be)} is shorter "
                        f"than {staff.brk.seconds // 60} min", staff=sid)
            if bs < leave:
                ctx.bad(f"staff {sid}: break starts {format_time(bs)}, before leaving "
                        f"{format_time(leave)}", staff=sid)
            if not overtime_ok and be > shift1:
                ctx.bad(f"staff {sid}: break ends {format_time(be)}, after the shift ends "
                        f"{format_time(shift1)}", staff=sid)
    latest = back if last_break_after_last_visit is None else max(back,
                                                                  last_break_after_last_visit)
    overtime = max(0, latest - shift1)
    if overtime and not overtime_ok:
        ctx.bad(f"staff {sid} is back {format_time(latest)}, after the shift ends "
                f"{format_time(shift1)} (no overtime allowed)", staff=sid)
        overtime = 0
    return travel, overtime


def check_plan_file_cost(cost: dict[str, float]) -> str:
    """One-line summary of a recomputed cost block."""
    return ", ".join(f"{k}={v}" for k, v in cost.items())


__all__ = ["CheckReport", "Violation", "check_plan", "cost_block"]
