"""What a solve returns (`SolveResult`: the plan, its cost and typed statistics) and
plans as tillit.plan/1 JSON, with the cost block from the checker's cost function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tillit.core.planner.check import check_plan
from tillit.core.planner.model import Instance, Plan, format_time
from tillit.core.planner.stats import SolveStats

COST_KEYS = ("total", "travel_minutes", "non_preferred", "unassigned", "overtime_minutes",
             "late_minutes")


@dataclass(frozen=True)
class SolveResult:
    """The outcome of `solver.solve_result`: the checked plan, its cost by the
    instance's objective (`cost.py`) and what each phase did."""

    plan: Plan
    stats: SolveStats
    cost: float

    @property
    def feasible(self) -> bool:
        """Every mandatory visit planned (the plan itself always keeps every rule)."""
        src = self.plan.source
        mandatory = set() if src is None else {v.id for v in src.visits if v.mandatory}
        return not any(u.visit in mandatory for u in self.plan.unassigned)


def _routes_dict(plan: Plan) -> dict[str, Any]:
    routes = []
    for r in plan.routes:
        stops: list[dict[str, Any]] = []
        for s in r.stops:
            if s.visit is None:
                stops.append({"break": True, "start": format_time(s.start),
                              "end": format_time(s.end)})
            else:
                stops.append({"visit": s.visit, "arrive": format_time(s.arrive or s.start),
                              "start": format_time(s.start), "end": format_time(s.end)})
        routes.append({"staff": r.staff, "leave": format_time(r.leave), "stops": stops,
                       "back": format_time(r.back)})
    return {
        "format": "tillit.plan/1",
        "instance": plan.instance,
        "routes": routes,
        "unassigned": [{"visit": u.visit, "reason": u.reason} for u in plan.unassigned],
    }


def plan_to_dict(plan: Plan, instance: Instance | None = None) -> dict[str, Any]:
    """The plan as tillit.plan/1 JSON; the cost block is recomputed by the checker."""
    inst = instance or plan.source
    if inst is None:
        raise ValueError("plan_to_dict needs the plan's instance (plan.source is not set)")
    out = _routes_dict(plan)
    out["cost"] = {"total": 0, "travel_minutes": 0, "non_preferred": 0, "unassigned": 0,
                   "overtime_minutes": 0}
    report = check_plan(inst, out)
    out["cost"] = {k: report.cost[k] for k in COST_KEYS if k in report.cost}
    return out
