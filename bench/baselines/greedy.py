"""Greedy sequential cheapest-insertion planner (baseline).

Visits are taken in a fixed priority order (mandatory, two-person, tight
windows first; an `after` visit right after the visit it follows) and each is
put where it adds the least cost (travel minutes, plus the non-preferred
penalty), over every qualified staff member and every position, keeping every
hard rule: competence and skills, windows, shifts, the break (an element of
the route, placed by the same insertion), two-person visits at one start in
two routes, `after` gaps (the earlier visit's start is frozen once a later
visit depends on it). No improvement phase.

For large instances (more than `full_scan` visits) only the `candidates`
staff members whose routes pass nearest are tried (plus the preferred ones).
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import BREAK, Inst, Timed, hms, load, plan_dict, route_cost, schedule


def _order(inst: Inst) -> list[int]:
    base = sorted(
        range(len(inst.visits)),
        key=lambda i: (
            not inst.visits[i].mandatory,
            -inst.visits[i].count,
            inst.visits[i].hi - inst.visits[i].lo,
            inst.visits[i].lo,
        ),
    )
    out: list[int] = []
    done: set[int] = set()
    waiting: dict[int, list[int]] = {}

    def emit(i: int) -> None:
        out.append(i)
        done.add(i)
        for c in waiting.pop(i, []):
            emit(c)

    for i in base:
        a = inst.visits[i].after
        if a is not None and a[0] not in done:
            waiting.setdefault(a[0], []).append(i)
        else:
            emit(i)
    return out


def solve_greedy(
    raw: dict[str, Any], *, full_scan: int = 600, candidates: int = 30
) -> dict[str, Any]:
    inst = load(raw)
    routes: dict[int, Timed] = {}
    for s in inst.staff:
        tm = schedule(inst, s, [BREAK] if s.brk else [])
        if tm is None:
            tm = schedule(inst, s, [])
        assert tm is not None
        routes[s.idx] = tm
    fixed: dict[int, int] = {}
    lo_of: dict[int, int] = {}
    hi_of: dict[int, int] = {}
    assigned: dict[int, list[int]] = {}  # visit -> staff
    start_of: dict[int, int] = {}
    unassigned: dict[int, str] = {}
    big = len(inst.visits) > full_scan

    def best_in(s_idx: int, v_idx: int, extra_fixed: dict[int, int] | None = None):
        s = inst.staff[s_idx]
        cur = routes[s_idx]
        v = inst.visits[v_idx]
        base_cost = route_cost(inst, cur)
        fx = fixed if extra_fixed is None else {**fixed, **extra_fixed}
        best: tuple[float, Timed, int] | None = None
        for p in range(len(cur.elems) + 1):
            if p > 0 and cur.start[p - 1] > v.hi and inst.w_late is None:
                break
            tm = schedule(inst, s, cur.elems[:p] + [v_idx] + cur.elems[p:], fx, lo_of, hi_of)
            if tm is None:
                continue
            c = route_cost(inst, tm) - base_cost
            if best is None or c < best[0]:
                best = (c, tm, tm.start[p])
        return best

    def staff_for(v_idx: int) -> list[int]:
        v = inst.visits[v_idx]
        able = [s.idx for s in inst.staff if inst.can_do(s, v)]
        if not big or len(able) <= candidates:
            return able

        def near(si: int) -> int:
            s = inst.staff[si]
            pts = [s.start] + [inst.visits[e].loc for e in routes[si].elems if e != BREAK]
            return min(inst.t(s.mode, p, v.loc) for p in pts)

        pref = {inst.sid[p] for p in v.preferred if p in inst.sid}
        ranked = sorted(able, key=near)[:candidates]
        return list(dict.fromkeys(ranked + [si for si in able if si in pref]))

    for vi in _order(inst):
        v = inst.visits[vi]
        parent_was_fixed = True
        if v.after is not None:
            pi, gmin, gmax = v.after
            if pi not in assigned:
                unassigned[vi] = f"the visit it must follow ({inst.visits[pi].id}) is unassigned"
                continue
            lo_of[vi] = start_of[pi] + gmin
            hi_of[vi] = start_of[pi] + gmax
            # the earlier visit must not move while this one is placed
            parent_was_fixed = pi in fixed
            fixed[pi] = start_of[pi]
        able = staff_for(vi)
        if len(able) < v.count:
            unassigned[vi] = "no staff member has the competence and skills it needs"
            continue
        pen = inst.w_pref if v.preferred else 0.0
        options: list[tuple[float, int, tuple[float, Timed, int]]] = []
        for si in able:
            b = best_in(si, vi)
            if b is not None:
                c = b[0] + (0.0 if inst.staff[si].id in v.preferred else pen)
                options.append((c, si, b))
        options.sort(key=lambda o: o[0])
        chosen: list[tuple[int, Timed]] = []
        if v.count == 1 and options:
            chosen = [(options[0][1], options[0][2][1])]
            start = options[0][2][2]
        elif v.count == 2 and len(options) >= 2:
            top = options[:8]
            best_pair: tuple[float, list[tuple[int, Timed]], int] | None = None
            for i in range(len(top)):
                for j in range(i + 1, len(top)):
                    (_, sa, ba), (_, sb, bb) = top[i], top[j]
                    t_sync = max(ba[2], bb[2])
                    ra = best_in(sa, vi, {vi: t_sync})
                    rb = best_in(sb, vi, {vi: t_sync})
                    if ra is None or rb is None:
                        continue
                    ids = {inst.staff[sa].id, inst.staff[sb].id}
                    c = ra[0] + rb[0] + (0.0 if ids & set(v.preferred) else pen)
                    if best_pair is None or c < best_pair[0]:
                        best_pair = (c, [(sa, ra[1]), (sb, rb[1])], t_sync)
            if best_pair is not None:
                chosen, start = best_pair[1], best_pair[2]
                fixed[vi] = start
        if not chosen:
            unassigned[vi] = f"no qualified staff member has room for it in {hms(v.lo)}-{hms(v.hi)}"
            lo_of.pop(vi, None)
            hi_of.pop(vi, None)
            if v.after is not None and not parent_was_fixed:
                del fixed[v.after[0]]
            continue
        for si, tm in chosen:
            routes[si] = tm
        assigned[vi] = [si for si, _ in chosen]
        start_of[vi] = start
        # starts of visits already in the changed routes may have moved: refresh
        for _si, tm in chosen:
            for e, st in zip(tm.elems, tm.start, strict=True):
                if e != BREAK:
                    start_of[e] = st
    return plan_dict(inst, list(routes.values()), unassigned)


def main() -> None:
    import json
    import sys

    with open(sys.argv[1]) as f:
        raw = json.load(f)
    t = time.time()
    plan = solve_greedy(raw)
    print(json.dumps(plan["cost"]), f"{time.time() - t:.1f}s", file=sys.stderr)
    print(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
