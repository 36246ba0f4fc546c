"""The planning engine: greedy start, OR-Tools or PyVRP search, ruin and recreate.

Pipeline of `solve`:
1. mandatory visits nobody can ever take -> InfeasibleError at once;
2. cheapest feasible insertion with exact timing (the first solution, and the
   floor: the result is never worse than it);
3. search: PyVRP when the (sub-)problem has nothing PyVRP cannot express;
   with lateness allowed, none (OR-Tools piles visits up late there); otherwise
   an OR-Tools routing model for a share of the time (`params.ortools_share`), large
   days decomposed by area into parts planned one after another;
4. exact timing of the routes per the format; any visit the timing rejects is
   unassigned (with its two-person partner and `after` followers), then the
   repair pass re-inserts what fits;
5. improvement: ruin and recreate on the exact timing (`lns.py`) for the rest
   of the time, from the best plan so far;
6. the independent checker verifies the plan before it is returned.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from tillit.core.planner.check import check_plan
from tillit.core.planner.cost import plan_cost
from tillit.core.planner.errors import InfeasibleError
from tillit.core.planner.explain import explain, qualified_reason
from tillit.core.planner.greedy import eject_insert, insert_all
from tillit.core.planner.lns import Lns
from tillit.core.planner.model import Instance, Plan, Progress, Unassigned
from tillit.core.planner.params import DEFAULT_PARAMS, SolverParams
from tillit.core.planner.problem import Problem, build_problem
from tillit.core.planner.routes import Routes
from tillit.core.planner.solver_ortools import solve_ortools
from tillit.core.planner.solver_pyvrp import pyvrp_eligible, solve_pyvrp
from tillit.core.planner.timing import Timing, time_plan
from tillit.core.planner.travel import SPEC_TRAVEL, TravelProvider


def _drop(problem: Problem, seqs: dict[str, list[str]], vid: str) -> set[str]:
    """Remove vid, its partner copy and everything that must follow it."""
    gone = {vid}
    todo = [vid]
    while todo:
        x = todo.pop()
        for dep in problem.dependents.get(x, []):
            if dep not in gone:
                gone.add(dep)
                todo.append(dep)
    for sid in seqs:
        seqs[sid] = [v for v in seqs[sid] if v not in gone]
    return gone


def _sanitize(problem: Problem, seqs: dict[str, list[str]]) -> dict[str, list[str]]:
    """Drop structurally wrong assignments (half two-person visits, missing after targets)."""
    seqs = {s: list(q) for s, q in seqs.items()}
    for _ in range(3):
        where: dict[str, list[str]] = {}
        for sid, seq in seqs.items():
            for v in seq:
                where.setdefault(v, []).append(sid)
        bad = [v for v, ss in where.items()
               if len(ss) != problem.visits[v].staff_count or len(set(ss)) != len(ss)
               or any(s not in problem.allowed[v] for s in ss)]
        bad += [v for v in where if problem.visits[v].after is not None
                and problem.visits[v].after.visit not in where]  # type: ignore[union-attr]
        if not bad:
            break
        for v in bad:
            _drop(problem, seqs, v)
    return seqs


def _settle(problem: Problem, seqs: dict[str, list[str]]) -> tuple[dict[str, list[str]], Timing,
                                                                   dict[str, str]]:
    """Exact timing; unassign what the timing rejects until every route is feasible."""
    seqs = _sanitize(problem, seqs)
    hints: dict[str, str] = {}
    for _ in range(len(problem.visits) + 1):
        tm = time_plan(problem, {s: q for s, q in seqs.items() if q})
        if tm.fail is None:
            return seqs, tm, hints
        vid = tm.fail
        if vid not in problem.visits:
            # a route-level failure without a visit: drop the route's last visit
            sid = next(s for s, rt in tm.routes.items() if rt.fail is not None)
            vid = seqs[sid][-1]
        hints[vid] = tm.fail_reason
        _drop(problem, seqs, vid)
    raise RuntimeError("timing did not settle")


def _regions(problem: Problem, visit_ids: list[str], staff_ids: list[str], parts: int,
             seed: int) -> list[tuple[list[str], list[str]]]:
    """Split visits by area (k-means on coordinates) and staff by their start point."""
    rng = np.random.default_rng(seed)
    xy = np.array([[problem.points[problem.visit_pt[v]].lat,
                    problem.points[problem.visit_pt[v]].lon * 0.5] for v in visit_ids])
    centers = xy[rng.choice(len(xy), size=parts, replace=False)]
    for _ in range(25):
        d = ((xy[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        lab = d.argmin(axis=1)
        for k in range(parts):
            if (lab == k).any():
                centers[k] = xy[lab == k].mean(axis=0)
    d = ((xy[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    lab = d.argmin(axis=1)
    groups: list[list[str]] = [[] for _ in range(parts)]
    for v, k in zip(visit_ids, lab, strict=True):
        groups[int(k)].append(v)
    # keep `after` chains and two-person visits whole: move followers to the target's part
    part_of = {v: k for k, g in enumerate(groups) for v in g}
    for v in visit_ids:
        a = problem.visits[v].after
        if a is not None and part_of.get(a.visit, part_of[v]) != part_of[v]:
            groups[part_of[v]].remove(v)
            part_of[v] = part_of[a.visit]
            groups[part_of[v]].append(v)
    # staff: share out each competence level by the parts' workload at that level
    sxy = np.array([[problem.points[problem.start_pt[s]].lat,
                     problem.points[problem.start_pt[s]].lon * 0.5] for s in staff_ids])
    ds = ((sxy[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    team: list[list[str]] = [[] for _ in range(parts)]
    levels = sorted({problem.staff[s].level for s in staff_ids})
    for lv in levels:
        members = [i for i, s in enumerate(staff_ids) if problem.staff[s].level == lv]
        # visits this level is needed for: its own competence (and above if no higher staff)
        higher = any(x > lv for x in levels)
        work = np.array([sum(problem.visits[v].seconds * problem.visits[v].staff_count
                             for v in g if problem.visits[v].level == lv
                             or (not higher and problem.visits[v].level > lv))
                         for g in groups], dtype=float) + 1e-9
        exact = work / work.sum() * len(members)
        quota = np.floor(exact).astype(int)
        for k in np.argsort(-(exact - quota))[: len(members) - int(quota.sum())]:
            quota[k] += 1
        for i in sorted(members, key=lambda i: ds[i].min()):
            for k in np.argsort(ds[i]):
                if quota[k] > 0:
                    quota[k] -= 1
                    team[int(k)].append(staff_ids[i])
                    break
    return [(g, t) for g, t in zip(groups, team, strict=True) if g]


def solve(instance: Instance, time_limit: float, seed: int = 0,
          on_progress: Callable[[Progress], None] | None = None,
          stop: threading.Event | None = None,
          params: SolverParams = DEFAULT_PARAMS,
          travel: TravelProvider = SPEC_TRAVEL) -> Plan:
    """Plan the day. Raises InfeasibleError when a mandatory visit cannot be covered.
    `params`: every knob of the engine (`params.py`); the defaults are what the
    benchmarks measure. `travel`: where travel times come from (the instance's own
    rule by default; the checker always uses that rule)."""
    t0 = time.monotonic()
    # keep a margin for building, checking and writing the plan
    deadline = t0 + max(0.5, time_limit - min(2.0, 0.02 * time_limit))
    problem = build_problem(instance, travel)
    for v in instance.visits:
        if v.mandatory:
            reason = qualified_reason(problem, v)
            if reason is not None:
                raise InfeasibleError(v.id, reason)
    visit_ids = [v.id for v in instance.visits]
    staff_ids = [s.id for s in instance.staff]
    stats: dict[str, object] = {}

    def report(cost: float, unassigned: int, phase: str) -> None:
        if on_progress is not None:
            now = time.monotonic()
            on_progress(Progress(best_cost=cost, unassigned=unassigned, elapsed=now - t0,
                                 time_left=max(0.0, deadline - now), phase=phase))

    # 1. greedy (small days: it is fast and a good start; large days: only a fallback)
    big = len(visit_ids) > params.greedy_first_up_to
    routes = Routes(problem)
    if len(visit_ids) <= params.decompose_above:
        share = 0.6 if instance.objective.late_minute is not None else 0.35
        insert_all(problem, routes, visit_ids, deadline=t0 + share * (deadline - t0))
    g_seqs, g_tm, g_hints = _settle(problem, routes.seqs)
    g_un = len(visit_ids) - len({v for q in g_seqs.values() for v in q})
    g_cost = plan_cost(problem, g_tm, g_un)
    stats["greedy_cost"] = g_cost
    report(g_cost, g_un, "greedy")
    best = (g_cost, g_seqs, g_tm, g_hints)

    # 2. search
    def on_sol(c: float) -> None:
        report(min(c, best[0]), -1, "search")

    remaining = deadline - time.monotonic()
    if remaining > 0.3 and not (stop is not None and stop.is_set()):
        budget = remaining * 0.94
        seqs: dict[str, list[str]]
        if pyvrp_eligible(problem, visit_ids, staff_ids):
            stats["engine"] = "pyvrp"
            budget = remaining * 0.95
            seqs = solve_pyvrp(problem, visit_ids, staff_ids, budget, seed, stop, on_sol)
        elif len(visit_ids) > params.decompose_above:
            parts = max(2, round(len(visit_ids) / params.part_size))
            stats["engine"] = f"ortools x{parts} parts"
            seqs = {s: [] for s in staff_ids}
            regions = _regions(problem, visit_ids, staff_ids, parts, seed)
            parts_log: list[tuple] = []
            stats["parts"] = parts_log
            for k, (vs, ss) in enumerate(regions):
                if stop is not None and stop.is_set():
                    break
                left = deadline - time.monotonic()
                share = left * 0.65 * len(vs) / max(1, sum(len(g) for g, _ in regions[k:]))
                t_part = time.monotonic()
                res = solve_ortools(problem, vs, ss, 0.8 * share, seed, stop=stop,
                                    on_solution=on_sol)
                # repair inside the part: insert what OR-Tools left out (on some parts its
                # first solution covers little), with the rest of the part's time
                part = Routes(problem, {x: res.seqs.get(x, []) for x in ss})
                part_seqs, _, _ = _settle(problem, part.seqs)
                part = Routes(problem, part_seqs)
                insert_all(problem, part, [v for v in vs if v not in part.assigned()],
                           deadline=t_part + share, staff_ids=set(ss))
                res.seqs = {x: part.seqs[x] for x in ss}
                seqs.update(res.seqs)
                parts_log.append((len(vs), len(ss), sum(len(q) for q in res.seqs.values()),
                                  res.found, round(share, 1),
                                  round(time.monotonic() - t_part, 1)))
        elif instance.objective.late_minute is not None:
            # lateness is only a soft bound in OR-Tools, whose first solutions pile visits
            # up late (bench/FINDINGS.md): the greedy start and ruin and recreate do better
            stats["engine"] = "lns"
            seqs = g_seqs
        else:
            stats["engine"] = "ortools"
            budget = remaining * params.ortools_share
            res = solve_ortools(problem, visit_ids, staff_ids, budget, seed,
                                initial=None if big else g_seqs, stop=stop,
                                on_solution=on_sol, initial_cost=g_cost)
            seqs = res.seqs
        s_seqs, s_tm, s_hints = _settle(problem, seqs)
        # 3. repair: re-insert what is missing
        rr = Routes(problem, s_seqs)
        missing = [v for v in visit_ids if v not in rr.assigned()]
        if missing:
            end = max(deadline - 0.5, time.monotonic() + 0.02 * time_limit)
            still = insert_all(problem, rr, missing, deadline=end)
            if still:
                eject_insert(problem, rr, still, deadline=end)
            s_seqs, s_tm, s_hints2 = _settle(problem, rr.seqs)
            s_hints.update(s_hints2)
        s_un = len(visit_ids) - len({v for q in s_seqs.values() for v in q})
        s_cost = plan_cost(problem, s_tm, s_un)
        stats["search_cost"] = s_cost
        if s_cost < best[0]:
            best = (s_cost, s_seqs, s_tm, s_hints)
        report(best[0], s_un, "repair")
        # 4. improve: ruin and recreate on the exact timing
        if (stats["engine"] != "pyvrp" and deadline - time.monotonic() > 0.2
                and not (stop is not None and stop.is_set())):
            lns = Lns(problem, best[1], seed, params)
            lns.run(deadline, stop, on_improve=lambda c: report(c, -1, "improve"))
            stats["lns"] = (lns.iterations, lns.accepted, lns.improved)
            l_seqs, l_tm, l_hints = _settle(problem, lns.seqs)
            l_un = len(visit_ids) - len({v for q in l_seqs.values() for v in q})
            l_cost = plan_cost(problem, l_tm, l_un)
            stats["lns_cost"] = l_cost
            if l_cost < best[0]:
                best = (l_cost, l_seqs, l_tm, l_hints)

    cost, seqs, tm, hints = best
    missing_mandatory = [v for v in visit_ids if problem.visits[v].mandatory
                         and v not in {x for q in seqs.values() for x in q}]
    if missing_mandatory:
        seqs = force_mandatory(problem, seqs, missing_mandatory)
        seqs, tm, hints2 = _settle(problem, seqs)
        hints.update(hints2)
    plan = _build_plan(problem, seqs, tm, hints, stats)
    plan = _verify(problem, plan)
    for u in plan.unassigned:
        if problem.visits[u.visit].mandatory:
            raise InfeasibleError(u.visit, u.reason)
    stats["elapsed"] = time.monotonic() - t0
    return plan


def force_mandatory(problem: Problem, seqs: dict[str, list[str]],
                    mandatory: list[str]) -> dict[str, list[str]]:
    """Make room for mandatory visits by unassigning optional ones in their way."""
    routes = Routes(problem, seqs)
    for vid in mandatory:
        if insert_all(problem, routes, [vid]) == []:
            continue
        v = problem.visits[vid]
        if v.staff_count != 1 or v.after is not None:
            continue
        done = False
        for sid in problem.allowed[vid]:
            base = routes.seqs[sid]
            for pos in range(len(base) + 1):
                trial = {s: list(q) for s, q in routes.seqs.items()}
                trial[sid] = base[:pos] + [vid] + base[pos:]
                for _ in range(4):
                    tm = time_plan(problem, {s: q for s, q in trial.items() if q})
                    if tm.fail is None:
                        routes.seqs = trial
                        done = True
                        break
                    bad = tm.fail
                    if (bad == vid or bad not in problem.visits
                            or problem.visits[bad].mandatory):
                        # drop the optional visit just before the mandatory one instead
                        seq = trial[sid]
                        i = seq.index(vid)
                        cand = [x for x in seq[max(0, i - 1):i + 2]
                                if x != vid and not problem.visits[x].mandatory]
                        if not cand:
                            break
                        bad = cand[0]
                    _drop(problem, trial, bad)
                if done:
                    break
            if done:
                break
    return routes.seqs


def _build_plan(problem: Problem, seqs: dict[str, list[str]], tm: Timing,
                hints: dict[str, str], stats: dict) -> Plan:
    assigned = {v for q in seqs.values() for v in q}
    routes = tuple(tm.routes[s].to_route(problem) for s in problem.staff if s in tm.routes
                   and tm.routes[s].seq)
    un = tuple(Unassigned(v, explain(problem, v, assigned, _short(hints.get(v, ""))))
               for v in problem.visits if v not in assigned)
    return Plan(instance=problem.instance.name, routes=routes, unassigned=un, stats=stats,
                source=problem.instance)


def _short(hint: str) -> str:
    return hint


def _verify(problem: Problem, plan: Plan) -> Plan:
    """Check with the independent checker; unassign visits named in violations."""
    from tillit.core.planner.result import plan_to_dict

    for _ in range(10):
        report = check_plan(problem.instance, plan_to_dict(plan))
        # an unassigned mandatory visit is reported by solve() as InfeasibleError
        broken = [d for d in report.details if d.kind != "mandatory_unassigned"]
        if not broken:
            plan.stats["checked"] = True
            return plan
        ids = {v for d in broken for v in d.visits if v in problem.visits}
        if not ids:
            raise RuntimeError("planner produced an infeasible plan: " + "; ".join(
                d.message for d in broken[:5]))
        seqs = {r.staff: [s.visit for s in r.stops if s.visit is not None] for r in plan.routes}
        for vid in ids:
            _drop(problem, seqs, vid)
        seqs, tm, hints = _settle(problem, seqs)
        plan = _build_plan(problem, seqs, tm, hints, plan.stats)
    raise RuntimeError("planner could not repair its plan")
