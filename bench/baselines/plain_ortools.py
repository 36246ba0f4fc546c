"""A plain OR-Tools routing model of a planning instance (baseline).

One node per visit (two nodes for a two-person visit, same start, different
staff), one start and one end node per staff member. Per mode one registered
transit matrix (service time of the origin + travel seconds), used both as
the time dimension's transit and as arc cost; the disjunction penalty of a
visit is its unassigned cost plus its own service time, so dropping a visit
does not look cheaper than it is. Windows on the cumuls, allowed staff via
`VehicleVar(i).SetValues([-1, *allowed])`, continuity via a per-staff unary
"non-preferred" dimension with a span cost, breaks via
`SetBreakIntervalsOfVehicle` (a break may not overlap a visit; the
model lets it interrupt a trip, the re-timing then moves it to a stop), `after` as cumul differences. First
solution PARALLEL_CHEAPEST_INSERTION, then guided local search.

The routes found are then re-timed by the spec's rules (`bench.common`);
anything that still breaks a hard rule is moved to `unassigned`.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from bench.common import BREAK, Inst, Timed, load, plan_dict, schedule, with_break


def solve_ortools(
    raw: dict[str, Any],
    time_limit: float,
    *,
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION",
    metaheuristic: str = "GUIDED_LOCAL_SEARCH",
    log: bool = False,
) -> dict[str, Any]:
    t0 = time.monotonic()
    inst = load(raw)
    ns = len(inst.staff)
    # nodes: visit copies, then staff starts, then staff ends
    node_visit: list[int] = []
    copies: dict[int, list[int]] = {}
    for v in inst.visits:
        for _ in range(v.count):
            copies.setdefault(v.idx, []).append(len(node_visit))
            node_visit.append(v.idx)
    n_vis_nodes = len(node_visit)
    starts = [n_vis_nodes + k for k in range(ns)]
    ends = [n_vis_nodes + ns + k for k in range(ns)]
    n_nodes = n_vis_nodes + 2 * ns
    pt = np.array(
        [inst.visits[i].loc for i in node_visit]
        + [s.start for s in inst.staff]
        + [s.end for s in inst.staff],
        dtype=np.int64,
    )
    service = np.zeros(n_nodes, dtype=np.int64)
    service[:n_vis_nodes] = [inst.visits[i].dur for i in node_visit]

    def attempt(strategy: str, seconds: float) -> tuple[Any, Any, Any, Any]:
        manager = pywrapcp.RoutingIndexManager(n_nodes, ns, starts, ends)
        routing = pywrapcp.RoutingModel(manager)
        solver = routing.solver()

        cost_w = inst.w_travel
        # objective units: one travel second; one objective point = `unit` of them
        unit = 60.0 / cost_w if cost_w > 0 else 60.0
        mode_cb: dict[str, int] = {}
        for mode in sorted({s.mode for s in inst.staff}):
            tm = np.asarray(inst.travel[mode], dtype=np.int64)
            full = tm[np.ix_(pt, pt)] + service[:, None]
            mode_cb[mode] = routing.RegisterTransitMatrix(full.tolist())
            del full
        for s in inst.staff:
            if cost_w > 0:
                # arc cost = w * (service + travel) seconds; SCALE units per objective point
                routing.SetArcCostEvaluatorOfVehicle(mode_cb[s.mode], s.idx)
        horizon = max(s.shift[1] for s in inst.staff) + 24 * 3600
        routing.AddDimensionWithVehicleTransits(
            [mode_cb[s.mode] for s in inst.staff], horizon, horizon, False, "time"
        )
        tdim = routing.GetDimensionOrDie("time")
        for k, s in enumerate(inst.staff):
            tdim.CumulVar(routing.Start(k)).SetRange(s.shift[0], s.shift[1])
            if inst.w_over is None:
                tdim.CumulVar(routing.End(k)).SetRange(s.shift[0], s.shift[1])
            else:
                tdim.SetCumulVarSoftUpperBound(
                    routing.End(k), s.shift[1], max(1, round(inst.w_over * unit / 60))
                )
        late_coef = None if inst.w_late is None else max(1, round(inst.w_late * unit / 60))
        for node in range(n_vis_nodes):
            v = inst.visits[node_visit[node]]
            idx = manager.NodeToIndex(node)
            if late_coef is None:
                tdim.CumulVar(idx).SetRange(v.lo, v.hi)
            else:
                tdim.CumulVar(idx).SetMin(v.lo)
                tdim.SetCumulVarSoftUpperBound(idx, v.hi, late_coef)
            allowed = [s.idx for s in inst.staff if inst.can_do(s, v)]
            routing.VehicleVar(idx).SetValues([-1, *allowed])
            # mandatory visits get a disjunction too (10 x the penalty): a hard node
            # makes the first-solution heuristics fail outright on these models
            pen = int(round(inst.w_unassigned * unit / v.count + v.dur))
            routing.AddDisjunction([idx], pen * (10 if v.mandatory else 1))
        # two-person visits: same start, different staff, both or neither
        for vi, nodes in copies.items():
            if len(nodes) == 2:
                a, b = (manager.NodeToIndex(n) for n in nodes)
                solver.Add(tdim.CumulVar(a) == tdim.CumulVar(b))
                solver.Add(routing.ActiveVar(a) == routing.ActiveVar(b))
                solver.Add(
                    solver.IsDifferentVar(routing.VehicleVar(a), routing.VehicleVar(b))
                    >= routing.ActiveVar(a)
                )
            v = inst.visits[vi]
            if v.after is not None:
                p = manager.NodeToIndex(copies[v.after[0]][0])
                for n in nodes:
                    c = manager.NodeToIndex(n)
                    solver.Add(routing.ActiveVar(c) <= routing.ActiveVar(p))
                    solver.Add(tdim.CumulVar(c) >= tdim.CumulVar(p) + v.after[1])
                    solver.Add(tdim.CumulVar(c) <= tdim.CumulVar(p) + v.after[2])
        # continuity: a unary "non-preferred" count per staff member, span-costed
        if inst.w_pref > 0:
            cbs = []
            for s in inst.staff:
                vec = [0] * n_nodes
                for node in range(n_vis_nodes):
                    v = inst.visits[node_visit[node]]
                    if v.preferred and s.id not in v.preferred:
                        vec[node] = 1
                # transit matrices and unary vectors are indexed by node, not by index
                cbs.append(routing.RegisterUnaryTransitVector(vec))
            routing.AddDimensionWithVehicleTransits(cbs, 0, n_nodes, True, "nonpref")
            pdim = routing.GetDimensionOrDie("nonpref")
            coef = int(round(inst.w_pref * unit))
            for k in range(ns):
                pdim.SetSpanCostCoefficientForVehicle(coef, k)
        # breaks: may not overlap a visit (the model lets a break interrupt a trip; the
        # re-timing below then moves it to a stop, or drops what no longer fits)
        visit_transits = [0] * (routing.Size() + ns)
        for i in range(routing.Size()):
            if not routing.IsStart(i):
                visit_transits[i] = int(service[manager.IndexToNode(i)])
        for s in inst.staff:
            if s.brk is None:
                continue
            lo, hi, dur = s.brk
            iv = solver.FixedDurationIntervalVar(lo, hi, dur, False, f"break-{s.id}")
            tdim.SetBreakIntervalsOfVehicle([iv], s.idx, visit_transits)

        # phase 1: the first solution alone, within a share of the time; the
        # insertion heuristics sometimes find none on these side constraints
        # (two-person pairs, mandatory visits): then start from ALL_UNPERFORMED
        first = pywrapcp.DefaultRoutingSearchParameters()
        first.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
        first.solution_limit = 1
        first.time_limit.FromMilliseconds(int(seconds * 400))
        first.log_search = log
        start = routing.SolveWithParameters(first)
        if start is None:
            first.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.ALL_UNPERFORMED
            first.time_limit.FromMilliseconds(int(seconds * 1000))
            start = routing.SolveWithParameters(first)
        # phase 2: guided local search from there for the rest of the time
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic
        )
        left = max(0.2, time_limit - (time.monotonic() - t0))
        params.time_limit.FromMilliseconds(int(left * 1000))
        params.log_search = log
        sol = start
        if start is not None:
            sol = routing.SolveFromAssignmentWithParameters(start, params) or start
        return sol, routing, manager, tdim

    remaining = max(0.5, time_limit - (time.monotonic() - t0))
    sol, routing, manager, tdim = attempt(first_solution, remaining)

    sequences: dict[int, list[int]] = {}
    cumul: dict[int, int] = {}
    if sol is not None:
        for k in range(ns):
            idx = routing.Start(k)
            seq = []
            idx = sol.Value(routing.NextVar(idx))
            while not routing.IsEnd(idx):
                node = manager.IndexToNode(idx)
                vi = node_visit[node]
                seq.append(vi)
                cumul[vi] = sol.Value(tdim.CumulVar(idx))
                idx = sol.Value(routing.NextVar(idx))
            if seq:
                sequences[k] = seq
    return rebuild(
        inst,
        sequences,
        cumul,
        "not planned by OR-Tools within the time limit"
        if sol is None
        else "dropped by the OR-Tools model",
    )


def rebuild(
    inst: Inst, sequences: dict[int, list[int]], cumul: dict[int, int], reason: str
) -> dict[str, Any]:
    """Re-time visit sequences by the spec's rules; unassign what cannot be kept."""
    unassigned: dict[int, str] = {}
    served = {vi for seq in sequences.values() for vi in seq}
    for v in inst.visits:
        if v.idx not in served:
            unassigned[v.idx] = reason
    seqs = {k: list(s) for k, s in sequences.items()}

    def drop(vi: int, why: str) -> None:
        stack = [vi]
        while stack:
            x = stack.pop()
            if x in unassigned:
                continue
            unassigned[x] = why
            for k in seqs:
                if x in seqs[k]:
                    seqs[k].remove(x)
            stack.extend(inst.visits[x].children)

    timed: dict[int, Timed] = {}
    for _ in range(50):
        changed = False
        # pin starts at the model's times where other routes depend on them
        # (two-person sync, `after` gaps); if that fails, pin every start
        linked = {vi for v in inst.visits if v.after is not None for vi in (v.idx, v.after[0])} | {
            v.idx for v in inst.visits if v.count == 2
        }
        all_fixed = {vi: cumul[vi] for seq in seqs.values() for vi in seq if vi in cumul}
        fixed = {vi: t for vi, t in all_fixed.items() if vi in linked}
        for k, seq in list(seqs.items()):
            s = inst.staff[k]
            tm = with_break(inst, s, seq, fixed=fixed)
            if tm is None:
                tm = with_break(inst, s, seq, fixed=all_fixed)
            while tm is None and seq:
                # drop the visit whose removal restores feasibility, latest first
                for vi in reversed(seq):
                    trial = [x for x in seq if x != vi]
                    if with_break(inst, s, trial, fixed=fixed) is not None:
                        drop(vi, "could not be kept on the route when re-timed by the rules")
                        changed = True
                        break
                else:
                    drop(seq[-1], "could not be kept on the route when re-timed by the rules")
                    changed = True
                seq = seqs[k]
                tm = with_break(inst, s, seq, fixed=fixed)
            if tm is not None:
                timed[k] = tm
        # cross-route rules: two-person pairs complete, `after` parents served
        count: dict[int, int] = {}
        for seq in seqs.values():
            for vi in seq:
                count[vi] = count.get(vi, 0) + 1
        for vi, c in count.items():
            v = inst.visits[vi]
            if c != v.count:
                drop(vi, "its second carer could not be kept")
                changed = True
            elif v.after is not None and v.after[0] not in count:
                drop(vi, "the visit it must follow is unassigned")
                changed = True
        if not changed:
            break
    routes = [timed[k] for k in sorted(timed) if any(e != BREAK for e in timed[k].elems)]
    routes = [tm for tm in routes if [e for e in tm.elems if e != BREAK] == seqs.get(tm.staff, [])]
    return plan_dict(inst, routes, unassigned)


def empty_route(inst: Inst, k: int) -> Timed | None:
    return schedule(inst, inst.staff[k], [])
