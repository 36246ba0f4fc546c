"""OR-Tools routing model of (a part of) a planning instance.

Windows as time-dimension cumul ranges (soft upper bound when lateness is
allowed), allowed carers via VehicleVar domains, continuity as a unary
dimension with per-carer transit vectors and a span cost, breaks as break
intervals, disjunctions for optional visits, two-person visits as two copies
with equal start on different vehicles, `after` as cumul constraints implied
by activity. Matrices are registered, never Python callbacks.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from tillit.core.planner.model import Staff
from tillit.core.planner.problem import Problem

PREF_MODE = "arc"  # continuity: "arc", "span" or "soft" (see below)
EXTRA = ""  # search variants for experiments: "lns", "lambda"
ARC_PREF_MAX_ENTRIES = 25_000_000
SCALE = 6000  # integer objective units per cost unit (100 per cost-minute-second)
HORIZON = 86399


@dataclass
class OrtoolsResult:
    seqs: dict[str, list[str]]
    objective: float  # in cost units
    found: bool
    starts: dict[tuple[str, str], int] | None = None  # (staff, visit) -> solver's start


def _gap_possible(problem: Problem, vid: str, target: str) -> bool:
    v, t = problem.visits[vid], problem.visits[target]
    assert v.after is not None
    late = problem.instance.objective.late_minute is not None
    v_hi = HORIZON if late else v.window[1]
    t_hi = HORIZON if late else t.window[1]
    # some ct in [t.lo, t_hi] and ca in [v.lo, v_hi] with min <= ca - ct <= max
    return (v_hi - t.window[0] >= v.after.min_seconds
            and v.window[0] - t_hi <= v.after.max_seconds)


def _penalty(problem: Problem, vid: str) -> int:
    obj = problem.instance.objective
    base = max(1, round(obj.unassigned_visit * SCALE))
    if problem.visits[vid].mandatory:
        return base * 100 + 10**9
    return base


def _per_carer_vectors(routing: pywrapcp.RoutingModel, staff: Sequence[Staff], n: int,
                       nveh: int, node_visit: Sequence[str | None],
                       value: Callable[[Staff, str], int]) -> list[int]:
    """One registered unary transit vector per carer (value per visit node, 0 on the
    start and end nodes); carers with equal vectors share one registration."""
    out: list[int] = []
    cache: dict[tuple[int, ...], int] = {}
    for s in staff:
        vec = [0] * n
        for node in range(2 * nveh, n):
            vid = node_visit[node]
            assert vid is not None
            vec[node] = value(s, vid)
        key = tuple(vec)
        if key not in cache:
            cache[key] = routing.RegisterUnaryTransitVector(vec)
        out.append(cache[key])
    return out


def solve_ortools(problem: Problem, visit_ids: Sequence[str], staff_ids: Sequence[str],
                  time_limit: float, seed: int = 0,
                  initial: dict[str, list[str]] | None = None,
                  stop: threading.Event | None = None,
                  on_solution: Callable[[float], None] | None = None,
                  lns_time_limit_ms: int | None = None,
                  first_solution: str = "PARALLEL_CHEAPEST_INSERTION",
                  initial_cost: float | None = None,
                  pref_mode: str = PREF_MODE,
                  first_only: bool = False) -> OrtoolsResult:
    inst = problem.instance
    obj = inst.objective
    staff = [problem.staff[s] for s in staff_ids]
    nveh = len(staff)
    # a visit whose `after` target is not in this model cannot be planned here
    present = set(visit_ids)
    changed = True
    while changed:
        changed = False
        for vid in list(present):
            a = problem.visits[vid].after
            if a is not None and (a.visit not in present
                                  or not _gap_possible(problem, vid, a.visit)):
                present.discard(vid)
                changed = True
    vids = [v for v in visit_ids if v in present]
    if seed:
        random.Random(seed).shuffle(vids)
    # nodes: 0..nveh-1 starts, nveh..2nveh-1 ends, then visit copies
    node_pt: list[int] = [problem.start_pt[s.id] for s in staff] + [
        problem.end_pt[s.id] for s in staff]
    service: list[int] = [0] * (2 * nveh)
    node_visit: list[str | None] = [None] * (2 * nveh)
    copies: dict[str, list[int]] = {}
    for vid in vids:
        v = problem.visits[vid]
        for _ in range(v.staff_count):
            copies.setdefault(vid, []).append(len(node_pt))
            node_pt.append(problem.visit_pt[vid])
            service.append(v.seconds)
            node_visit.append(vid)
    n = len(node_pt)
    if nveh == 0 or n == 2 * nveh:
        return OrtoolsResult({s.id: [] for s in staff}, 0.0, True)
    manager = pywrapcp.RoutingIndexManager(n, nveh, list(range(nveh)),
                                           list(range(nveh, 2 * nveh)))
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    sel = np.asarray(node_pt, dtype=np.int64)
    serv = np.asarray(service, dtype=np.int64)
    w_travel = round(obj.travel_minute * 100)
    time_cb: dict[str, int] = {}
    cost_cb: dict[str, int] = {}
    cost_mats: dict[str, np.ndarray] = {}
    cost_cb_pref: dict[tuple[str, bytes], int] = {}
    for mode in sorted({s.mode for s in staff}):
        m = problem.table.matrices[mode][np.ix_(sel, sel)].astype(np.int64)
        time_cb[mode] = routing.RegisterTransitMatrix((m + serv[:, None]).tolist())
        cost_mats[mode] = m * w_travel
    # continuity: "arc" puts the non-preferred cost on the arcs into a visit, per carer
    # (no extra dimension: a unary per-carer dimension together with breaks and `after`
    # gaps made OR-Tools fail at the root on some parts); memory O(carers x nodes^2),
    # so big models fall back to the dimension form
    requested = pref_mode
    if pref_mode == "arc" and nveh * n * n > ARC_PREF_MAX_ENTRIES:
        pref_mode = "span"
    np_coef = round(obj.non_preferred_visit * SCALE / 2)
    for k, s in enumerate(staff):
        if pref_mode == "arc" and np_coef > 0:
            col = np.zeros(n, dtype=np.int64)
            for node in range(2 * nveh, n):
                vid = node_visit[node]
                assert vid is not None
                v = problem.visits[vid]
                if v.preferred_staff and s.id not in v.preferred_staff:
                    col[node] = np_coef * (2 // v.staff_count)
            key = (s.mode, col.tobytes())
            if key not in cost_cb_pref:
                cost_cb_pref[key] = routing.RegisterTransitMatrix(
                    (cost_mats[s.mode] + col[None, :]).tolist())
            routing.SetArcCostEvaluatorOfVehicle(cost_cb_pref[key], k)
        else:
            if s.mode not in cost_cb:
                cost_cb[s.mode] = routing.RegisterTransitMatrix(cost_mats[s.mode].tolist())
            routing.SetArcCostEvaluatorOfVehicle(cost_cb[s.mode], k)
    routing.AddDimensionWithVehicleTransits(
        [time_cb[s.mode] for s in staff], HORIZON, HORIZON, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    overtime_ok = obj.overtime_minute is not None
    late_ok = obj.late_minute is not None
    for k, s in enumerate(staff):
        si, ei = routing.Start(k), routing.End(k)
        tdim.CumulVar(si).SetRange(s.shift[0], s.shift[1])
        if overtime_ok:
            tdim.CumulVar(ei).SetRange(s.shift[0], HORIZON)
            tdim.SetCumulVarSoftUpperBound(ei, s.shift[1], max(1, round(obj.overtime_minute * 100)))
        else:
            tdim.CumulVar(ei).SetRange(s.shift[0], s.shift[1])
        # no AddVariableMinimizedByFinalizer here: with breaks and two-person equal starts
        # it made OR-Tools reject feasible first solutions
    # visits
    sidx = {s.id: k for k, s in enumerate(staff)}
    for vid, nodes in copies.items():
        v = problem.visits[vid]
        allowed = [sidx[s] for s in problem.allowed[vid] if s in sidx]
        pen = _penalty(problem, vid)
        for c, node in enumerate(nodes):
            idx = manager.NodeToIndex(node)
            if late_ok:
                tdim.CumulVar(idx).SetRange(v.window[0], HORIZON)
                if c == 0:
                    tdim.SetCumulVarSoftUpperBound(idx, v.window[1],
                                                   max(1, round(obj.late_minute * 100)))
            else:
                tdim.CumulVar(idx).SetRange(v.window[0], v.window[1])
            if len(allowed) < nveh:
                routing.VehicleVar(idx).SetValues([-1, *allowed])
            routing.AddDisjunction([idx], pen // len(nodes))
        if len(nodes) == 2:
            a, b = (manager.NodeToIndex(x) for x in nodes)
            solver.Add(routing.ActiveVar(a) == routing.ActiveVar(b))
            solver.Add(tdim.CumulVar(a) == tdim.CumulVar(b))
            solver.Add(solver.IsDifferentVar(routing.VehicleVar(a), routing.VehicleVar(b))
                       >= routing.ActiveVar(a))
    # after
    for vid, nodes in copies.items():
        v = problem.visits[vid]
        if v.after is None:
            continue
        a = manager.NodeToIndex(nodes[0])
        t = manager.NodeToIndex(copies[v.after.visit][0])
        act = routing.ActiveVar(a)
        ca, ct = tdim.CumulVar(a), tdim.CumulVar(t)
        solver.Add(routing.ActiveVar(t) >= act)
        # unconditional gaps (the cumuls of unperformed nodes are free within their
        # ranges; windows that allow no gap at all are excluded when building the model)
        # -- the big-M form made OR-Tools fail at the root
        solver.Add(ca >= ct + v.after.min_seconds)
        solver.Add(ca <= ct + v.after.max_seconds)

    # continuity: unary dimension counting non-preferred visits (2 per visit, 1 per copy)
    if obj.non_preferred_visit > 0 and pref_mode in ("span", "soft"):
        def nonpref(s: Staff, vid: str) -> int:
            v = problem.visits[vid]
            return 2 // v.staff_count if v.preferred_staff and s.id not in v.preferred_staff else 0

        pref_cbs = _per_carer_vectors(routing, staff, n, nveh, node_visit, nonpref)
        routing.AddDimensionWithVehicleTransits(pref_cbs, 0, 2 * n + 2, True, "nonpref")
        pdim = routing.GetDimensionOrDie("nonpref")
        coef = max(1, round(obj.non_preferred_visit * SCALE / 2))
        for k in range(nveh):
            if pref_mode == "none":
                pass
            elif pref_mode == "span":
                pdim.SetSpanCostCoefficientForVehicle(coef, k)
            else:
                # the count starts at 0: a soft upper bound of 0 on the end costs the same.
                # (The span cost made OR-Tools fail at the root on some parts with
                # breaks, two-person visits and restricted carers; this form does not.)
                pdim.SetCumulVarSoftUpperBound(routing.End(k), 0, coef)
    # breaks
    node_visit_transits = [0] * (routing.Size() + nveh)
    for idx in range(routing.Size() + nveh):
        node = manager.IndexToNode(idx)
        node_visit_transits[idx] = service[node]
    for k, s in enumerate(staff):
        if s.brk is None:
            continue
        lo = max(s.brk.window[0], s.shift[0])
        hi = s.brk.window[1]
        if not overtime_ok:
            hi = min(hi, s.shift[1] - s.brk.seconds)
        if lo > hi:
            continue  # allowed[] already keeps this carer empty
        iv = solver.FixedDurationIntervalVar(lo, hi, s.brk.seconds, False, f"break_{s.id}")
        tdim.SetBreakIntervalsOfVehicle([iv], k, node_visit_transits)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy,
                                             first_solution)
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    params.time_limit.FromMilliseconds(max(100, int(time_limit * 1000)))
    if EXTRA == "lns":
        params.local_search_operators.use_path_lns = pywrapcp.BOOL_TRUE
        params.local_search_operators.use_inactive_lns = pywrapcp.BOOL_TRUE
    elif EXTRA == "lambda":
        params.guided_local_search_lambda_coefficient = 0.05
    if lns_time_limit_ms:
        params.lns_time_limit.FromMilliseconds(lns_time_limit_ms)
    best = [float("inf")]

    def at_solution() -> None:
        val = routing.CostVar().Value() / SCALE
        if val < best[0]:
            best[0] = val
            if on_solution is not None:
                on_solution(val)

    routing.AddAtSolutionCallback(at_solution)
    if stop is not None:
        routing.AddSearchMonitor(solver.CustomLimit(stop.is_set))
    routing.CloseModelWithParameters(params)
    t0 = time.monotonic()
    # phase 1: OR-Tools' own first solution, time-boxed; it sometimes finds none (breaks,
    # two-person pairs) or a poor one: then the given initial routes are the start
    first = pywrapcp.DefaultRoutingSearchParameters()
    first.CopyFrom(params)
    first.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT)
    first.solution_limit = 1
    # (first_only: the first solution may take all the time, and is the answer)
    first_ms = 1000 if first_only and not initial else (300 if initial else 700)
    first.time_limit.FromMilliseconds(max(50, int(time_limit * first_ms)))
    skip_first = bool(initial) and initial_cost is not None and initial_cost < 0
    start = None if skip_first else routing.SolveWithParameters(first)
    for fallback in ("LOCAL_CHEAPEST_INSERTION", "ALL_UNPERFORMED"):
        if start is not None or initial or (stop is not None and stop.is_set()):
            break  # (a given initial solution is the fallback)
        left = time_limit - (time.monotonic() - t0)
        first.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy,
                                                fallback)
        first.time_limit.FromMilliseconds(max(50, int(left * 500)))
        start = routing.SolveWithParameters(first)
    start_cost = start.ObjectiveValue() / SCALE if start is not None else float("inf")
    init = None
    if initial:
        routes = []
        used_nodes: set[int] = set()
        for s in staff:
            used: list[int] = []
            for vid in initial.get(s.id, []):
                # first copy not yet used on another route
                for node in copies.get(vid, []):
                    if node not in used_nodes:
                        used_nodes.add(node)
                        used.append(manager.NodeToIndex(node))
                        break
            routes.append(used)
        init = routing.ReadAssignmentFromRoutes(routes, True)
        if init is not None and (initial_cost is None or initial_cost < start_cost):
            # (initial_cost < 0: always start from the given routes)
            start = init
    remaining = max(0.1, time_limit - (time.monotonic() - t0))
    params.time_limit.FromMilliseconds(int(remaining * 1000))
    sol = None
    if first_only and start is not None and start is not init:
        sol = start
    elif start is not None and not (stop is not None and stop.is_set()):
        sol = routing.SolveFromAssignmentWithParameters(start, params)
    if sol is None and start is not None and start is not init:
        sol = start  # a complete solution from phase 1
    if sol is None:
        left = time_limit - (time.monotonic() - t0)
        nxt = None if requested == "off" else "off"
        if nxt and left > 0.5 and not (stop is not None and stop.is_set()):
            return solve_ortools(problem, visit_ids, staff_ids, left, seed, initial, stop,
                                 on_solution, lns_time_limit_ms, first_solution, initial_cost,
                                 pref_mode=nxt, first_only=first_only)
        return OrtoolsResult({s.id: [] for s in staff}, float("inf"), False)
    seqs: dict[str, list[str]] = {}
    starts: dict[tuple[str, str], int] = {}
    for k, s in enumerate(staff):
        idx = routing.Start(k)
        seq: list[str] = []
        idx = sol.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            vid = node_visit[manager.IndexToNode(idx)]
            assert vid is not None
            seq.append(vid)
            starts[(s.id, vid)] = sol.Min(tdim.CumulVar(idx))
            idx = sol.Value(routing.NextVar(idx))
        seqs[s.id] = seq
    return OrtoolsResult(seqs, sol.ObjectiveValue() / SCALE, True, starts)

