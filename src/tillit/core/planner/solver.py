"""The planning engine: `solve(instance, time_limit, seed, ...)` in named phases.

Each phase takes the best `Candidate` so far (`candidate.py`: feasible routes,
their exact timing and cost) and hands on a candidate no worse:

1. check: a mandatory visit nobody can ever take -> InfeasibleError at once;
2. start: cheapest feasible insertion with exact timing (the first candidate,
   and the floor: the result is never worse than it);
3. search: PyVRP when the (sub-)problem has nothing PyVRP cannot express;
   with lateness allowed, none (OR-Tools piles visits up late there); otherwise
   an OR-Tools routing model for a share of the time (`params.ortools_share`, or
   `ortools_share_small` up to `greedy_first_up_to` visits),
   large days decomposed by area into parts planned one after another;
4. repair: the search's routes timed exactly; any visit the timing rejects is
   unassigned (with its two-person partner and `after` followers), then the
   greedy insertion and an eject-and-insert pass put back what fits;
5. improve: ruin and recreate on the exact timing (`lns.py`) for the rest
   of the time, from the best candidate so far;
6. finish: mandatory visits still out are forced in, the plan is built with
   reasons, and the independent checker verifies it before it is returned.

`solve_result` returns the plan with typed statistics (`stats.SolveStats`);
`solve` returns the plan alone, with those statistics as `plan.stats`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from tillit.core.planner.candidate import Candidate, drop, settle, settle_seqs
from tillit.core.planner.check import check_plan
from tillit.core.planner.cost import Weights
from tillit.core.planner.errors import InfeasibleError
from tillit.core.planner.explain import explain, qualified_reason
from tillit.core.planner.greedy import eject_insert, insert_all, order_key
from tillit.core.planner.lns import Lns
from tillit.core.planner.model import Instance, Plan, Progress, Unassigned
from tillit.core.planner.params import DEFAULT_PARAMS, RUIN_NAMES, SolverParams
from tillit.core.planner.problem import Problem, build_problem
from tillit.core.planner.result import SolveResult
from tillit.core.planner.routes import Routes
from tillit.core.planner.solver_ortools import solve_ortools
from tillit.core.planner.solver_pyvrp import pyvrp_eligible, solve_pyvrp
from tillit.core.planner.stats import OperatorStats, PartStats, PhaseStats, SolveStats
from tillit.core.planner.timing import Timing, time_plan
from tillit.core.planner.travel import SPEC_TRAVEL, TravelProvider


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


@dataclass
class _Run:
    """What every phase of one solve shares: the problem, the clock, the stop
    signal and the record of what the phases did."""

    problem: Problem
    params: SolverParams
    seed: int
    time_limit: float
    t0: float
    deadline: float
    stop: threading.Event | None
    on_progress: Callable[[Progress], None] | None
    visit_ids: list[str]
    staff_ids: list[str]
    engine: str = "none"
    phases: list[PhaseStats] = field(default_factory=list)
    trace: list[tuple[float, float]] = field(default_factory=list)
    parts: list[PartStats] = field(default_factory=list)
    search_cost: float | None = None
    improve_cost: float | None = None
    lns: Lns | None = None

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def report(self, cost: float, unassigned: int, phase: str, exact: bool = True) -> None:
        """Tell the caller; an exact cost below the best so far goes into the trace."""
        now = time.monotonic()
        if exact and (not self.trace or cost < self.trace[-1][1]):
            self.trace.append((now - self.t0, cost))
        if self.on_progress is not None:
            self.on_progress(Progress(best_cost=cost, unassigned=unassigned, elapsed=now - self.t0,
                                      time_left=max(0.0, self.deadline - now), phase=phase))

    def ended(self, name: str, began: float, best: Candidate | None) -> None:
        self.phases.append(PhaseStats(name, time.monotonic() - began,
                                      None if best is None else best.cost,
                                      None if best is None else best.unassigned))

    def stats(self) -> SolveStats:
        lns = self.lns
        operators = (lns.operator_stats() if lns is not None
                     else tuple(OperatorStats(name) for name in RUIN_NAMES))
        start = self.phases[0].cost if self.phases else None
        return SolveStats(
            engine=self.engine, iterations=0 if lns is None else lns.iterations,
            operators=operators, phases=tuple(self.phases), best_trace=tuple(self.trace),
            elapsed=time.monotonic() - self.t0, start_cost=float(start or 0.0),
            search_cost=self.search_cost, improve_cost=self.improve_cost,
            parts=tuple(self.parts))


def _check(problem: Problem) -> None:
    """Phase 1: a mandatory visit no carer can ever take ends the solve at once."""
    for v in problem.instance.visits:
        if v.mandatory:
            reason = qualified_reason(problem, v)
            if reason is not None:
                raise InfeasibleError(v.id, reason)


def _decomposed(run: _Run) -> bool:
    """Whether the search plans the day area by area (large days)."""
    late = run.problem.instance.objective.late_minute is not None
    return (len(run.visit_ids) > run.params.decompose_above
            and (run.params.decompose_late or not late))


def _start(run: _Run) -> Candidate:
    """Phase 2: cheapest feasible insertion (small days: it is fast and a good start;
    days that are decomposed: only a fallback, the empty plan)."""
    problem, routes = run.problem, Routes(run.problem)
    if not _decomposed(run):
        late = problem.instance.objective.late_minute is not None
        share = 0.6 if late else 0.35
        deadline = run.t0 + share * (run.deadline - run.t0)
        if late and len(run.visit_ids) > run.params.late_start_hard_first_above:
            # first with the windows hard (no lateness at all: fast, the scan is pruned),
            # then what did not fit, with lateness allowed, in the same order but with
            # each `after` visit behind its target (bench/FINDINGS.md 5e)
            hard = hard_windows(problem)
            first = Routes(hard)
            left = insert_all(hard, first, run.visit_ids, deadline=deadline)
            routes = Routes(problem, first.seqs)
            insert_all(problem, routes, sorted(left, key=lambda v: order_key(problem, v)),
                       deadline=deadline, order_given=True)
        else:
            insert_all(problem, routes, run.visit_ids, deadline=deadline)
    return settle(problem, routes.seqs)


def hard_windows(problem: Problem) -> Problem:
    """`problem` with lateness not allowed (the same travel tables, its own memo of
    timings): what fits without lateness."""
    obj = replace(problem.instance.objective, late_minute=None)
    inst = replace(problem.instance, objective=obj)
    return replace(problem, instance=inst, weights=Weights.of(obj), timing_memo={})


def _search(run: _Run, best: Candidate) -> dict[str, list[str]]:
    """Phase 3: routes from a search engine chosen by what the day holds (not yet
    timed exactly: the repair phase does that)."""
    problem, params, visit_ids, staff_ids = run.problem, run.params, run.visit_ids, run.staff_ids

    def on_sol(c: float) -> None:
        run.report(min(c, best.cost), -1, "search", exact=False)

    remaining = run.left()
    if pyvrp_eligible(problem, visit_ids, staff_ids):
        run.engine = "pyvrp"
        return solve_pyvrp(problem, visit_ids, staff_ids, remaining * 0.95, run.seed, run.stop,
                           on_sol)
    if _decomposed(run):
        return _search_parts(run, on_sol)
    if problem.instance.objective.late_minute is not None:
        # lateness is only a soft bound in OR-Tools, whose first solutions pile visits
        # up late (bench/FINDINGS.md): the greedy start and ruin and recreate do better
        run.engine = "lns"
        return best.seqs
    run.engine = "ortools"
    big = len(visit_ids) > params.greedy_first_up_to
    share = params.ortools_share if big else params.ortools_share_small
    if share <= 0:
        # no OR-Tools: ruin and recreate from the greedy start for all the time
        run.engine = "lns"
        return best.seqs
    res = solve_ortools(problem, visit_ids, staff_ids, remaining * share, run.seed,
                        initial=None if big else best.seqs, stop=run.stop,
                        on_solution=on_sol, initial_cost=best.cost,
                        first_only=big and params.ortools_first_only)
    return res.seqs


def _search_parts(run: _Run, on_sol: Callable[[float], None]) -> dict[str, list[str]]:
    """A large day: OR-Tools area by area, each part repaired within its own time."""
    problem, visit_ids, staff_ids = run.problem, run.visit_ids, run.staff_ids
    parts = max(2, round(len(visit_ids) / run.params.part_size))
    run.engine = f"ortools x{parts} parts"
    seqs: dict[str, list[str]] = {s: [] for s in staff_ids}
    regions = _regions(problem, visit_ids, staff_ids, parts, run.seed)
    for k, (vs, ss) in enumerate(regions):
        if run.stopped():
            break
        left = run.left()
        share = left * 0.65 * len(vs) / max(1, sum(len(g) for g, _ in regions[k:]))
        t_part = time.monotonic()
        res = solve_ortools(problem, vs, ss, 0.8 * share, run.seed, stop=run.stop,
                            on_solution=on_sol)
        # repair inside the part: insert what OR-Tools left out (on some parts its
        # first solution covers little), with the rest of the part's time
        part = Routes(problem, {x: res.seqs.get(x, []) for x in ss})
        part_seqs, _, _ = settle_seqs(problem, part.seqs)
        part = Routes(problem, part_seqs)
        insert_all(problem, part, [v for v in vs if v not in part.assigned()],
                   deadline=t_part + share, staff_ids=set(ss))
        got = {x: part.seqs[x] for x in ss}
        seqs.update(got)
        run.parts.append(PartStats(len(vs), len(ss), sum(len(q) for q in got.values()),
                                   res.found, round(share, 1),
                                   round(time.monotonic() - t_part, 1)))
    return seqs


def _repair(run: _Run, seqs: dict[str, list[str]]) -> Candidate:
    """Phase 4: time the search's routes exactly, unassign what breaks a rule, and
    put back what fits (greedy insertion, then eject and insert)."""
    problem = run.problem
    found = settle(problem, seqs)
    rr = Routes(problem, found.seqs)
    missing = [v for v in run.visit_ids if v not in rr.assigned()]
    if not missing:
        return found
    end = max(run.deadline - 0.5, time.monotonic() + 0.02 * run.time_limit)
    still = insert_all(problem, rr, missing, deadline=end)
    if still:
        eject_insert(problem, rr, still, deadline=end)
    repaired = settle(problem, rr.seqs)
    return replace(repaired, hints={**found.hints, **repaired.hints})


def _improve(run: _Run, best: Candidate) -> Candidate:
    """Phase 5: ruin and recreate on the exact timing until the deadline (or
    `params.max_moves` moves)."""
    lns = run.lns = Lns(run.problem, best.seqs, run.seed, run.params)
    lns.run(run.deadline, run.stop, on_improve=lambda c: run.report(c, -1, "improve"),
            max_iterations=run.params.max_moves or None)
    return settle(run.problem, lns.seqs)


def _finish(run: _Run, best: Candidate, stats: dict) -> tuple[Plan, Candidate]:
    """Phase 6: force in mandatory visits still out, build the plan with reasons,
    and check it with the independent checker."""
    problem = run.problem
    assigned = best.assigned()
    missing_mandatory = [v for v in run.visit_ids if problem.visits[v].mandatory
                         and v not in assigned]
    if missing_mandatory:
        forced = settle(problem, force_mandatory(problem, best.seqs, missing_mandatory))
        best = replace(forced, hints={**best.hints, **forced.hints})
    plan = _build_plan(problem, best.seqs, best.timing, best.hints, stats)
    plan, best = _verify(problem, plan, best)
    for u in plan.unassigned:
        if problem.visits[u.visit].mandatory:
            raise InfeasibleError(u.visit, u.reason)
    return plan, best


def finish_margin(time_limit: float, visits: int) -> float:
    """Seconds kept back from the search for building, checking and writing the plan:
    2 % of the limit up to 2 s, or more on large days (checking a plan of 2 500 visits
    takes about 2 s), but never more than a quarter of the limit."""
    return min(0.25 * time_limit, max(min(2.0, 0.02 * time_limit), 0.0012 * visits))


def solve_result(instance: Instance, time_limit: float, seed: int = 0,
                 on_progress: Callable[[Progress], None] | None = None,
                 stop: threading.Event | None = None,
                 params: SolverParams = DEFAULT_PARAMS,
                 travel: TravelProvider = SPEC_TRAVEL) -> SolveResult:
    """Plan the day; the plan with typed statistics. Raises InfeasibleError when a
    mandatory visit cannot be covered. `params`: every knob of the engine
    (`params.py`); the defaults are what the benchmarks measure. `travel`: where
    travel times come from (the instance's own rule by default; the checker always
    uses that rule)."""
    t0 = time.monotonic()
    deadline = t0 + max(0.5, time_limit - finish_margin(time_limit, len(instance.visits)))
    problem = build_problem(instance, travel)
    _check(problem)
    run = _Run(problem=problem, params=params, seed=seed, time_limit=time_limit, t0=t0,
               deadline=deadline, stop=stop, on_progress=on_progress,
               visit_ids=[v.id for v in instance.visits],
               staff_ids=[s.id for s in instance.staff])

    began = time.monotonic()
    best = _start(run)
    run.report(best.cost, best.unassigned, "greedy")
    run.ended("start", began, best)

    if run.left() > 0.3 and not run.stopped():
        began = time.monotonic()
        seqs = _search(run, best)
        run.ended("search", began, None)

        began = time.monotonic()
        found = _repair(run, seqs)
        run.search_cost = found.cost
        if found.cost < best.cost:
            best = found
        run.report(best.cost, found.unassigned, "repair")
        run.ended("repair", began, best)

        if run.engine != "pyvrp" and run.left() > 0.2 and not run.stopped():
            began = time.monotonic()
            improved = _improve(run, best)
            run.improve_cost = improved.cost
            if improved.cost < best.cost:
                best = improved
            run.ended("improve", began, best)

    began = time.monotonic()
    plan_stats: dict = {}
    plan, best = _finish(run, best, plan_stats)
    run.ended("finish", began, best)
    stats = run.stats()
    plan_stats.update(stats.as_dict())
    plan_stats["checked"] = True
    return SolveResult(plan=plan, stats=stats, cost=best.cost)


def solve(instance: Instance, time_limit: float, seed: int = 0,
          on_progress: Callable[[Progress], None] | None = None,
          stop: threading.Event | None = None,
          params: SolverParams = DEFAULT_PARAMS,
          travel: TravelProvider = SPEC_TRAVEL) -> Plan:
    """Plan the day (see `solve_result`); the plan alone, its statistics in
    `plan.stats` (JSON-able)."""
    return solve_result(instance, time_limit, seed, on_progress, stop, params, travel).plan


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
                    drop(problem, trial, bad)
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
    un = tuple(Unassigned(v, explain(problem, v, assigned, hints.get(v, "")))
               for v in problem.visits if v not in assigned)
    return Plan(instance=problem.instance.name, routes=routes, unassigned=un, stats=stats,
                source=problem.instance)


def _verify(problem: Problem, plan: Plan, best: Candidate) -> tuple[Plan, Candidate]:
    """Check with the independent checker; unassign visits named in violations."""
    from tillit.core.planner.result import plan_to_dict

    for _ in range(10):
        report = check_plan(problem.instance, plan_to_dict(plan))
        # an unassigned mandatory visit is reported by solve() as InfeasibleError
        broken = [d for d in report.details if d.kind != "mandatory_unassigned"]
        if not broken:
            return plan, best
        ids = {v for d in broken for v in d.visits if v in problem.visits}
        if not ids:
            raise RuntimeError("planner produced an infeasible plan: " + "; ".join(
                d.message for d in broken[:5]))
        seqs = {r.staff: [s.visit for s in r.stops if s.visit is not None] for r in plan.routes}
        for vid in ids:
            drop(problem, seqs, vid)
        best = settle(problem, seqs)
        plan = _build_plan(problem, best.seqs, best.timing, best.hints, plan.stats)
    raise RuntimeError("planner could not repair its plan")
