"""The route state of a plan under construction: each carer's visit sequence, an
index of where the coupled visits are, and the caches that make a change cheap to
price (`Routes.penalty`): timings of closed groups of linked routes, remembered while
those routes stay as they are. The greedy insertion and ruin and recreate change
routes only through this object.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from tillit.core.planner.problem import Problem
from tillit.core.planner.timing import (
    RouteTiming,
    Timing,
    time_plan_indexed,
    time_plan_warm,
    time_route,
    with_totals,
)


class RouteSeqs(dict):
    """Visit sequences per staff member that keep an index of where the coupled visits
    (two-person, `after` and their targets) are. Replace a sequence, never edit it."""

    def __init__(self, linked: frozenset[str], data: dict[str, list[str]]):
        super().__init__()
        self.linked = linked
        self.where: dict[str, set[str]] = {}
        self.tie_at: dict[str, dict[str, int]] = {}  # where each is, and its place there
        self.ties: dict[str, list[str]] = {}  # each route's coupled visits
        self.tie_pos: dict[str, list[tuple[int, str]]] = {}  # and their places
        self.comps: dict[str, frozenset[str]] = {}  # Routes.component of one route
        self.keyed: dict[str, tuple[str, tuple[str, ...]]] = {}  # (id, sequence as a tuple)
        # the sequence each route had before its last change, with its tie_pos and key: a
        # change tried and taken back (Routes.penalty) finds it here
        self._before: dict[str, tuple[list[str], list[tuple[int, str]], tuple]] = {}
        # changes of the coupling, newest last: (route, its sequence before, the components
        # known before), so a change taken back in reverse order gets its components back
        self._undo: list[tuple[str, list[str], dict[str, frozenset[str]]]] = []
        for sid, seq in data.items():
            self[sid] = seq

    def __setitem__(self, sid: str, seq: list[str]) -> None:
        old = self.get(sid)
        if old is not None:
            tie_at = self.tie_at
            for v in self.ties[sid]:
                ws = self.where[v]
                ws.discard(sid)
                if not ws:
                    del self.where[v]
                at = tie_at[v]
                del at[sid]
                if not at:
                    del tie_at[v]
            self._before[sid], back = ((old, self.tie_pos[sid], self.keyed[sid]),
                                       self._before.get(sid))
            if back is not None and back[0] is seq:
                tie_pos, keyed = back[1], back[2]
            else:
                tie_pos = [(i, v) for i, v in enumerate(seq) if v in self.linked]
                keyed = (sid, tuple(seq))
        else:
            tie_pos = [(i, v) for i, v in enumerate(seq) if v in self.linked]
            keyed = (sid, tuple(seq))
        super().__setitem__(sid, seq)
        ties = [v for _, v in tie_pos]
        if ties != self.ties.get(sid):
            # the coupling changed: the components known are those of another state
            stack = self._undo
            if old is not None and stack and stack[-1][0] == sid and stack[-1][1] is seq:
                self.comps = stack.pop()[2]  # a change taken back: its state's components
            else:
                if old is not None:
                    stack.append((sid, old, self.comps))
                    if len(stack) > 16:
                        del stack[0]
                self.comps = {}
        self.ties[sid] = ties
        self.tie_pos[sid] = tie_pos
        self.keyed[sid] = keyed
        for i, v in tie_pos:
            self.where.setdefault(v, set()).add(sid)
            self.tie_at.setdefault(v, {})[sid] = i

    def update(self, other=(), **kw) -> None:  # type: ignore[override]
        for sid, seq in dict(other, **kw).items():
            self[sid] = seq


class Routes:
    """Mutable visit sequences per staff member, with the coupling between routes."""

    def __init__(self, problem: Problem, seqs: dict[str, list[str]] | None = None,
                 timings: dict | None = None):
        self.problem = problem
        start = {s: [] for s in problem.staff}
        if seqs:
            for s, seq in seqs.items():
                start[s] = list(seq)
        self.seqs = start  # type: ignore[assignment]
        # timings of coupled sets of routes by their visit sequences (may be shared)
        self._timings: dict[tuple, tuple[tuple[Timing, float] | None]] = (
            {} if timings is None else timings)
        self._sorted: dict[frozenset[str], tuple[str, ...]] = {}

    @property
    def seqs(self) -> RouteSeqs:
        return self._seqs

    @seqs.setter
    def seqs(self, value: dict[str, list[str]]) -> None:
        self._seqs = RouteSeqs(self.problem.coupled_visits, value)

    def assigned(self) -> set[str]:
        return {v for seq in self.seqs.values() for v in seq}

    def where(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s, seq in self.seqs.items():
            for v in seq:
                out.setdefault(v, []).append(s)
        return out

    def component(self, staff_ids: Iterable[str]) -> frozenset[str]:
        """Routes linked to `staff_ids` through two-person visits or `after` gaps
        (remembered per route while the coupled visits stay where they are)."""
        ids = list(staff_ids)
        comps = self.seqs.comps
        if len(ids) == 1:
            got = comps.get(ids[0])
            if got is None:
                got = self._component(ids)
                for s in got:  # (the same component for each of its routes)
                    comps[s] = got
            return got
        out: set[str] = set()
        for s in ids:
            if s not in out:
                out.update(self.component([s]))
        return frozenset(out)

    def _component(self, staff_ids: list[str]) -> frozenset[str]:
        where = self.seqs.where
        ties = self.seqs.ties
        tied_to = self.problem.tied_to
        comp = set(staff_ids)
        todo = list(comp)
        seen: set[str] = set()
        while todo:
            sid = todo.pop()
            for vid in ties[sid]:
                for x in tied_to[vid]:
                    if x in seen:
                        continue
                    seen.add(x)
                    for other in where.get(x, ()):
                        if other not in comp:
                            comp.add(other)
                            todo.append(other)
        return frozenset(comp)

    def penalty(self, changed: dict[str, list[str]]) -> float | None:
        """Late and overtime cost of the routes linked to `changed` with the change made
        (None when infeasible)."""
        old = {s: self.seqs[s] for s in changed}
        linked = self.problem.coupled_visits
        # routes with no two-person or `after` visit are timed on their own
        coupled = any(v in linked for q in changed.values() for v in q)
        grown = self._grown_component(changed) if coupled else None
        self.seqs.update(changed)
        w_late, w_ot = self.problem.weights.late, self.problem.weights.overtime
        try:
            if not coupled:
                comp = frozenset(changed)
            else:
                comp = grown if grown is not None else self.component(changed)
            if not coupled:
                total = 0.0
                for s in sorted(comp):
                    if not self.seqs[s]:
                        continue
                    rt = time_route(self.problem, self.problem.staff[s], self.seqs[s])
                    if rt.fail is not None:
                        return None
                    total += rt.late * w_late + rt.overtime * w_ot
                return total
            if len(changed) == 1:
                quick = self._quick_penalty(comp, old, w_late, w_ot)
                if quick is not None:
                    return quick[0]
            got = self._comp_timing(comp, self._warm_base(comp, old), old)
            return None if got is None else got[1]
        finally:
            for s in reversed(old):  # (in reverse order: see RouteSeqs._undo)
                self.seqs[s] = old[s]

    def _grown_component(self, changed: dict[str, list[str]]) -> frozenset[str] | None:
        """`component(changed)` as it will be once `changed` (visits inserted, nothing
        removed) is made, from the components known now: insertions only join groups,
        those of the changed routes and of the routes holding what an inserted visit is
        tied to. None when a route loses a visit."""
        tied_to = self.problem.tied_to
        where = self.seqs.where
        reach: set[str] = set(changed)
        for s, new in changed.items():
            added = _inserted(self.seqs[s], new)
            if added is None:
                return None
            for x in added:
                for y in tied_to.get(x, ()):
                    reach.update(where.get(y, ()))
        return self.component(reach)

    def _warm_base(self, comp: AbstractSet[str], old: dict[str, list[str]]) -> Timing | None:
        """The timing of `comp` before the change to `old`'s routes, when known and safe
        to start the new timing from: the change only inserts visits and no carer in
        `comp` has a break. Then every start can only be later than before (timing is
        monotone in the bounds without breaks), so the coupling started from its bounds
        reaches the same least fixpoint as from scratch, and only the routes the change
        reaches need timing again (`timing.time_plan_warm`)."""
        staff = self.problem.staff
        if any(staff[s].brk is not None for s in comp):
            return None
        for s, prev in old.items():
            if _inserted(prev, self.seqs[s]) is None:
                return None
        hit = self._timings.get(self._key(comp, old))
        if hit is None or hit[0] is None:
            return None
        return hit[0][0]

    def _key(self, comp: AbstractSet[str], old: dict[str, list[str]] | None = None) -> tuple:
        """The key of `comp`'s timing with its routes as they are (or, for the routes in
        `old`, as they were there)."""
        keyed = self.seqs.keyed
        if not isinstance(comp, frozenset):
            comp = frozenset(comp)
        order = self._sorted.get(comp)
        if order is None:
            if len(self._sorted) > 5000:
                self._sorted.clear()
            order = self._sorted[comp] = tuple(sorted(comp))
        if not old:
            return tuple(map(keyed.__getitem__, order))
        return tuple((s, tuple(old[s])) if s in old else keyed[s] for s in order)

    def _comp_timing(self, comp: AbstractSet[str], base: Timing | None = None,
                     old: dict[str, list[str]] | None = None) -> tuple[Timing, float] | None:
        """Timing of a closed set of routes as they are now, and its late and overtime
        cost (None when infeasible); remembered while those routes stay as they are.
        `base`: the timing before the change to `old`'s routes to start from (see
        `_warm_base`)."""
        key = self._key(comp)
        hit = self._timings.get(key)
        if hit is not None:
            return hit[0]
        seqs = {s: self.seqs[s] for s in comp if self.seqs[s]}
        if base is not None and old is not None:
            with_totals(self.problem, base)
            tm = time_plan_warm(self.problem, seqs, self.seqs.tie_pos, self.seqs.tie_at, base,
                                frozenset(old))
        else:
            tm = time_plan_indexed(self.problem, seqs, self.seqs.tie_pos, self.seqs.tie_at)
        out: tuple[Timing, float] | None = None
        if tm.fail is None:
            with_totals(self.problem, tm)
            assert tm.late is not None and tm.overtime is not None
            w = self.problem.weights
            pen = 0.0
            if w.late:  # (with hard windows nothing is late)
                pen += tm.late * w.late
            if w.overtime:
                pen += tm.overtime * w.overtime
            out = (tm, pen)
        if len(self._timings) > 20000:
            self._timings.clear()
        self._timings[key] = (out,)
        return out

    def _route_in(self, comp: AbstractSet[str], sid: str) -> tuple[Timing, float, RouteTiming] | None:
        """The timing and cost of `comp` as it is now, and `sid`'s route in it."""
        base = self._comp_timing(comp)
        if base is None:
            return None
        tm, pen = base
        was = tm.routes.get(sid)
        return None if was is None else (tm, pen, was)

    def penalty_lower_bound(self, changed: dict[str, list[str]]) -> float | None:
        """A lower bound of `penalty(changed)` for one route changed by insertions of
        one-carer visits, from timing that route alone under the coupling's current
        bounds (and, for an added `after` visit, its target's current start): without
        breaks every start can only be later once coupled, and no other route's cost
        can fall. None when there is no cheap bound."""
        if len(changed) != 1:
            return None
        ((sid, new),) = changed.items()
        prev = self.seqs[sid]
        problem = self.problem
        linked = problem.coupled_visits
        if not any(v in linked for v in new):
            return None  # penalty() is exact and cheap there
        added = _inserted(prev, new)
        if added is None:
            return None
        gaps: list[str] = []
        for x in added:
            if x in linked:
                if problem.visits[x].staff_count != 1:
                    return None
                if problem.visits[x].after is not None:
                    gaps.append(x)
        comp = self.component([sid])
        if any(problem.staff[s].brk is not None for s in comp):
            # a later start can move a break and so start another visit earlier: with
            # breaks the timing is not monotone and the current bounds prove nothing
            return None
        base = self._route_in(comp, sid)
        if base is None:
            return None
        tm, pen, was = base
        lb = tm.lb
        if gaps:
            lb = dict(lb)
            for x in gaps:
                gap = problem.visits[x].after
                assert gap is not None
                ts = self._target_start(tm, gap.visit)
                if ts is not None:  # (a target timed elsewhere: a weaker bound)
                    lb[x] = max(lb.get(x, 0), ts + gap.min_seconds)
        rt = time_route(problem, problem.staff[sid], new, lb)
        if rt.fail is not None:
            return None
        w = problem.weights
        return pen + (rt.late - was.late) * w.late + (rt.overtime - was.overtime) * w.overtime

    def _target_start(self, tm: Timing, target: str) -> int | None:
        """When `target` starts in `tm` (the latest of its carers), None when none of
        its routes is timed there."""
        starts = [tm.routes[r].start[tm.routes[r].seq.index(target)]
                  for r in self.seqs.where.get(target, ()) if r in tm.routes]
        return max(starts) if starts else None

    def _quick_penalty(self, comp: AbstractSet[str], old: dict[str, list[str]], w_late: float,
                       w_ot: float) -> tuple[float | None] | None:
        """One route changed by adding visits (none two-person): time it alone
        under the coupling's current lower bounds. If its two-person and `after` visits
        keep their starts, no other route moves. None: no quick answer. Only used
        when no carer in the component has a break: then every timing only moves
        later with later bounds and the answer is exact. With breaks a later start
        can move a break and let another visit start earlier, so a quick answer
        could be off either way, in cost or in feasibility (tests/test_lns.py keeps
        the examples that showed it)."""
        ((sid, prev),) = old.items()
        new = self.seqs[sid]
        problem = self.problem
        if any(problem.staff[s].brk is not None for s in comp):
            # with a break in the component a later start can move the break and let
            # another visit start earlier: the current bounds prove nothing (as in
            # `_warm_base` and `penalty_lower_bound`), so the exact timing decides
            return None
        linked = problem.coupled_visits
        added = _inserted(prev, new)
        if added is None:
            return None  # only insertions keep the coupling's bounds valid
        # an added `after` visit (one carer, nothing following it yet) is bounded by
        # its target's current start; any other added tie has no quick answer
        gaps: list[tuple[str, str]] = []
        for x in added:
            if x not in linked:
                continue
            vx = problem.visits[x]
            if (vx.staff_count != 1 or vx.after is None
                    or any(d in self.seqs.where for d in problem.dependents.get(x, ()))
                    or vx.after.visit not in self.seqs.where):
                return None
            gaps.append((x, vx.after.visit))
        self.seqs[sid] = prev
        try:
            base = self._route_in(comp, sid)
        finally:
            self.seqs[sid] = new
        if base is None:
            return None
        tm, pen, was = base
        lb = tm.lb
        latest_of: dict[str, int] = {}
        if gaps:
            lb = dict(lb)
            for x, target in gaps:
                ts = self._target_start(tm, target)
                assert ts is not None  # (the target's routes are in the component)
                gap = problem.visits[x].after
                assert gap is not None
                lb[x] = max(lb.get(x, 0), ts + gap.min_seconds)
                latest_of[x] = ts + gap.max_seconds
        rt = time_route(problem, problem.staff[sid], new, lb)
        if rt.fail is not None:
            return (None,)
        before = dict(zip(was.seq, was.start, strict=True))
        for v, st in zip(rt.seq, rt.start, strict=True):
            if v in latest_of:
                if st > latest_of[v]:
                    return None  # the target would have to move
            elif v in linked and before[v] != st:
                return None
        out = pen + (rt.late - was.late) * w_late + (rt.overtime - was.overtime) * w_ot
        # the timing of the changed component is known now: remember it for the next move
        routes = dict(tm.routes)
        routes[sid] = rt
        done = Timing(routes, lb=lb)
        if tm.late is not None and tm.overtime is not None:
            # (the added visits are one-carer visits and every linked visit kept its start)
            done.late = tm.late + rt.late - was.late
            done.overtime = tm.overtime + rt.overtime - was.overtime
        self._timings[self._key(comp)] = ((done, out),)
        return (out,)

    def feasible(self, changed: dict[str, list[str]]) -> bool:
        return self.penalty(changed) is not None


def _inserted(prev: list[str], new: list[str]) -> list[str] | None:
    """The visits added if `new` is `prev` with visits inserted (order kept), else None."""
    prev_set = set(prev)
    added = [v for v in new if v not in prev_set]
    if len(new) != len(prev) + len(added) or [v for v in new if v in prev_set] != prev:
        return None
    return added
