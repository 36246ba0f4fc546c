"""Cheapest feasible insertion with exact timing.

Used for the first solution handed to OR-Tools, and as the repair pass that
re-inserts visits left out by the solver or by decomposition. Every accepted
insertion is checked with the exact timing of `timing.py`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from tillit.core.planner.problem import Problem
from tillit.core.planner.timing import RouteTiming, time_plan, time_route


class Routes:
    """Mutable visit sequences per staff member, with the coupling between routes."""

    def __init__(self, problem: Problem, seqs: dict[str, list[str]] | None = None):
        self.problem = problem
        self.seqs: dict[str, list[str]] = {s: [] for s in problem.staff}
        if seqs:
            for s, seq in seqs.items():
                self.seqs[s] = list(seq)

    def assigned(self) -> set[str]:
        return {v for seq in self.seqs.values() for v in seq}

    def where(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s, seq in self.seqs.items():
            for v in seq:
                out.setdefault(v, []).append(s)
        return out

    def component(self, staff_ids: Iterable[str]) -> set[str]:
        """Routes linked to `staff_ids` through two-person visits or `after` gaps."""
        where = self.where()
        comp = set(staff_ids)
        todo = list(comp)
        while todo:
            sid = todo.pop()
            for vid in self.seqs[sid]:
                v = self.problem.visits[vid]
                linked = list(where.get(vid, []))
                if v.after is not None:
                    linked += where.get(v.after.visit, [])
                for dep in self.problem.dependents.get(vid, []):
                    linked += where.get(dep, [])
                for other in linked:
                    if other not in comp:
                        comp.add(other)
                        todo.append(other)
        return comp

    def penalty(self, changed: dict[str, list[str]]) -> float | None:
        """Late and overtime cost of the routes linked to `changed` with the change made
        (None when infeasible)."""
        old = {s: self.seqs[s] for s in changed}
        self.seqs.update(changed)
        obj = self.problem.instance.objective
        w_late = (obj.late_minute or 0.0) / 60
        w_ot = (obj.overtime_minute or 0.0) / 60
        try:
            comp = self.component(changed)
            visits = self.problem.visits
            coupled = any(
                visits[v].staff_count == 2 or visits[v].after is not None
                or v in self.problem.dependents
                for s in comp for v in self.seqs[s])
            if not coupled:
                total = 0.0
                for s in comp:
                    if not self.seqs[s]:
                        continue
                    rt = time_route(self.problem, self.problem.staff[s], self.seqs[s])
                    if rt.fail is not None:
                        return None
                    total += rt.late * w_late + rt.overtime * w_ot
                return total
            tm = time_plan(self.problem, {s: self.seqs[s] for s in comp if self.seqs[s]})
            if tm.fail is not None:
                return None
            late = sum(max(0, st - visits[v].window[1]) for v, st in tm.starts().items())
            return late * w_late + sum(rt.overtime for rt in tm.routes.values()) * w_ot
        finally:
            self.seqs.update(old)

    def feasible(self, changed: dict[str, list[str]]) -> bool:
        return self.penalty(changed) is not None


def _delta(problem: Problem, sid: str, seq: list[str], pos: int, vid: str) -> int:
    """Travel seconds added by inserting vid at pos."""
    s = problem.staff[sid]
    prev = problem.start_pt[sid] if pos == 0 else problem.visit_pt[seq[pos - 1]]
    nxt = problem.end_pt[sid] if pos == len(seq) else problem.visit_pt[seq[pos]]
    p = problem.visit_pt[vid]
    return problem.travel(s, prev, p) + problem.travel(s, p, nxt) - problem.travel(s, prev, nxt)


def _nonpref(problem: Problem, sid: str, vid: str) -> bool:
    v = problem.visits[vid]
    return bool(v.preferred_staff) and sid not in v.preferred_staff


def _order_key(problem: Problem, vid: str) -> tuple:
    v = problem.visits[vid]
    return (not v.mandatory, v.after is not None, -v.staff_count,
            len(problem.allowed[vid]), v.window[1] - v.window[0], v.window[0], vid)


def insert_all(problem: Problem, routes: Routes, visit_ids: Iterable[str],
               deadline: float | None = None, tries: int = 12,
               staff_ids: set[str] | None = None) -> list[str]:
    """Insert the visits one by one at their cheapest feasible place; return those left out."""
    obj = problem.instance.objective
    w_travel = obj.travel_minute / 60
    w_np = obj.non_preferred_visit
    left: list[str] = []
    assigned = routes.assigned()
    cache: dict[str, RouteTiming] = {}
    todo = sorted((v for v in visit_ids if v not in assigned), key=lambda v: _order_key(problem, v))
    for vid in todo:
        if deadline is not None and time.monotonic() > deadline:
            left.append(vid)
            continue
        v = problem.visits[vid]
        if v.after is not None and v.after.visit not in assigned:
            left.append(vid)
            continue
        cands: list[tuple[float, str, int]] = []
        hard = problem.instance.objective.late_minute is None
        for sid in problem.allowed[vid]:
            if staff_ids is not None and sid not in staff_ids:
                continue
            seq = routes.seqs[sid]
            st = problem.staff[sid]
            rt = cache.get(sid)
            if rt is None or rt.seq != seq:
                rt = cache[sid] = time_route(problem, st, seq)
            np_cost = w_np if _nonpref(problem, sid, vid) and v.staff_count == 1 else 0.0
            p = problem.visit_pt[vid]
            for pos in range(len(seq) + 1):
                if rt.fail is None:
                    if pos > 0:
                        prev = seq[pos - 1]
                        ready = (rt.start[pos - 1] + problem.visits[prev].seconds
                                 + problem.travel(st, problem.visit_pt[prev], p))
                    else:
                        ready = st.shift[0] + problem.travel(st, problem.start_pt[sid], p)
                    est = max(v.window[0], ready)
                    if hard and est > v.window[1]:
                        break  # later positions are later still
                    if pos < len(seq):
                        nxt = problem.visits[seq[pos]]
                        arr = est + v.seconds + problem.travel(st, p, problem.visit_pt[nxt.id])
                        if hard and arr > nxt.window[1]:
                            continue
                cands.append((_delta(problem, sid, seq, pos, vid) * w_travel + np_cost, sid, pos))
        cands.sort()
        soft = (problem.instance.objective.late_minute is not None
                or problem.instance.objective.overtime_minute is not None)
        if v.staff_count == 1:
            chosen: tuple[float, str, list[str]] | None = None
            base: dict[str, float] = {}
            for c, sid, pos in cands[: tries * 5]:
                if chosen is not None and c >= chosen[0]:
                    break
                seq = routes.seqs[sid]
                new = seq[:pos] + [vid] + seq[pos:]
                pen = routes.penalty({sid: new})
                if pen is None:
                    continue
                if soft:
                    if sid not in base:
                        base[sid] = routes.penalty({sid: seq}) or 0.0
                    c += pen - base[sid]
                if chosen is None or c < chosen[0]:
                    chosen = (c, sid, new)
                if not soft:
                    break
            if chosen is None:
                left.append(vid)
            else:
                routes.seqs[chosen[1]] = chosen[2]
                assigned.add(vid)
            continue
        # two-person visit: best positions per staff, then pairs
        per_staff: dict[str, list[tuple[float, int]]] = {}
        for c, sid, pos in cands:
            lst = per_staff.setdefault(sid, [])
            if len(lst) < 3:
                lst.append((c, pos))
        pairs: list[tuple[float, str, int, str, int]] = []
        sids = list(per_staff)
        for i, a in enumerate(sids):
            for b in sids[i + 1:]:
                for ca, pa in per_staff[a]:
                    for cb, pb in per_staff[b]:
                        np_cost = w_np if (_nonpref(problem, a, vid)
                                           and _nonpref(problem, b, vid)) else 0.0
                        pairs.append((ca + cb + np_cost, a, pa, b, pb))
        pairs.sort()
        ok = False
        for _, a, pa, b, pb in pairs[: tries * 3]:
            sa, sb = routes.seqs[a], routes.seqs[b]
            na = sa[:pa] + [vid] + sa[pa:]
            nb = sb[:pb] + [vid] + sb[pb:]
            if routes.feasible({a: na, b: nb}):
                routes.seqs[a], routes.seqs[b] = na, nb
                ok = True
                break
        if ok:
            assigned.add(vid)
        else:
            left.append(vid)
    return left


def eject_insert(problem: Problem, routes: Routes, visit_ids: Iterable[str],
                 deadline: float) -> list[str]:
    """Insert each visit by moving one visit out of a carer's route to another carer.

    For a visit that fits nowhere (typically a nurse visit when every nurse is busy):
    take a carer who may do it, remove from that route one single-carer visit near the
    window that someone else may also do, insert the visit there and the removed visit
    elsewhere. Returns the visits still left out.
    """
    left: list[str] = []
    for vid in visit_ids:
        v = problem.visits[vid]
        if time.monotonic() > deadline or v.staff_count != 1:
            left.append(vid)
            continue
        if v.after is not None and v.after.visit not in routes.assigned():
            left.append(vid)
            continue
        done = False
        for sid in problem.allowed[vid]:
            if done or time.monotonic() > deadline:
                break
            seq = routes.seqs[sid]
            rt = time_route(problem, problem.staff[sid], seq)
            if rt.fail is not None:
                continue
            for i, uid in enumerate(seq):
                u = problem.visits[uid]
                if (u.staff_count != 1 or u.after is not None or uid in problem.dependents
                        or u.mandatory or len(problem.allowed[uid]) < 2):
                    continue
                if not (v.window[0] - 5400 <= rt.start[i] <= v.window[1] + 3600):
                    continue
                rest = seq[:i] + seq[i + 1:]
                for pos in range(max(0, i - 1), min(len(rest), i + 1) + 1):
                    new = rest[:pos] + [vid] + rest[pos:]
                    if routes.penalty({sid: new}) is None:
                        continue
                    old = routes.seqs[sid]
                    routes.seqs[sid] = new
                    others = {x for x in problem.allowed[uid] if x != sid}
                    if not insert_all(problem, routes, [uid], staff_ids=others):
                        done = True
                        break
                    routes.seqs[sid] = old
                if done or time.monotonic() > deadline:
                    break
        if not done:
            left.append(vid)
    return left
