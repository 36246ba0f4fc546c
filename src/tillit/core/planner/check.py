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


@dataclass
class CheckReport:
    feasible: bool
    violations: list[str]
    cost: dict[str, float]
    cost_matches: bool
    cost_differences: list[str] = field(default_factory=list)
    stated_cost: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.feasible and self.cost_matches

    def to_dict(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible,
            "violations": list(self.violations),
            "violation_count": len(self.violations),
            "cost": dict(self.cost),
            "stated_cost": dict(self.stated_cost),
            "cost_matches": self.cost_matches,
            "cost_differences": list(self.cost_differences),
        }


class _Ctx:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def bad(self, msg: str) -> None:
        self.violations.append(msg)


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
        return CheckReport(False, ctx.violations, {}, False, ["plan is not well formed"], stated)

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
            ctx.bad(f"route {r_i}: unknown staff member {sid!r}")
            continue
        if sid in seen_staff:
            ctx.bad(f"staff member {sid} has more than one route")
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
            ctx.bad(f"unassigned visit {vid} has no reason")
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
            ctx.bad(f"visit {v.id} is listed {n_un} times as unassigned")
        if assigned and n_un:
            ctx.bad(f"visit {v.id} is both in a route and unassigned")
        if not assigned and not n_un:
            ctx.bad(f"visit {v.id} appears neither in a route nor as unassigned")
        if n_un and v.mandatory:
            ctx.bad(f"mandatory visit {v.id} is unassigned")
        if not assigned:
            continue
        if len(assigned) != v.staff_count:
            ctx.bad(f"visit {v.id} needs {v.staff_count} staff member(s) but is in "
                    f"{len(assigned)} route(s) ({', '.join(s for s, _ in assigned)})")
        staff_ids = {s for s, _ in assigned}
        if len(staff_ids) != len(assigned):
            ctx.bad(f"visit {v.id} is done twice by the same staff member")
        vstarts = {st for _, st in assigned}
        if len(vstarts) > 1:
            ctx.bad(f"two-person visit {v.id} starts at different times "
                    f"({', '.join(f'{s} {format_time(st)}' for s, st in assigned)})")
        start = min(vstarts)
        starts[v.id] = start
        late = max(st for st in vstarts) - v.window[1]
        if late > 0:
            if late_ok:
                late_secs += late
            else:
                ctx.bad(f"visit {v.id} starts {format_time(max(vstarts))}, after its window "
                        f"ends {format_time(v.window[1])}")
        if v.preferred_staff and not (staff_ids & set(v.preferred_staff)):
            non_preferred += 1

    for v in instance.visits:
        if v.after is None:
            continue
        target = v.after.visit
        if v.id in starts and target not in starts:
            ctx.bad(f"visit {v.id} is planned but the visit it must follow ({target}) is not")
        elif v.id in starts and target in starts:
            gap = starts[v.id] - starts[target]
            if gap < v.after.min_seconds or gap > v.after.max_seconds:
                ctx.bad(f"visit {v.id} starts {gap / 60:.2f} min after {target}; it must be "
                        f"{v.after.min_seconds // 60}-{v.after.max_seconds // 60} min after")

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
                f"{format_time(shift0)}")
    pos = staff.start
    free = leave  # when the staff member may leave `pos`
    pending: tuple[int, int] | None = None  # break after the previous stop, not yet placed
    breaks: list[tuple[int, int]] = []
    n_visits = 0
    travel = 0
    in_route: set[str] = set()
    last_break_after_last_visit: int | None = None

    def trip(to_pos: Any, arrive: int, what: str) -> None:
        nonlocal travel, pending
        secs = travel_seconds(instance, staff.mode, pos, to_pos)
        travel += secs
        dep = arrive - secs
        if dep < free:
            ctx.bad(f"staff {sid}: {what} at {format_time(arrive)} is too early; the "
                    f"{secs} s trip cannot leave before {format_time(free)}")
        if pending is not None:
            bs, be = pending
            if not (arrive <= bs or dep >= be) and secs > 0:
                ctx.bad(f"staff {sid}: the break {format_time(bs)}-{format_time(be)} falls "
                        f"within the trip to {what} ({format_time(dep)}-{format_time(arrive)})")

    for k, stop in enumerate(route["stops"]):
        if "break" in stop:
            bs = _time(ctx, stop["start"], f"staff {sid} break start")
            be = _time(ctx, stop["end"], f"staff {sid} break end")
            if bs is None or be is None:
                continue
            if pending is not None:
                ctx.bad(f"staff {sid} takes two breaks in a row")
            breaks.append((bs, be))
            if bs < free:
                ctx.bad(f"staff {sid}: break starts {format_time(bs)}, before the previous "
                        f"stop is over ({format_time(free)})")
            pending = (bs, be)
            continue
        vid = stop["visit"]
        v = visits.get(vid)
        what = f"visit {vid}"
        if v is None:
            ctx.bad(f"staff {sid}: route {k}th stop is unknown visit {vid!r}")
            continue
        arrive = _time(ctx, stop["arrive"], f"staff {sid} {what} arrive")
        start = _time(ctx, stop["start"], f"staff {sid} {what} start")
        end = _time(ctx, stop["end"], f"staff {sid} {what} end")
        if arrive is None or start is None or end is None:
            continue
        if vid in in_route:
            ctx.bad(f"staff {sid} visits {vid} twice")
        in_route.add(vid)
        n_visits += 1
        served.setdefault(vid, []).append((sid, start))
        if staff.level < v.level:
            ctx.bad(f"staff {sid} ({staff.competence}) lacks the competence {v.competence} "
                    f"for visit {vid}")
        missing = v.skills - staff.skills
        if missing:
            ctx.bad(f"staff {sid} lacks skill(s) {', '.join(sorted(missing))} for visit {vid}")
        trip(v.location, arrive, what)
        if start < arrive:
            ctx.bad(f"staff {sid}: visit {vid} starts {format_time(start)} before arriving "
                    f"{format_time(arrive)}")
        if start < v.window[0]:
            ctx.bad(f"staff {sid}: visit {vid} starts {format_time(start)}, before its window "
                    f"opens {format_time(v.window[0])}")
        if end != start + v.seconds:
            ctx.bad(f"staff {sid}: visit {vid} ends {format_time(end)}; it lasts "
                    f"{v.seconds // 60} min from {format_time(start)}")
        if pending is not None and pending[1] > start:
            ctx.bad(f"staff {sid}: break {format_time(pending[0])}-{format_time(pending[1])} "
                    f"overlaps visit {vid} starting {format_time(start)}")
        if not overtime_ok and end > shift1:
            ctx.bad(f"staff {sid}: visit {vid} ends {format_time(end)}, after the shift ends "
                    f"{format_time(shift1)}")
        pending = None
        pos = v.location
        free = max(end, start)
    # the trip back
    trip(staff.end, back, "the way back")
    if pending is not None:
        last_break_after_last_visit = pending[1]
    if back < free:
        ctx.bad(f"staff {sid}: back {format_time(back)} before the last stop ends")

    if staff.brk is None:
        if breaks:
            ctx.bad(f"staff {sid} takes a break but has none in the instance")
    else:
        if n_visits and not breaks:
            ctx.bad(f"staff {sid} has visits but no break")
        if len(breaks) > 1:
            ctx.bad(f"staff {sid} takes {len(breaks)} breaks; exactly one is required")
        lo, hi = staff.brk.window
        for bs, be in breaks:
            if not lo <= bs <= hi:
                ctx.bad(f"staff {sid}: break starts {format_time(bs)}, outside its window "
                        f"{format_time(lo)}-{format_time(hi)}")
            if be - bs < staff.brk.seconds:
                ctx.bad(f"staff {sid}: break {format_time(bs)}-{format_time(be)} is shorter "
                        f"than {staff.brk.seconds // 60} min")
            if bs < leave:
                ctx.bad(f"staff {sid}: break starts {format_time(bs)}, before leaving "
                        f"{format_time(leave)}")
            if not overtime_ok and be > shift1:
                ctx.bad(f"staff {sid}: break ends {format_time(be)}, after the shift ends "
                        f"{format_time(shift1)}")
    latest = back if last_break_after_last_visit is None else max(back,
                                                                  last_break_after_last_visit)
    overtime = max(0, latest - shift1)
    if overtime and not overtime_ok:
        ctx.bad(f"staff {sid} is back {format_time(latest)}, after the shift ends "
                f"{format_time(shift1)} (no overtime allowed)")
        overtime = 0
    return travel, overtime


def check_plan_file_cost(cost: dict[str, float]) -> str:
    """One-line summary of a recomputed cost block."""
    return ", ".join(f"{k}={v}" for k, v in cost.items())


__all__ = ["CheckReport", "check_plan", "cost_block"]
