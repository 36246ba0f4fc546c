"""PyVRP for (sub-)problems with nothing PyVRP cannot express.

Eligible: no breaks, every visit open to every staff member in the part, one
carer per visit, no `after`, no continuity preferences, hard windows and no
overtime. Then the problem is a prize-collecting VRPTW with one profile per
travel mode, which PyVRP's iterated local search solves very well.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime, MultipleCriteria, StoppingCriterion

from tillit.core.planner.problem import Problem

SCALE = 6000
HORIZON = 86399


def pyvrp_eligible(problem: Problem, visit_ids: Sequence[str], staff_ids: Sequence[str]) -> bool:
    obj = problem.instance.objective
    if obj.late_minute is not None or obj.overtime_minute is not None:
        return False
    staff_set = set(staff_ids)
    if any(problem.staff[s].brk is not None for s in staff_ids):
        return False
    for vid in visit_ids:
        v = problem.visits[vid]
        if v.staff_count != 1 or v.after is not None or v.preferred_staff:
            return False
        if vid in problem.dependents:
            return False
        if not staff_set <= set(problem.allowed[vid]):
            return False
    return True


class _StopEvent(StoppingCriterion):
    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, best_cost: float) -> bool:
        return self.event.is_set()


def solve_pyvrp(problem: Problem, visit_ids: Sequence[str], staff_ids: Sequence[str],
                time_limit: float, seed: int = 0, stop: threading.Event | None = None,
                on_solution: Callable[[float], None] | None = None) -> dict[str, list[str]]:
    obj = problem.instance.objective
    w = max(1, round(obj.travel_minute * 100))
    prize = round(obj.unassigned_visit * SCALE)
    staff = [problem.staff[s] for s in staff_ids]
    m = pyvrp.Model()
    pts: list[int] = []
    loc_of: dict[int, pyvrp.Location] = {}

    def loc(pt: int) -> pyvrp.Location:
        if pt not in loc_of:
            p = problem.points[pt]
            loc_of[pt] = m.add_location(p.lon, p.lat)
            pts.append(pt)
        return loc_of[pt]

    depots: dict[int, pyvrp.Depot] = {}

    def depot(pt: int) -> pyvrp.Depot:
        if pt not in depots:
            depots[pt] = m.add_depot(loc(pt), tw_early=0, tw_late=HORIZON)
        return depots[pt]

    profiles = {mode: m.add_profile(name=mode) for mode in sorted({s.mode for s in staff})}
    groups: dict[tuple, list[str]] = {}
    for s in staff:
        key = (s.mode, problem.start_pt[s.id], problem.end_pt[s.id], s.shift)
        groups.setdefault(key, []).append(s.id)
    vt_staff: list[list[str]] = []
    for (mode, sp, ep, shift), ids in groups.items():
        m.add_vehicle_type(len(ids), start_depot=depot(sp), end_depot=depot(ep),
                           tw_early=shift[0], tw_late=shift[1], profile=profiles[mode],
                           name=mode)
        vt_staff.append(ids)
    for vid in visit_ids:
        v = problem.visits[vid]
        m.add_client(loc(problem.visit_pt[vid]), service_duration=v.seconds,
                     tw_early=v.window[0], tw_late=v.window[1], prize=prize,
                     required=v.mandatory, name=vid)
    sel = np.asarray(pts, dtype=np.int64)
    locs = [loc_of[p] for p in pts]
    for mode, prof in profiles.items():
        mat = problem.table.matrices[mode][np.ix_(sel, sel)]
        for i, a in enumerate(locs):
            row = mat[i]
            for j, b in enumerate(locs):
                d = int(row[j])
                m.add_edge(a, b, distance=d * w, duration=d, profile=prof)
    crit: StoppingCriterion = MaxRuntime(max(0.1, time_limit))
    if stop is not None:
        crit = MultipleCriteria([crit, _StopEvent(stop)])
    res = m.solve(crit, seed=seed, display=False)
    best = res.best
    if on_solution is not None:
        on_solution(res.cost() / SCALE if res.is_feasible() else float("inf"))
    seqs: dict[str, list[str]] = {s.id: [] for s in staff}
    used: dict[int, int] = {}
    vids = list(visit_ids)
    for route in best.routes():
        vt = route.vehicle_type()
        k = used.get(vt, 0)
        used[vt] = k + 1
        sid = vt_staff[vt][k]
        seqs[sid] = [vids[a.idx] for a in route if a.is_client()]
    return seqs
