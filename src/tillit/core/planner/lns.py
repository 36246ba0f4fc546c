"""Ruin-and-recreate improvement on the exact timing of the format.

The engine's own search after OR-Tools (or the greedy start): remove a few
related visits, put them back with cheapest feasible insertion (every
insertion timed exactly, with breaks, two-person visits and `after` gaps),
and accept the result by simulated annealing on the instance's objective.
With hard windows, a share of the recreates (`SolverParams.regret` on small days,
`regret_large` above `greedy_first_up_to` visits) place the removed visits by regret:
those whose best carer's place is far cheaper than any other carer's first
(bench/FINDINGS.md 5d, 5f).

Ruin operators:
- strings: short runs of visits from the routes around a seed visit (SISR);
- continuity: a visit that is with a non-preferred carer, together with what
  keeps its preferred carer busy around its window;
- client: every visit of a few neighbouring clients;
- route: all visits of one carer and of a carer nearby;
- random: visits anywhere;
- worst: the visits with the largest detour or a non-preferred carer.

Costs are kept per route, so a move re-times only the routes it touches
(and those coupled to them by two-person visits or `after` gaps).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet

import numpy as np

from tillit.core.planner.greedy import Places, insert_all, regret_order
from tillit.core.planner.params import DEFAULT_PARAMS, RUIN_NAMES, SolverParams
from tillit.core.planner.problem import Problem
from tillit.core.planner.routes import Routes, RouteSeqs
from tillit.core.planner.stats import OperatorStats
from tillit.core.planner.timing import time_plan, time_plan_indexed

MANDATORY_MISSING = 1e9


class Lns:
    """Improve visit sequences by ruin and recreate; `run` returns the best found."""

    def __init__(self, problem: Problem, seqs: dict[str, list[str]], seed: int = 0,
                 params: SolverParams = DEFAULT_PARAMS):
        self.p = problem
        self.params = params
        self.rng = random.Random(seed)
        w = problem.weights
        self.w_travel, self.w_np, self.w_un = w.travel, w.non_preferred, w.unassigned
        self.w_late, self.w_ot = w.late, w.overtime
        self.visit_ids = list(problem.visits)
        self.client_visits: dict[str, list[str]] = {}
        for v in problem.visits.values():
            self.client_visits.setdefault(v.client, []).append(v.id)
        self.neigh = self._neighbours()
        self.ruins = [self._ruin_strings, self._ruin_continuity, self._ruin_clients,
                      self._ruin_routes, self._ruin_random, self._ruin_worst]
        late = problem.instance.objective.late_minute is not None
        self.ruin_weights = params.ruin_weights_late if late else params.ruin_weights
        # hard windows: regret orders (small days: also a hotter annealing; FINDINGS 5d, 5f)
        self.small_hard = not late and len(problem.visits) <= params.greedy_first_up_to
        # above it and up to `decompose_above` (larger days, planned part by part, keep
        # `temperature` and no regret: not measured there)
        self.large_hard = (not late and not self.small_hard
                           and len(problem.visits) <= params.decompose_above)
        self.regret = (params.regret if self.small_hard
                       else params.regret_large if self.large_hard else 0.0)
        self.timings: dict = {}  # shared by the moves' Routes: see Routes._comp_timing
        self.scans: dict = {}  # what insert_all reads of each route, kept between moves
        # the accepted routes (with their index of coupled visits)
        self.current = Routes(problem, {s: seqs.get(s, []) for s in problem.staff},
                              self.timings)
        self.route_cost: dict[str, float] = {}
        costs = self._route_costs(self.seqs, set(problem.staff))
        if costs is None:
            raise ValueError("the starting routes are not feasible")
        self.route_cost = costs
        self.cost = self._total(self.seqs, self.route_cost)
        self.iterations = 0
        self.accepted = 0
        self.improved = 0
        # per ruin operator (RUIN_NAMES order): moves drawn, accepted, improving
        self.tried_by = [0] * len(self.ruins)
        self.accepted_by = [0] * len(self.ruins)
        self.improved_by = [0] * len(self.ruins)

    def operator_stats(self) -> tuple[OperatorStats, ...]:
        """The moves so far per ruin operator."""
        return tuple(OperatorStats(name, t, a, i) for name, t, a, i in zip(
            RUIN_NAMES, self.tried_by, self.accepted_by, self.improved_by, strict=True))

    @property
    def seqs(self) -> dict[str, list[str]]:
        """The accepted visit sequences per staff member."""
        return self.current.seqs

    # -- set-up ---------------------------------------------------------------
    def _neighbours(self) -> dict[str, list[str]]:
        """The nearest visits of each visit, by travel and by overlap of windows."""
        ids = self.visit_ids
        if not ids:
            return {}
        mode = next(iter(self.p.table.matrices))
        mat = self.p.table.matrices[mode]
        pts = np.array([self.p.visit_pt[v] for v in ids])
        sub = mat[np.ix_(pts, pts)].astype(float)
        lo = np.array([self.p.visits[v].window[0] for v in ids], dtype=float)
        hi = np.array([self.p.visits[v].window[1] for v in ids], dtype=float)
        # seconds apart in time (0 when the windows overlap), weighted like travel
        gap = np.maximum(0.0, np.maximum(lo[:, None] - hi[None, :], lo[None, :] - hi[:, None]))
        score = sub + 0.5 * gap
        k = min(self.params.neighbours, len(ids) - 1)
        out: dict[str, list[str]] = {}
        for i, vid in enumerate(ids):
            row = score[i]
            if k <= 0:
                out[vid] = []
                continue
            near = np.argpartition(row, k)[: k + 1]
            near = near[np.argsort(row[near], kind="stable")]
            out[vid] = [ids[j] for j in near if j != i][:k]
        return out

    # -- cost -------------------------------------------------------------------
    def _route_costs(self, seqs: dict[str, list[str]],
                     sids: AbstractSet[str]) -> dict[str, float] | None:
        """Cost of each route in `sids` (closed under coupling); None if infeasible."""
        p = self.p
        sub = {s: seqs[s] for s in sids if seqs[s]}
        if isinstance(seqs, RouteSeqs):
            # (what time_plan gives, checking in each round only what a moved start can change)
            tm = time_plan_indexed(p, sub, seqs.tie_pos, seqs.tie_at)
        else:
            tm = time_plan(p, sub)
        if tm.fail is not None:
            return None
        # where the two-person visits are (the other visits are on one route)
        where: dict[str, list[str]] = {}
        for s in sids:
            for v in seqs[s]:
                if p.visits[v].staff_count > 1:
                    where.setdefault(v, []).append(s)
        out: dict[str, float] = {}
        for s in sids:
            seq = seqs[s]
            if not seq:
                out[s] = 0.0
                continue
            st = p.staff[s]
            rt = tm.routes[s]
            prev = p.start_pt[s]
            travel = 0
            for v in seq:
                vp = p.visit_pt[v]
                travel += p.row(st.mode, prev)[vp]
                prev = vp
            travel += p.row(st.mode, prev)[p.end_pt[s]]
            c = travel * self.w_travel + rt.overtime * self.w_ot
            for i, vid in enumerate(seq):
                v = p.visits[vid]
                ss = where.get(vid, (s,))
                if len(ss) > 1 and s != min(ss):
                    continue  # a two-person visit counts once, on its first carer
                if v.preferred_staff and not any(x in v.preferred_staff for x in ss):
                    c += self.w_np
                if self.w_late:
                    start = (rt.start[i] if len(ss) == 1 else
                             max(tm.routes[x].start[tm.routes[x].seq.index(vid)] for x in ss))
                    c += max(0, start - v.window[1]) * self.w_late
            out[s] = c
        return out

    def _total(self, seqs: dict[str, list[str]], route_cost: dict[str, float]) -> float:
        return math.fsum(route_cost.values()) + self._unassigned_cost(seqs)

    # -- ruin ---------------------------------------------------------------------
    def _close(self, seqs: dict[str, list[str]], removed: set[str]) -> set[str]:
        """Add every visit that must follow a removed one (its `after` chain)."""
        todo = list(removed)
        while todo:
            x = todo.pop()
            for dep in self.p.dependents.get(x, []):
                if dep not in removed:
                    removed.add(dep)
                    todo.append(dep)
        return removed

    def _where(self, seqs: dict[str, list[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for s, seq in seqs.items():
            for v in seq:
                out[v] = s
        return out

    def _around(self, seqs: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
        """Where each planned visit is, and a random planned visit followed by its
        nearest visits (empty when nothing is planned)."""
        where = self._where(seqs)
        if not where:
            return where, []
        seed_v = self.rng.choice(sorted(where))
        return where, [seed_v, *self.neigh[seed_v]]

    def _ruin_strings(self, seqs: dict[str, list[str]], target: int) -> set[str]:
        where, around = self._around(seqs)
        removed: set[str] = set()
        done: set[str] = set()
        for u in around:
            if len(removed) >= target:
                break
            s = where.get(u)
            if s is None or s in done:
                continue
            seq = seqs[s]
            length = min(len(seq), self.rng.randint(1, max(1, min(10, target - len(removed)))))
            i = seq.index(u)
            first = self.rng.randint(max(0, i - length + 1), min(i, len(seq) - length))
            removed.update(seq[first:first + length])
            done.add(s)
        return removed

    def _ruin_continuity(self, seqs: dict[str, list[str]], target: int) -> set[str]:
        where = self._where(seqs)
        bad = [v for v, s in where.items()
               if self.p.visits[v].preferred_staff and self.p.visits[v].staff_count == 1
               and s not in self.p.visits[v].preferred_staff]
        if not bad:
            return self._ruin_strings(seqs, target)
        removed: set[str] = set()
        for vid in self.rng.sample(sorted(bad), min(len(bad), max(1, target // 4))):
            v = self.p.visits[vid]
            removed.add(vid)
            for pref in v.preferred_staff:
                if pref not in seqs:
                    continue
                lo, hi = v.window[0] - 3600, v.window[1] + 3600
                for u in seqs[pref]:
                    w = self.p.visits[u].window
                    if w[0] <= hi and w[1] >= lo:
                        removed.add(u)
            if len(removed) >= target:
                break
        return removed

    def _ruin_clients(self, seqs: dict[str, list[str]], target: int) -> set[str]:
        where, around = self._around(seqs)
        removed: set[str] = set()
        for u in around:
            if len(removed) >= target:
                break
            removed.update(x for x in self.client_visits[self.p.visits[u].client] if x in where)
        return removed

    def _ruin_routes(self, seqs: dict[str, list[str]], target: int) -> set[str]:
        where, around = self._around(seqs)
        removed: set[str] = set()
        routes: list[str] = []
        for u in around:
            s = where.get(u)
            if s is not None and s not in routes:
                routes.append(s)
            if len(routes) == 2:
                break
        for s in routes:
            removed.update(seqs[s])
        return removed

    def _ruin_worst(self, seqs: dict[str, list[str]], target: int) -> set[str]:
        """The visits that cost most where they are (detour, non-preferred carer),
        drawn with a bias towards the worst."""
        p = self.p
        gain: list[tuple[float, str]] = []
        for sid, seq in seqs.items():
            if not seq:
                continue
            st = p.staff[sid]
            pts = [p.start_pt[sid], *(p.visit_pt[v] for v in seq), p.end_pt[sid]]
            for i, vid in enumerate(seq):
                a, b, c = pts[i], pts[i + 1], pts[i + 2]
                g = (p.travel(st, a, b) + p.travel(st, b, c) - p.travel(st, a, c)) * self.w_travel
                v = p.visits[vid]
                if v.preferred_staff and sid not in v.preferred_staff and v.staff_count == 1:
                    g += self.w_np
                gain.append((g, vid))
        gain.sort(reverse=True)
        removed: set[str] = set()
        while gain and len(removed) < target:
            k = int(len(gain) * self.rng.random() ** 4)
            removed.add(gain.pop(k)[1])
        return removed

    def _ruin_random(self, seqs: dict[str, list[str]], target: int) -> set[str]:
        where = self._where(seqs)
        pool = sorted(where)
        return set(self.rng.sample(pool, min(len(pool), target)))

    # -- recreate -----------------------------------------------------------------
    def _order(self, visit_ids: Iterable[str], kind: int) -> list[str]:
        p = self.p
        rnd = {v: self.rng.random() for v in visit_ids}

        def key(vid: str) -> tuple:
            v = p.visits[vid]
            base: tuple
            if kind == 0:
                base = (-v.staff_count, len(p.allowed[vid]), v.window[1] - v.window[0])
            elif kind == 1:
                base = (v.window[0],)
            elif kind == 2:
                base = (-v.seconds,)
            else:
                base = ()
            return (not v.mandatory, *base, rnd[vid])

        return sorted(visit_ids, key=key)

    # -- search -------------------------------------------------------------------
    def step(self, temperature: float) -> bool:
        """One ruin-and-recreate move; True if it was accepted."""
        self.iterations += 1
        seqs = self.seqs
        n_assigned = sum(len(q) for q in seqs.values())
        prm = self.params
        target = max(2, min(int(n_assigned * prm.ruin_share_max),
                            self.rng.randint(prm.ruin_min, prm.ruin_max)))
        # (an index drawn from the same weights consumes the generator as drawing the
        # operator itself did: the moves are those of earlier versions)
        op = self.rng.choices(range(len(self.ruins)), weights=self.ruin_weights)[0]
        self.tried_by[op] += 1
        removed = self.ruins[op](seqs, target)
        removed = self._close(seqs, removed)
        old_comp = self.current.component(
            [s for s, q in seqs.items() if any(v in removed for v in q)])
        new = {s: ([v for v in q if v not in removed] if s in old_comp else q)
               for s, q in seqs.items()}
        routes = Routes(self.p, new, self.timings)
        assigned = routes.assigned()
        # visits left out before are tried again when the ruin was near them
        near = {u for v in removed for u in self.neigh[v][:10]}
        pool = [v for v in self.visit_ids if v not in assigned
                and (v in removed or v in near or self.rng.random() < 0.1)]
        # with hard windows, a share of the moves place the visits by regret (those with
        # one good carer first); else in one of four orders, random ties
        places: Places | None = None
        if self.regret and self.rng.random() < self.regret:
            # (the places it finds on a route no insertion has changed since are reused)
            places = {}
            order = regret_order(self.p, routes, self._order(pool, 3), self.scans, places)
        else:
            order = self._order(pool, self.rng.randrange(4))
        insert_all(self.p, routes, order, order_given=True, scans=self.scans,
                   soft_places=self.params.soft_insert_places, places=places)
        changed = {s for s in routes.seqs if routes.seqs[s] != seqs[s]}
        if not changed:
            return False
        comp = routes.component(changed | old_comp)
        costs = self._route_costs(routes.seqs, comp)
        if costs is None:
            return False
        # (fsum: exactly rounded, so the sum does not depend on the order of the set)
        new_cost = (self.cost + math.fsum(costs.values())
                    - math.fsum(self.route_cost[s] for s in comp))
        unassigned_delta = self._unassigned_cost(routes.seqs) - self._unassigned_cost(seqs)
        new_cost += unassigned_delta
        accept = new_cost < self.cost - 1e-9 or (
            temperature > 0
            and self.rng.random() < math.exp(-(new_cost - self.cost) / temperature))
        if not accept:
            return False
        self.accepted += 1
        self.accepted_by[op] += 1
        if new_cost < self.cost - 1e-9:
            self.improved += 1
            self.improved_by[op] += 1
        self.current = routes
        self.route_cost.update(costs)
        self.cost = new_cost
        return True

    def _unassigned_cost(self, seqs: dict[str, list[str]]) -> float:
        assigned = {v for q in seqs.values() for v in q}
        total = 0.0
        for vid in self.visit_ids:
            if vid not in assigned:
                total += MANDATORY_MISSING if self.p.visits[vid].mandatory else self.w_un
        return total

    def run(self, deadline: float, stop: threading.Event | None = None,
            on_improve: Callable[[float], None] | None = None,
            t_start: float | None = None, t_end: float | None = None,
            max_iterations: int | None = None) -> dict[str, list[str]]:
        """Search until the deadline; return the best routes found."""
        best_cost = self.cost
        best = {s: list(q) for s, q in self.seqs.items()}
        begin = time.monotonic()
        span = max(1e-6, deadline - begin)
        base = self._scale()
        temp = self.temperature_range()
        t0 = base * (t_start if t_start is not None else temp[0])
        t1 = base * (t_end if t_end is not None else temp[1])
        # a small day settles long before the limit: stop after this many idle moves
        patience = max(self.params.stall_moves, 50 * len(self.visit_ids))
        idle = 0
        # do not start a move that would overrun: keep back the longest move so far
        # (at most 5 % of the time, so one slow move cannot end a short run)
        longest = 0.0
        while not (stop is not None and stop.is_set()):
            now = time.monotonic()
            if now + min(longest, 0.05 * span) > deadline:
                break
            frac = (now - begin) / span
            if max_iterations:
                frac = max(frac, self.iterations / max_iterations)
            temperature = t0 * (t1 / t0) ** frac
            idle += 1
            if idle > patience or (max_iterations is not None
                                   and self.iterations >= max_iterations):
                break
            moved = self.step(temperature)
            longest = max(longest, time.monotonic() - now)
            if moved and self.cost < best_cost - 1e-9:
                idle = 0
                best_cost = self.cost
                best = {s: list(q) for s, q in self.seqs.items()}
                if on_improve is not None:
                    on_improve(best_cost)
        self.current = Routes(self.p, best, self.timings)
        self.cost = best_cost
        costs = self._route_costs(best, set(self.p.staff))
        assert costs is not None
        self.route_cost = costs
        return best

    def temperature_range(self) -> tuple[float, float]:
        """The annealing's start and end temperature, as shares of a visit's cost, for
        this day (small or large with hard windows, or lateness allowed)."""
        prm = self.params
        return (prm.temperature_small if self.small_hard
                else prm.temperature_large if self.large_hard else prm.temperature)

    def _scale(self) -> float:
        """A typical cost of one visit, for the temperature."""
        n = max(1, sum(len(q) for q in self.seqs.values()))
        return max(0.01, math.fsum(self.route_cost.values()) / n)
