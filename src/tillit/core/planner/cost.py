"""The objective of planning-format.md, in one place.

    cost = travel_minute * travel_minutes + non_preferred_visit * non_preferred
           + unassigned_visit * unassigned + overtime_minute * overtime_minutes
           + late_minute * late_minutes

`Weights` holds the instance's weights per second (as the timing counts) and
per count; `cost_block` turns raw totals into the plan's `cost` block (the
checker and the written plan); `plan_cost` prices a timed set of routes (the
solver's phases). The greedy insertion and ruin and recreate price changes
with the same `Weights`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tillit.core.planner.model import Instance, Objective

if TYPE_CHECKING:
    from tillit.core.planner.problem import Problem
    from tillit.core.planner.timing import Timing


@dataclass(frozen=True)
class Weights:
    travel: float  # per second of travel
    non_preferred: float  # per visit done by none of the client's preferred staff
    unassigned: float  # per visit left unassigned
    overtime: float  # per second of overtime (0 when overtime is not allowed)
    late: float  # per second late (0 when windows are hard)

    @classmethod
    def of(cls, objective: Objective) -> Weights:
        return cls(
            travel=objective.travel_minute / 60,
            non_preferred=objective.non_preferred_visit,
            unassigned=objective.unassigned_visit,
            overtime=(objective.overtime_minute or 0.0) / 60,
            late=(objective.late_minute or 0.0) / 60,
        )


def cost_block(instance: Instance, travel_secs: int, non_preferred: int, unassigned: int,
               overtime_secs: int, late_secs: int) -> dict[str, float]:
    """The plan's cost block from raw totals."""
    obj = instance.objective
    travel_min = travel_secs / 60
    overtime_min = overtime_secs / 60
    late_min = late_secs / 60
    total = (obj.travel_minute * travel_min + obj.non_preferred_visit * non_preferred
             + obj.unassigned_visit * unassigned
             + (obj.overtime_minute or 0.0) * overtime_min
             + (obj.late_minute or 0.0) * late_min)
    return {
        "total": round(total, 6),
        "travel_minutes": round(travel_min, 6),
        "non_preferred": int(non_preferred),
        "unassigned": int(unassigned),
        "overtime_minutes": round(overtime_min, 6),
        "late_minutes": round(late_min, 6),
        "travel_seconds": int(travel_secs),
    }


def plan_cost(problem: Problem, timing: Timing, unassigned: int) -> float:
    """The total cost of timed routes with `unassigned` visits left out (a two-person
    visit's lateness counted once)."""
    inst = problem.instance
    travel = 0
    overtime = 0
    staff_of: dict[str, list[str]] = {}
    for sid, rt in timing.routes.items():
        st = problem.staff[sid]
        pts = [problem.start_pt[sid], *(problem.visit_pt[v] for v in rt.seq), problem.end_pt[sid]]
        travel += sum(problem.travel(st, a, b) for a, b in zip(pts, pts[1:], strict=False))
        overtime += rt.overtime
        for v in rt.seq:
            staff_of.setdefault(v, []).append(sid)
    nonpref = 0
    for vid, ss in staff_of.items():
        v = problem.visits[vid]
        if v.preferred_staff and not set(ss) & set(v.preferred_staff):
            nonpref += 1
    late = 0
    if inst.objective.late_minute is not None:
        for vid, st in timing.starts().items():
            late += max(0, st - problem.visits[vid].window[1])
    return cost_block(inst, travel, nonpref, unassigned, overtime, late)["total"]
