"""A candidate solution: visit sequences per carer, settled on the exact timing.

Every phase of `solver.solve` hands the next one a `Candidate`. `settle` makes
one from any sequences: it drops what is structurally wrong (half a two-person
visit, an `after` visit without its target, a carer not allowed), then times
the routes exactly (`timing.py`) and unassigns whatever the timing rejects,
with its partner copy and its followers, until every route is feasible. The
candidate's cost is the objective of `cost.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tillit.core.planner.cost import plan_cost
from tillit.core.planner.problem import Problem
from tillit.core.planner.timing import Timing, time_plan


@dataclass(frozen=True)
class Candidate:
    """Feasible routes with their timing and cost. `hints`: why the timing
    unassigned a visit (for the plan's reasons). Treat `seqs` as read-only."""

    seqs: dict[str, list[str]]
    timing: Timing
    hints: dict[str, str]
    cost: float
    unassigned: int

    def assigned(self) -> set[str]:
        return {v for q in self.seqs.values() for v in q}


def drop(problem: Problem, seqs: dict[str, list[str]], vid: str) -> set[str]:
    """Remove vid, its partner copy and everything that must follow it (in place)."""
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


def sanitize(problem: Problem, seqs: dict[str, list[str]]) -> dict[str, list[str]]:
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
            drop(problem, seqs, v)
    return seqs


def settle_seqs(problem: Problem, seqs: dict[str, list[str]]) -> tuple[dict[str, list[str]],
                                                                       Timing, dict[str, str]]:
    """Exact timing; unassign what the timing rejects until every route is feasible."""
    seqs = sanitize(problem, seqs)
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
        drop(problem, seqs, vid)
    raise RuntimeError("timing did not settle")


def settle(problem: Problem, seqs: dict[str, list[str]]) -> Candidate:
    """The feasible candidate nearest to `seqs` (see `settle_seqs`), priced."""
    s_seqs, tm, hints = settle_seqs(problem, seqs)
    unassigned = len(problem.visits) - len({v for q in s_seqs.values() for v in q})
    return Candidate(seqs=s_seqs, timing=tm, hints=hints,
                     cost=plan_cost(problem, tm, unassigned), unassigned=unassigned)
