"""Exact timing of given visit sequences, obeying planning-format.md to the letter.

Given the order of visits on each staff member's route, compute leave, arrive,
start, end, the break and back: travel by the staff member's own mode, starts
as early as possible (never before the window), the break at a stop with the
trip wholly before or after it, two-person visits starting together and
`after` gaps, found as the least fixpoint of lower bounds on starts.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from tillit.core.planner.model import Route, Staff, Stop
from tillit.core.planner.problem import Problem

INF = 10**9
DAY_END = 86399


@dataclass
class RouteTiming:
    staff: str
    seq: list[str]
    arrive: list[int]
    start: list[int]
    brk: tuple[int, int] | None
    brk_pos: int  # break after this many visits (-1: none)
    leave: int
    back: int
    late: int
    overtime: int
    fail: str | None = None  # visit id (or "") that makes the route infeasible
    fail_reason: str = ""

    def to_route(self, problem: Problem) -> Route:
        stops: list[Stop] = []
        for i, vid in enumerate(self.seq):
            if self.brk is not None and self.brk_pos == i:
                stops.append(Stop(start=self.brk[0], end=self.brk[1]))
            v = problem.visits[vid]
            stops.append(Stop(start=self.start[i], end=self.start[i] + v.seconds, visit=vid,
                              arrive=self.arrive[i]))
        if self.brk is not None and self.brk_pos == len(self.seq):
            stops.append(Stop(start=self.brk[0], end=self.brk[1]))
        return Route(staff=self.staff, leave=self.leave, stops=tuple(stops), back=self.back)


def _hm(t: int) -> str:
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}"


def _late_reason(staff_id: str, vid: str, w_end: int, earliest: int) -> str:
    return f"{staff_id} cannot start {vid} by {_hm(w_end)} (earliest {_hm(earliest)})"


def _end_reason(staff_id: str, vid: str, shift_end: int, past_shift: bool) -> str:
    if past_shift:
        return f"{vid} would end after {staff_id}'s shift ends {_hm(shift_end)}"
    return f"{vid} would end after midnight"


def _pass(problem: Problem, staff: Staff, seq: list[str], lb: dict[str, int],
          brk_pos: int, overtime_ok: bool, late_ok: bool,
          prefix: RouteTiming | None = None) -> RouteTiming:
    """Forward pass with the break after `brk_pos` visits (-1: no break). `prefix`, a
    pass without a break that got past visit `brk_pos`, gives the visits before the
    break (they are timed the same), so only the rest is timed again."""
    n = len(seq)
    shift0, shift1 = staff.shift
    pos = problem.start_pt[staff.id]
    t = shift0
    arrive: list[int] = [0] * n
    start: list[int] = [0] * n
    brk: tuple[int, int] | None = None
    late = 0
    leave = shift0
    leave_set = False
    first = 0
    if prefix is not None and brk_pos > 0:
        first = brk_pos
        arrive[:first] = prefix.arrive[:first]
        start[:first] = prefix.start[:first]
        visits = problem.visits
        if late_ok:
            late = sum(max(0, start[i] - visits[seq[i]].window[1]) for i in range(first))
        t = start[first - 1] + visits[seq[first - 1]].seconds
        pos = problem.visit_pt[seq[first - 1]]
        leave, leave_set = prefix.leave, True
    brk_lo = brk_hi = dur = 0
    if brk_pos >= 0 and staff.brk is not None:
        brk_lo, brk_hi = staff.brk.window
        brk_lo = max(brk_lo, shift0)
        dur = staff.brk.seconds
    fail: str | None = None
    reason = ""
    visits, visit_pt, row, mode = problem.visits, problem.visit_pt, problem.row, staff.mode
    rows = problem.rows.get(mode)
    end_day = shift1 if not overtime_ok and shift1 < DAY_END else DAY_END
    for i in range(first, n):
        vid = seq[i]
        v = visits[vid]
        vp = visit_pt[vid]
        r = rows[pos] if rows is not None else None
        if r is None:
            r = row(mode, pos)
            rows = problem.rows[mode]
        tt = r[vp]
        lower, w_end = v.window
        if lb:
            b = lb.get(vid, 0)
            if b > lower:
                lower = b
        if i == brk_pos:
            # A: break here at `pos`, trip after it. B: trip first, break at the visit.
            bs_a = max(t, brk_lo)
            st_a = max(bs_a + dur + tt, lower) if bs_a <= brk_hi else INF
            bs_b = max(t + tt, brk_lo)
            st_b = max(bs_b + dur, lower) if bs_b <= brk_hi else INF
            if st_a == INF and st_b == INF:
                fail, reason = vid, (f"{staff.id}'s break cannot start inside "
                                     f"{_hm(staff.brk.window[0]) if staff.brk else ''}-"
                                     f"{_hm(brk_hi)}")
                break
            if st_a <= st_b:
                brk = (bs_a, bs_a + dur)
                arrive[i] = bs_a + dur + tt
                start[i] = st_a
                if i == 0:
                    leave, leave_set = bs_a, True
            else:
                brk = (bs_b, bs_b + dur)
                arrive[i] = t + tt
                start[i] = st_b
                if i == 0:
                    leave, leave_set = t, True
        else:
            a = t + tt
            s = a if a > lower else lower
            if i == 0:
                # leave as late as useful: no waiting at the first visit
                leave = s - tt if s - tt > shift0 else shift0
                a = leave + tt
                leave_set = True
            arrive[i] = a
            start[i] = s
        s = start[i]
        if s > w_end:
            if late_ok:
                late += s - w_end
            else:
                fail, reason = vid, _late_reason(staff.id, vid, w_end, s)
                break
        t = s + v.seconds
        if t > end_day:
            fail, reason = vid, _end_reason(staff.id, vid, shift1,
                                            not overtime_ok and t > shift1)
            break
        pos = vp
    if fail is not None:
        return RouteTiming(staff.id, seq, arrive, start, None, brk_pos, shift0, shift0, late, 0,
                           fail, reason)
    end_p = problem.end_pt[staff.id]
    tt = problem.travel(staff, pos, end_p)
    finish = 0
    if brk_pos == n and brk_pos >= 0 and staff.brk is not None:
        bs_a = max(t, brk_lo)
        back_a = bs_a + dur + tt
        bs_b = max(t + tt, brk_lo)
        ok_a = bs_a <= brk_hi and (overtime_ok or back_a <= shift1)
        ok_b = bs_b <= brk_hi and (overtime_ok or bs_b + dur <= shift1)
        if ok_a and (not overtime_ok or back_a <= bs_b + dur or not ok_b):
            brk, back, finish = (bs_a, bs_a + dur), back_a, back_a
        elif ok_b:
            brk, back, finish = (bs_b, bs_b + dur), t + tt, bs_b + dur
        else:
            who = seq[-1] if seq else ""
            return RouteTiming(staff.id, seq, arrive, start, None, brk_pos, shift0, shift0, late,
                               0, who, f"{staff.id}'s break does not fit after the last visit")
    else:
        back = t + tt
        finish = back
    if not leave_set:
        leave = shift0
    if brk is not None and brk[0] < leave:
        leave = brk[0]
    if not overtime_ok and finish > shift1:
        who = seq[-1] if seq else ""
        return RouteTiming(staff.id, seq, arrive, start, None, brk_pos, shift0, shift0, late, 0,
                           who, f"{staff.id} would be back after the shift ends {_hm(shift1)}")
    if finish > DAY_END:
        who = seq[-1] if seq else ""
        return RouteTiming(staff.id, seq, arrive, start, None, brk_pos, shift0, shift0, late, 0,
                           who, f"{staff.id} would be back after midnight")
    overtime = max(0, finish - shift1)
    return RouteTiming(staff.id, seq, arrive, start, brk, brk_pos, leave, back, late, overtime)


def _pass_from(problem: Problem, staff: Staff, seq: list[str], lb: dict[str, int],
               prev: RouteTiming, k: int, last: int, overtime_ok: bool,
               late_ok: bool) -> RouteTiming:
    """`_pass` without a break (`staff` has none), from position `k` > 0 on: `prev` is the
    timing of the same sequence (without failure) under bounds that differ from `lb`
    only at positions `k`..`last`. The visits before `k` are timed as in `prev`, and
    once a visit at or after `last` starts as it did there, so does every visit after
    it. The result is the one `_pass` gives, field for field."""
    n = len(seq)
    shift0, shift1 = staff.shift
    visits, visit_pt, mode = problem.visits, problem.visit_pt, staff.mode
    rows = problem.rows.get(mode)
    arrive = prev.arrive[:]
    start = prev.start[:]
    prev_start = prev.start
    t = start[k - 1] + visits[seq[k - 1]].seconds
    pos = visit_pt[seq[k - 1]]
    end_day = shift1 if not overtime_ok and shift1 < DAY_END else DAY_END
    delta = 0  # lateness against prev's, from k on
    fail: str | None = None
    reason = ""
    i = k
    for i in range(k, n):
        vid = seq[i]
        v = visits[vid]
        vp = visit_pt[vid]
        r = rows[pos] if rows is not None else None
        if r is None:
            r = problem.row(mode, pos)
            rows = problem.rows[mode]
        a = t + r[vp]
        lower, w_end = v.window
        b = lb.get(vid, 0)
        if b > lower:
            lower = b
        s = a if a > lower else lower
        arrive[i] = a
        start[i] = s
        ps = prev_start[i]
        if s > w_end:
            if late_ok:
                delta += s - w_end
            else:
                fail, reason = vid, _late_reason(staff.id, vid, w_end, s)
                break
        if late_ok and ps > w_end:
            delta -= ps - w_end
        t = s + v.seconds
        if t > end_day:
            fail, reason = vid, _end_reason(staff.id, vid, shift1,
                                            not overtime_ok and t > shift1)
            break
        pos = vp
        if s == ps and i >= last:
            # from here on the route is timed as in prev
            return RouteTiming(staff.id, seq, arrive, start, None, -1, prev.leave, prev.back,
                               prev.late + delta, prev.overtime)
    if fail is not None:
        for j in range(i + 1, n):
            arrive[j] = start[j] = 0
        late = 0
        if late_ok:  # (what _pass had counted when it stopped at i)
            late = prev.late + delta - sum(
                max(0, prev_start[j] - visits[seq[j]].window[1]) for j in range(i + 1, n))
        return RouteTiming(staff.id, seq, arrive, start, None, -1, shift0, shift0, late, 0,
                           fail, reason)
    late = prev.late + delta
    tt = problem.travel(staff, pos, problem.end_pt[staff.id])
    back = t + tt
    if not overtime_ok and back > shift1:
        return RouteTiming(staff.id, seq, arrive, start, None, -1, shift0, shift0, late, 0,
                           seq[-1], f"{staff.id} would be back after the shift ends {_hm(shift1)}")
    if back > DAY_END:
        return RouteTiming(staff.id, seq, arrive, start, None, -1, shift0, shift0, late, 0,
                           seq[-1], f"{staff.id} would be back after midnight")
    return RouteTiming(staff.id, seq, arrive, start, None, -1, prev.leave, back, late,
                       max(0, back - shift1))


MEMO_MAX = 200_000  # timings kept per problem before the memo is emptied


def time_route(problem: Problem, staff: Staff, seq: list[str],
               lb: dict[str, int] | None = None) -> RouteTiming:
    """Best timing of one route: earliest starts, break at the best position.

    Memoised per problem: the result is shared, callers must not change it."""
    key = (staff.id, tuple(seq), tuple(map(lb.get, seq)) if lb else ())
    memo = problem.timing_memo
    rt = memo.get(key)
    if rt is None:
        if len(memo) >= MEMO_MAX:
            memo.clear()
        rt = memo[key] = _time_route(problem, staff, list(seq), lb)
    return rt


def latest_starts(problem: Problem, staff: Staff, seq: list[str]) -> list[int]:
    """Latest arrival at each position (and at the end, last item) that keeps the
    rest of the route within its windows and the shift, breaks left aside: an
    insertion that arrives later than this is infeasible. Memoised like time_route."""
    key = ("latest", staff.id, tuple(seq))
    memo = problem.timing_memo
    out = memo.get(key)
    if out is None:
        if len(memo) >= MEMO_MAX:
            memo.clear()
        out = memo[key] = _latest_starts(problem, staff, seq)
    return out


def _latest_starts(problem: Problem, staff: Staff, seq: list[str]) -> list[int]:
    late_ok = problem.instance.objective.late_minute is not None
    overtime_ok = problem.instance.objective.overtime_minute is not None
    n = len(seq)
    out = [INF] * (n + 1)
    limit = INF if overtime_ok else staff.shift[1]
    out[n] = min(limit, DAY_END)
    nxt = problem.end_pt[staff.id]
    for i in range(n - 1, -1, -1):
        v = problem.visits[seq[i]]
        vp = problem.visit_pt[seq[i]]
        lim = out[i + 1] - problem.travel(staff, vp, nxt) - v.seconds
        if not late_ok:
            lim = min(lim, v.window[1])
        out[i] = lim
        nxt = vp
    return out


def break_bounds(problem: Problem, staff: Staff, seq: list[str], ends: list[int],
                 latest: list[int], legs: list[int]) -> tuple[list[int], list[int]]:
    """For a route whose break is still to come after each place, what an insertion
    needs (lower bounds on starts aside): `ahead[i]`, the latest arrival at position
    `i` (visit `i`, or the end) that leaves room for the break there or later (-INF:
    none); `behind[i]`, the earliest time the carer is free after visit `i - 1` with
    the break already taken before it (INF: none; `behind[0]` is always INF).
    `ends[i]` is when the carer is free before position `i` with no break yet, and
    `latest` the break-free latest arrivals (`latest_starts`); `legs[i]` the travel
    into position `i` (from the start, or the visit before)."""
    assert staff.brk is not None
    late_ok = problem.instance.objective.late_minute is not None
    visits = problem.visits
    lo, hi = staff.brk.window
    lo = max(lo, staff.shift[0])
    dur = staff.brk.seconds
    n = len(seq)
    ahead = [-INF] * (n + 1)
    if lo <= hi and lo + dur <= latest[n]:
        ahead[n] = min(hi, latest[n] - dur)
    for i in range(n - 1, -1, -1):
        v = visits[seq[i]]
        out = legs[i + 1]
        best = -INF
        if lo <= hi and lo + dur <= latest[i]:
            best = min(hi, latest[i] - dur)  # the break here, before the visit
        # the break after the visit: at its place, or later
        end = ahead[i + 1] - out
        if lo <= hi and lo + dur + out <= latest[i + 1]:
            end = max(end, min(hi, latest[i + 1] - out - dur))
        bound = end - v.seconds
        if not late_ok:
            bound = min(bound, v.window[1])
        if bound >= v.window[0]:
            best = max(best, bound)
        ahead[i] = best
    behind = [INF] * (n + 1)
    for j in range(n):
        v = visits[seq[j]]
        into = legs[j]
        start = INF
        bs = max(ends[j], lo)  # the break at the place before, then the trip
        if bs <= hi:
            start = bs + dur + into
        bs = max(ends[j] + into, lo)  # the trip, then the break at the visit
        if bs <= hi:
            start = min(start, bs + dur)
        if behind[j] < INF:
            start = min(start, behind[j] + into)
        if start >= INF:
            continue
        start = max(start, v.window[0])
        if not late_ok and start > v.window[1]:
            continue
        if start + v.seconds <= latest[j + 1] - legs[j + 1]:
            behind[j + 1] = start + v.seconds
    return ahead, behind


def _time_route(problem: Problem, staff: Staff, seq: list[str],
                lb: dict[str, int] | None = None) -> RouteTiming:
    inst = problem.instance
    overtime_ok = inst.objective.overtime_minute is not None
    late_ok = inst.objective.late_minute is not None
    lb = lb or {}
    if staff.brk is None or not seq:
        return _pass(problem, staff, seq, lb, -1, overtime_ok, late_ok)
    # the prefix before the break is timed as without a break: prune break positions
    nb = _pass(problem, staff, seq, lb, -1, overtime_ok, late_ok)
    last = seq.index(nb.fail) if nb.fail is not None and nb.fail in seq else len(seq)
    hi = staff.brk.window[1]
    best: RouteTiming | None = None
    best_key: tuple[int, int, int, int] | None = None
    first_fail: RouteTiming | None = None
    # a break taken where the carer would wait for the break window anyway is as good as
    # any earlier place (every start is the same or earlier): begin at the last such place
    opens = max(staff.brk.window[0], staff.shift[0])
    k_lo = 0
    for k in range(1, last + 1):
        if nb.start[k - 1] + problem.visits[seq[k - 1]].seconds <= opens:
            k_lo = k
        else:
            break
    for k in range(k_lo, last + 1):
        if k > 0 and nb.start[k - 1] + problem.visits[seq[k - 1]].seconds > hi:
            break
        rt = _pass(problem, staff, seq, lb, k, overtime_ok, late_ok, nb)
        if rt.fail is not None:
            if first_fail is None or _progress(rt) > _progress(first_fail):
                first_fail = rt
            continue
        key = (rt.late, rt.overtime, sum(rt.start), rt.back)
        if best_key is None or key < best_key:
            best, best_key = rt, key
    if best is not None:
        return best
    return first_fail if first_fail is not None else nb


def _progress(rt: RouteTiming) -> int:
    return rt.seq.index(rt.fail) if rt.fail in rt.seq else len(rt.seq)


@dataclass
class Timing:
    routes: dict[str, RouteTiming]
    fail: str | None = None
    fail_reason: str = ""
    lb: dict[str, int] = field(default_factory=dict)  # the coupling's lower bounds on starts
    # total lateness (each visit once) and overtime in seconds, when known (`with_totals`)
    late: int | None = None
    overtime: int | None = None

    def starts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for rt in self.routes.values():
            for vid, st in zip(rt.seq, rt.start, strict=True):
                out[vid] = max(out.get(vid, st), st)
        return out


def time_plan(problem: Problem, seqs: dict[str, list[str]], max_rounds: int = 60,
              ties: dict[str, list[tuple[int, str]]] | None = None,
              lb0: dict[str, int] | None = None) -> Timing:
    """Time every route, with two-person visits and `after` gaps coupled. `ties` may
    give each route's coupled visits (`Problem.coupled_visits`) with their places;
    `lb0`, lower bounds on starts to begin from (each must hold in every timing)."""
    lb: dict[str, int] = dict(lb0) if lb0 else {}
    if ties is None:
        linked = problem.coupled_visits
        ties = {sid: [(i, v) for i, v in enumerate(seq) if v in linked]
                for sid, seq in seqs.items()}
    where: dict[str, list[str]] = {}  # where the visits that can tie routes are
    for sid in seqs:
        for _, vid in ties[sid]:
            where.setdefault(vid, []).append(sid)
    coupled = {vid for vid, ss in where.items() if len(ss) > 1}
    afters = [v for v in (problem.visits[a] for a in problem.after_visits)
              if v.id in where and v.after is not None and v.after.visit in where]
    coupled_staff = {sid for vid in coupled for sid in where[vid]}
    for v in afters:
        coupled_staff.update(where[v.id])
        coupled_staff.update(where[v.after.visit])  # type: ignore[union-attr]
    routes = {sid: time_route(problem, problem.staff[sid], seq, lb)
              for sid, seq in seqs.items() if seq}
    for rt in routes.values():
        if rt.fail is not None:
            return Timing(routes, rt.fail or rt.seq[-1], rt.fail_reason)
    if not coupled_staff:
        return Timing(routes, lb=lb)
    # only the starts of coupled visits matter for the bounds
    idx = ties
    # the keys of the starts each check reads: two-person visits, then `after` gaps
    pair_keys = [(vid, (ab[0], vid), (ab[1], vid), ab) for vid in coupled
                 for ab in (where[vid],)]
    gap_keys = []
    for v in afters:
        assert v.after is not None
        t_id = v.after.visit
        gap_keys.append((v.id, t_id, [(s, t_id) for s in where[t_id]],
                         [(s, v.id) for s in where[v.id]],
                         v.after.min_seconds, v.after.max_seconds))
    st: dict[tuple[str, str], int] = {}
    dirty: set[str] = set(coupled_staff)
    for _ in range(max_rounds):
        for sid in dirty:
            start = routes[sid].start
            for i, vid in idx[sid]:
                st[(sid, vid)] = start[i]
        dirty = set()
        for vid, ka, kb, ab in pair_keys:
            sa, sb = st[ka], st[kb]
            if sa != sb:
                lb[vid] = sa if sa > sb else sb
                dirty.update(ab)
        for vid, t_id, t_keys, v_keys, gap_min, gap_max in gap_keys:
            ts = st[t_keys[0]] if len(t_keys) == 1 else max(st[k] for k in t_keys)
            vs = st[v_keys[0]] if len(v_keys) == 1 else max(st[k] for k in v_keys)
            if vs < ts + gap_min:
                lb[vid] = max(lb.get(vid, 0), ts + gap_min)
                dirty.update(where[vid])
            if vs > ts + gap_max:
                lb[t_id] = max(lb.get(t_id, 0), vs - gap_max)
                dirty.update(where[t_id])
        if not dirty:
            return Timing(routes, lb=lb)
        for sid in dirty:
            rt = routes[sid] = time_route(problem, problem.staff[sid], seqs[sid], lb)
            if rt.fail is not None:
                return Timing(routes, rt.fail or rt.seq[-1], rt.fail_reason)
    # no fixpoint: blame a coupled visit
    for vid in sorted(coupled):
        return Timing(routes, vid, "two-person visit: the two carers cannot start together")
    for v in afters:
        return Timing(routes, v.id, f"cannot keep the gap after {v.after.visit}")  # type: ignore
    return Timing(routes, next(iter(where)), "no consistent timing")


def _late_of(due: dict[str, int], starts: dict[str, int]) -> int:
    total = 0
    for vid, st in starts.items():
        over = st - due[vid]
        if over > 0:
            total += over
    return total


def with_totals(problem: Problem, tm: Timing) -> Timing:
    """`tm` (a timing without failure) with its total lateness and overtime filled in."""
    if tm.late is None:
        # (with hard windows a timing that holds has nothing late)
        late_ok = problem.instance.objective.late_minute is not None
        tm.late = _late_of(problem.due, tm.starts()) if late_ok else 0
        tm.overtime = sum(rt.overtime for rt in tm.routes.values())
    return tm


def time_plan_warm(problem: Problem, seqs: dict[str, list[str]],
                   ties: dict[str, list[tuple[int, str]]], tie_at: dict[str, dict[str, int]],
                   base: Timing, changed: AbstractSet[str], max_rounds: int = 60) -> Timing:
    """What `time_plan(problem, seqs, max_rounds, ties, lb0=base.lb)` gives, found by
    timing again only the routes a change reaches.

    `seqs` is a closed set of linked routes (`Routes.component`), `base` the finished
    timing (no failure, `with_totals`) of the same routes before the change, and
    `changed` the routes that differ from it (all others are as in `base`). `ties`
    gives each route's coupled visits with their places and `tie_at` each coupled
    visit's routes with its place there (`RouteSeqs.tie_pos` and `.tie_at`).

    The routes that did not change are timed as in `base` (each route there is timed
    under `base.lb`, and every check of the coupling that reads only them held). So the
    rounds of `time_plan` are followed exactly, but each round times again only the
    routes marked in the one before, from the first place whose bound was raised, and
    checks only the two-person visits and `after` gaps with a visit whose start moved:
    a check whose visits kept their starts gives what it gave before, nothing (a check
    that fires always moves a start). Same bounds, same rounds, same result, with the
    totals of `with_totals` carried over from `base`."""
    staff = problem.staff
    lb: dict[str, int] = dict(base.lb)
    routes: dict[str, RouteTiming] = dict(base.routes)
    retimed: set[str] = set()
    # the coupled visits of the changed routes that are new or start otherwise than in
    # `base`: every check of the coupling held there, so one whose visits all kept their
    # starts still holds (a two-person visit's other carer, if changed too, is compared
    # through its own route)
    moved: set[str] = set()
    for sid in seqs:
        if sid in changed:
            was = routes.get(sid)
            rt = routes[sid] = time_route(problem, staff[sid], seqs[sid], lb)
            retimed.add(sid)
            if rt.fail is not None:
                return Timing(routes, rt.fail or rt.seq[-1], rt.fail_reason)
            if was is None:
                moved.update(vid for _, vid in ties[sid])
                continue
            before = dict(zip(was.seq, was.start, strict=True))
            start = rt.start
            for i, vid in ties[sid]:
                if before.get(vid) != start[i]:
                    moved.add(vid)
    tm = _rounds(problem, seqs, ties, tie_at, lb, routes, retimed, max_rounds, moved)
    return tm if tm.fail is not None else _carry_totals(problem, base, tm, retimed)


def time_plan_indexed(problem: Problem, seqs: dict[str, list[str]],
                      ties: dict[str, list[tuple[int, str]]],
                      tie_at: dict[str, dict[str, int]], max_rounds: int = 60) -> Timing:
    """What `time_plan(problem, seqs, max_rounds, ties)` gives, with the index of
    `time_plan_warm` (`seqs` a closed set of linked routes with their `ties` and
    `tie_at`): every route timed, then the same rounds, each checking only what a start
    that moved can change. Breaks allowed (a route with a break is timed again whole)."""
    staff = problem.staff
    lb: dict[str, int] = {}
    routes = {sid: time_route(problem, staff[sid], seq, lb) for sid, seq in seqs.items() if seq}
    for rt in routes.values():
        if rt.fail is not None:
            return Timing(routes, rt.fail or rt.seq[-1], rt.fail_reason)
    return _rounds(problem, seqs, ties, tie_at, lb, routes, set(routes), max_rounds)


def _rounds(problem: Problem, seqs: dict[str, list[str]],
            ties: dict[str, list[tuple[int, str]]], tie_at: dict[str, dict[str, int]],
            lb: dict[str, int], routes: dict[str, RouteTiming], retimed: set[str],
            max_rounds: int, moved: set[str] | None = None) -> Timing:
    """The rounds of `time_plan` after its first timing of the routes: `retimed`, the
    routes just timed (whose coupled visits are all checked first, or those in `moved`
    when given), is kept up to date with every route timed again. `lb` and `routes` are
    updated in place."""
    visits = problem.visits
    staff = problem.staff
    gap_checks = problem.gap_checks
    overtime_ok = problem.instance.objective.overtime_minute is not None
    late_ok = problem.instance.objective.late_minute is not None
    # the places on each route whose bound was raised in this round (first, last)
    raised: dict[str, list[int]] = {}

    def mark(on: dict[str, int]) -> None:
        for sid, i in on.items():
            got = raised.get(sid)
            if got is None:
                raised[sid] = [i, i]
            elif i < got[0]:
                got[0] = i
            elif i > got[1]:
                got[1] = i

    # the coupled visits whose start may differ from the last check: those of the changed
    # routes, then those a round moved
    if moved is None:
        moved = {vid for sid in retimed for _, vid in ties[sid]}
    for _ in range(max_rounds):
        gaps: set[str] = set()
        raised = {}
        for vid in moved:
            checks = gap_checks[vid]
            if checks:
                gaps.update(checks)
            on = tie_at[vid]
            if len(on) > 1:  # a two-person visit
                (a, ia), (b, ib) = on.items()
                sa = routes[a].start[ia]
                sb = routes[b].start[ib]
                if sa != sb:
                    lb[vid] = sa if sa > sb else sb
                    mark(on)
        moved = set()
        for vid in gaps:
            gap = visits[vid].after
            assert gap is not None
            t_id = gap.visit
            v_on, t_on = tie_at.get(vid), tie_at.get(t_id)
            if not v_on or not t_on:
                continue
            ts = vs = -1
            for s, i in t_on.items():
                x = routes[s].start[i]
                if x > ts:
                    ts = x
            for s, i in v_on.items():
                x = routes[s].start[i]
                if x > vs:
                    vs = x
            bound = ts + gap.min_seconds
            if vs < bound:
                if lb.get(vid, 0) > bound:
                    bound = lb[vid]
                lb[vid] = bound
                mark(v_on)
            bound = vs - gap.max_seconds
            if bound > ts:
                if lb.get(t_id, 0) > bound:
                    bound = lb[t_id]
                lb[t_id] = bound
                mark(t_on)
        if not raised:
            return Timing(routes, lb=lb)
        for sid, (first, last) in raised.items():
            was = routes[sid]
            if first == 0 or staff[sid].brk is not None:
                rt = time_route(problem, staff[sid], seqs[sid], lb)
                first = 0
            else:
                rt = _pass_from(problem, staff[sid], seqs[sid], lb, was, first, last,
                                overtime_ok, late_ok)
            routes[sid] = rt
            retimed.add(sid)
            if rt.fail is not None:
                return Timing(routes, rt.fail or rt.seq[-1], rt.fail_reason)
            before, after = was.start, rt.start
            # (the places before `first` start as before in a pass from `first`)
            for i, vid in ties[sid]:
                if i >= first and before[i] != after[i]:
                    moved.add(vid)
    # no fixpoint: blame a coupled visit, as time_plan does
    where_all: dict[str, list[str]] = {}
    for sid in seqs:
        for _, vid in ties[sid]:
            where_all.setdefault(vid, []).append(sid)
    for vid in sorted(v for v, ss in where_all.items() if len(ss) > 1):
        return Timing(routes, vid, "two-person visit: the two carers cannot start together")
    for a in problem.after_visits:
        v = visits[a]
        if v.after is not None and a in where_all and v.after.visit in where_all:
            return Timing(routes, a, f"cannot keep the gap after {v.after.visit}")
    return Timing(routes, next(iter(where_all)), "no consistent timing")


def _carry_totals(problem: Problem, base: Timing, tm: Timing, retimed: set[str]) -> Timing:
    """`tm`'s totals from `base`'s: only the routes in `retimed` can differ. (Two-person
    visits start together in both timings, so each route's own starts give them.)"""
    assert base.late is not None and base.overtime is not None
    # (with hard windows a timing that holds has nothing late)
    late_ok = problem.instance.objective.late_minute is not None
    was: dict[str, int] = {}
    now: dict[str, int] = {}
    overtime = base.overtime
    for sid in retimed:
        old = base.routes.get(sid)
        rt = tm.routes[sid]
        if old is not None:
            overtime -= old.overtime
            if late_ok:
                was.update(zip(old.seq, old.start, strict=True))
        overtime += rt.overtime
        if late_ok:
            now.update(zip(rt.seq, rt.start, strict=True))
    tm.late = base.late - _late_of(problem.due, was) + _late_of(problem.due, now)
    tm.overtime = overtime
    return tm
