"""Cheapest feasible insertion with exact timing.

Used for the first solution handed to OR-Tools, and as the repair pass that
re-inserts visits left out by the solver or by decomposition. Every accepted
insertion is checked with the exact timing of `timing.py`.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from tillit.core.planner.problem import Problem
from tillit.core.planner.routes import Routes
from tillit.core.planner.timing import (
    INF,
    break_bounds,
    latest_starts,
    time_route,
)


class _RouteScan:
    """What the insertion scan reads of one route as it is: its timing, its points
    (start, visits, end), the travel of each leg, when each place is free (the shift's
    start, then each visit's end) and the latest arrival at each place."""

    __slots__ = ("ahead", "behind", "brk", "brk_after", "ends", "latest", "legs", "mode",
                 "open_by", "pts", "seq", "timing")

    def __init__(self, problem: Problem, sid: str, seq: list[str]):
        st = problem.staff[sid]
        self.seq = seq
        self.mode = st.mode
        self.timing = rt = time_route(problem, st, seq)
        self.latest = latest_starts(problem, st, seq)
        self.pts = pts = [problem.start_pt[sid], *(problem.visit_pt[v] for v in seq),
                          problem.end_pt[sid]]
        self.legs = [problem.row(st.mode, a)[b] for a, b in zip(pts[:-1], pts[1:], strict=True)]
        visits = problem.visits
        self.ends = [st.shift[0]]
        if rt.fail is None:
            self.ends += [t + visits[v].seconds for v, t in zip(seq, rt.start, strict=True)]
        # places up to `brk_after` come before the break (-1: no break to take)
        self.brk_after = -1
        self.brk = (0, 0, 0)
        self.ahead = self.behind = self.latest
        if st.brk is not None and rt.fail is None:
            self.brk_after = rt.brk_pos if rt.brk is not None else len(seq)
            self.brk = (max(st.brk.window[0], st.shift[0]), st.brk.window[1], st.brk.seconds)
            self.ahead, self.behind = break_bounds(problem, st, seq, self.ends, self.latest,
                                                   self.legs)
        # the latest arrival at each place that surely leaves room (the break later on)
        k = self.brk_after + 1
        self.open_by = self.ahead[:k] + self.latest[k:]

    def keeps(self, pos: int, est: int, v_lo: int, v_hi: int, v_sec: int, into: int,
              out: int) -> bool:
        """Whether a visit inserted at `pos` may fit, from this route's figures alone
        (lower bounds of the coupling aside): `est`, its earliest start there without a
        break; `into` and `out`, the travel to it and on to the next place. Before the
        route's break, False only when no timing of the new route keeps every window,
        the shift and the break; after it, with the break left where it is."""
        if est > v_hi:
            return False
        arr_next = est + v_sec + out
        if pos > self.brk_after:
            return arr_next <= self.latest[pos]  # (the break is behind)
        return _break_fits(self, pos, est, v_lo, v_hi, v_sec, into, out)


def _break_fits(scan: _RouteScan, pos: int, est: int, v_lo: int, v_hi: int, v_sec: int,
                into: int, out: int) -> bool:
    """Whether a visit inserted at `pos` (before the route's break), starting no earlier
    than `est` without a break, leaves room for the break: after the visit, or before
    it (at the place before, at the visit, or earlier in the route)."""
    lo, hi, dur = scan.brk
    latest = scan.latest[pos]
    if est <= v_hi:
        end = est + v_sec
        if end + out <= scan.ahead[pos]:
            return True  # the break later on
        bs = end if end > lo else lo
        if bs <= hi and bs + dur + out <= latest:
            return True  # the break right after the visit, at its place
    ready = scan.ends[pos]
    start = INF
    bs = ready if ready > lo else lo
    if bs <= hi:
        start = bs + dur + into
    bs = ready + into if ready + into > lo else lo
    if bs <= hi and bs + dur < start:
        start = bs + dur
    if scan.behind[pos] + into < start:
        start = scan.behind[pos] + into
    if start < v_lo:
        start = v_lo
    return start <= v_hi and start + v_sec + out <= latest


def _nonpref(problem: Problem, sid: str, vid: str) -> bool:
    v = problem.visits[vid]
    return bool(v.preferred_staff) and sid not in v.preferred_staff


def order_key(problem: Problem, vid: str) -> tuple:
    """The order in which `insert_all` places visits unless told otherwise."""
    v = problem.visits[vid]
    if problem.instance.objective.late_minute is not None:
        # lateness allowed: placing the day in time order keeps the delays from cascading
        return (not v.mandatory, -v.staff_count, v.window[1] - v.window[0], v.window[0], vid)
    return (not v.mandatory, v.after is not None, -v.staff_count,
            len(problem.allowed[vid]), v.window[1] - v.window[0], v.window[0], vid)


def followers_after_targets(problem: Problem, order: list[str]) -> list[str]:
    """The order with each `after` visit moved to just behind the visit it follows (when
    that one is in the order too), so the pair is placed while there is room for both."""
    present = set(order)
    waiting: dict[str, list[str]] = {}
    for vid in order:
        a = problem.visits[vid].after
        if a is not None and a.visit in present:
            waiting.setdefault(a.visit, []).append(vid)
    out: list[str] = []

    def emit(vid: str) -> None:
        out.append(vid)
        for f in waiting.pop(vid, []):
            emit(f)

    for vid in order:
        a = problem.visits[vid].after
        if a is not None and a.visit in present:
            continue  # emitted behind its target
        emit(vid)
    out.extend(v for fs in waiting.values() for v in fs)  # (an `after` cycle: never valid)
    return out


# a visit's candidate places on one route, found by one scan of it: (the route's scan,
# [(estimate, carer, place, travel cost), ...]), kept by `regret_order` for `insert_all`
Places = dict[tuple[str, str], tuple["_RouteScan", list[tuple[float, str, int, float]]]]


def route_places(problem: Problem, got: _RouteScan, sid: str, vid: str, np_cost: float,
                 hard: bool) -> list[tuple[float, str, int, float]]:
    """The places on one route (as scanned in `got`) where a visit may go, as
    (estimate, carer, place, travel and non-preferred cost): with `hard` windows only the
    places whose windows, shift and break can hold it; with lateness allowed every place
    that keeps the rest of the route and the break, the estimate adding the lateness the
    visit surely causes. A route that cannot be timed lists every place."""
    w_travel = problem.weights.travel
    w_late = problem.weights.late
    v = problem.visits[vid]
    p = problem.visit_pt[vid]
    v_lo, v_hi, v_sec = v.window[0], v.window[1], v.seconds
    into = problem.column(got.mode, p)  # travel from each point to the visit
    out_of = problem.row(got.mode, p)  # and from the visit
    pts, legs, ends, latest = got.pts, got.legs, got.ends, got.latest
    open_by = got.open_by
    rt = got.timing
    seq = got.seq
    n = len(seq)
    found: list[tuple[float, str, int, float]] = []
    if rt.fail is not None:
        for pos in range(n + 1):
            fixed = (into[pts[pos]] + out_of[pts[pos + 1]] - legs[pos]) * w_travel + np_cost
            found.append((fixed, sid, pos, fixed))
        return found
    # the visit cannot end before the place's latest arrival (latest rises along
    # the route), nor start in time after a visit that ends past its window
    lo = bisect_left(latest, v_lo + v_sec)
    hi = bisect_right(ends, v_hi) if hard else n + 1
    for pos in range(lo, hi):
        prev_pt = pts[pos]
        nxt_pt = pts[pos + 1]
        ready = ends[pos] + into[prev_pt]
        est = v_lo if v_lo > ready else ready
        if hard and est > v_hi:
            break  # later positions are later still
        # the visits after it must still start in time, with room for the break
        if est + v_sec + out_of[nxt_pt] > open_by[pos] and not got.keeps(
                pos, est, v_lo, v_hi if hard else INF, v_sec, into[prev_pt],
                out_of[nxt_pt]):
            continue
        fixed = (into[prev_pt] + out_of[nxt_pt] - legs[pos]) * w_travel + np_cost
        own_late = 0.0
        if w_late:
            own_late = max(0, est - v_hi) * w_late
            if pos < n:
                # the next visit is pushed: at least its own added lateness
                nw = problem.visits[seq[pos]].window[1]
                was = rt.start[pos]
                arr_next = est + v_sec + out_of[nxt_pt]
                own_late += (max(0, max(was, arr_next) - nw) - max(0, was - nw)) * w_late
        found.append((fixed + own_late, sid, pos, fixed))
    return found


def regret_order(problem: Problem, routes: Routes, visit_ids: list[str],
                 scans: dict[str, _RouteScan], places: Places | None = None) -> list[str]:
    """The visits by regret: the difference between the estimated cost of their best place
    and of their best place on another carer's route (places whose windows cannot hold the
    visit left out, hard windows only), largest first; a visit with one carer left first of
    all. Mandatory visits before optional ones. `places`, when given (hard windows, no
    lateness cost), receives each visit's candidate places per route, as `insert_all`
    would list them from the same scan, so that it need not scan an unchanged route again."""
    w_np = problem.weights.non_preferred
    if problem.weights.late or problem.instance.objective.late_minute is not None:
        places = None
    regret: dict[str, float] = {}
    for vid in visit_ids:
        v = problem.visits[vid]
        bests: list[float] = []
        for sid in problem.allowed[vid]:
            seq = routes.seqs[sid]
            got = scans.get(sid)
            if got is None or (got.seq is not seq and got.seq != seq):
                got = scans[sid] = _RouteScan(problem, sid, seq)
            if got.timing.fail is not None:
                continue
            np_cost = w_np if v.staff_count == 1 and _nonpref(problem, sid, vid) else 0.0
            found = route_places(problem, got, sid, vid, np_cost, True)
            if places is not None:
                places[(vid, sid)] = (got, found)
            if found:
                bests.append(min(c for c, _, _, _ in found))
        bests.sort()
        regret[vid] = (INF if len(bests) < 2 else bests[1] - bests[0])
    return sorted(visit_ids, key=lambda x: (not problem.visits[x].mandatory, -regret[x]))


def insert_all(problem: Problem, routes: Routes, visit_ids: Iterable[str],
               deadline: float | None = None, tries: int = 12,
               staff_ids: set[str] | None = None, order_given: bool = False,
               scans: dict[str, _RouteScan] | None = None, soft_places: int = 0,
               places: Places | None = None) -> list[str]:
    """Insert the visits one by one at their cheapest feasible place; return those left out.

    The visits go in priority order (mandatory, two-person and hard-to-place first)
    unless `order_given`: then in the order given. `scans` keeps what the scan reads of
    each route for the next call (a caller that inserts again and again).
    `soft_places` (lateness or overtime allowed): once a place is found, price at
    most this many places exactly, cheapest estimate first (0: every place whose
    estimate can still win). `places`: candidate places `regret_order` found on routes
    scanned with `scans`, taken as they are while the route's scan is the same."""
    w_np = problem.weights.non_preferred
    left: list[str] = []
    assigned = routes.assigned()
    cache: dict[str, _RouteScan] = {} if scans is None else scans
    todo = [v for v in visit_ids if v not in assigned]
    if order_given:
        todo = followers_after_targets(problem, todo)
    else:
        todo.sort(key=lambda v: order_key(problem, v))
    for vid in todo:
        if deadline is not None and time.monotonic() > deadline:
            left.append(vid)
            continue
        v = problem.visits[vid]
        if v.after is not None and v.after.visit not in assigned:
            left.append(vid)
            continue
        cands: list[tuple[float, str, int, float]] = []  # (estimate, staff, place, travel)
        hard = problem.instance.objective.late_minute is None
        single = v.staff_count == 1
        for sid in problem.allowed[vid]:
            if staff_ids is not None and sid not in staff_ids:
                continue
            seq = routes.seqs[sid]
            got = cache.get(sid)
            if got is None or (got.seq is not seq and got.seq != seq):
                got = cache[sid] = _RouteScan(problem, sid, seq)
            if places is not None:
                pre = places.get((vid, sid))
                if pre is not None and pre[0] is got:
                    cands.extend(pre[1])
                    continue
            np_cost = w_np if single and _nonpref(problem, sid, vid) else 0.0
            cands.extend(route_places(problem, got, sid, vid, np_cost, hard))
        cands.sort()
        soft = (problem.instance.objective.late_minute is not None
                or problem.instance.objective.overtime_minute is not None)
        if v.staff_count == 1:
            chosen: tuple[float, str, list[str]] | None = None
            base: dict[str, float] = {}
            # (with lateness or overtime allowed every place is feasible: the estimate is a
            # lower bound of the true cost, so scan until it exceeds the best found)
            for k, (c, sid, pos, fixed) in enumerate(cands if soft else cands[: tries * 5]):
                if chosen is not None and (c >= chosen[0] or (soft_places and k >= soft_places)):
                    break
                seq = routes.seqs[sid]
                new = seq[:pos] + [vid] + seq[pos:]
                if soft:
                    if sid not in base:
                        base[sid] = routes.penalty({sid: seq}) or 0.0
                    low = routes.penalty_lower_bound({sid: new})
                    if (low is not None and chosen is not None
                            and fixed + low - base[sid] >= chosen[0]):
                        continue
                pen = routes.penalty({sid: new})
                if pen is None:
                    continue
                if soft:
                    c = fixed + pen - base[sid]
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
        # two-person visit: best places per staff member that its route alone can take,
        # then pairs whose common start each route can also take, then the exact check
        per_staff: dict[str, list[tuple[float, int, list[str], int]]] = {}
        for c, sid, pos, _ in cands:
            lst = per_staff.setdefault(sid, [])
            if len(lst) >= 3:
                continue
            seq = routes.seqs[sid]
            new = seq[:pos] + [vid] + seq[pos:]
            alone = time_route(problem, problem.staff[sid], new)
            if alone.fail is None:
                lst.append((c, pos, new, alone.start[pos]))
        pairs: list[tuple[float, str, int, str, int]] = []
        sids = [x for x in per_staff if per_staff[x]]
        for i, a in enumerate(sids):
            for b in sids[i + 1:]:
                for ca, pa, _, _ in per_staff[a]:
                    for cb, pb, _, _ in per_staff[b]:
                        np_cost = w_np if (_nonpref(problem, a, vid)
                                           and _nonpref(problem, b, vid)) else 0.0
                        pairs.append((ca + cb + np_cost, a, pa, b, pb))
        pairs.sort()
        ok = False
        opt = {(x, pos): (new, start) for x in sids for _, pos, new, start in per_staff[x]}
        checked = 0
        for _, a, pa, b, pb in pairs:
            if checked >= tries * 3:
                break
            na, ta = opt[(a, pa)]
            nb, tb = opt[(b, pb)]
            together = {vid: max(ta, tb)}
            if (time_route(problem, problem.staff[a], na, together).fail is not None
                    or time_route(problem, problem.staff[b], nb, together).fail is not None):
                continue
            checked += 1
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
