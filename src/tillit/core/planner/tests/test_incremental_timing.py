"""The incremental coupled timing (`timing.time_plan_warm`, `timing._pass_from`) against
the timing it replaces, where no carer has a break: after random insertions (one-carer,
`after` and two-person visits) it gives field for field what `time_plan` started from
the bounds before the change gives (the same bounds, routes and totals), and the
starts of `time_plan` from scratch."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.hhcrsp_generator import file_name, generate
from bench.mankowska import parse_text, to_instance
from tillit.core.planner import timing
from tillit.core.planner.problem import Problem
from tillit.core.planner.routes import Routes
from tillit.core.planner.tests.test_lns import (
    HARD,
    PROPERTY,
    SOFT,
    _generated,
    _partial_greedy,
    _problem,
    coupled_instances,
)
from tillit.core.planner.tests.test_warm_timing import _without_breaks
from tillit.core.planner.timing import Timing, time_plan, time_plan_warm, with_totals

FEW = settings(PROPERTY, max_examples=15)


def _fresh_totals(problem: Problem, tm: Timing) -> tuple[int, int]:
    fresh = Timing(tm.routes, lb=tm.lb)
    with_totals(problem, fresh)
    assert fresh.late is not None and fresh.overtime is not None
    return fresh.late, fresh.overtime


def _changes(problem: Problem, routes: Routes, rng: random.Random,
             limit: int) -> list[dict[str, list[str]]]:
    """Random insertions of unassigned visits: one route, or two for a two-person visit
    (an `after` visit only where its target is planned)."""
    assigned = routes.assigned()
    out: list[dict[str, list[str]]] = []
    todo = [v for v in problem.visits if v not in assigned]
    rng.shuffle(todo)
    for vid in todo:
        v = problem.visits[vid]
        if v.after is not None and v.after.visit not in assigned:
            continue
        allowed = list(problem.allowed[vid])
        if len(allowed) < v.staff_count:
            continue
        for _ in range(3):
            change = {}
            for sid in rng.sample(allowed, v.staff_count):
                seq = routes.seqs[sid]
                pos = rng.randint(0, len(seq))
                change[sid] = seq[:pos] + [vid] + seq[pos:]
            out.append(change)
        if len(out) >= limit:
            break
    return out


def _check(problem: Problem, routes: Routes, rng: random.Random, limit: int = 40) -> int:
    """Each change timed both ways; returns how many were compared with a timing that
    succeeded and moved some other route."""
    compared = 0
    for change in _changes(problem, routes, rng, limit):
        old = {s: routes.seqs[s] for s in change}
        grown = routes._grown_component(change)  # (from the groups known before)
        routes.seqs.update(change)
        try:
            comp = routes.component(change)
            assert grown == comp == routes._component(list(change)), change
            seqs = {s: routes.seqs[s] for s in comp if routes.seqs[s]}
            before = {s: old.get(s, routes.seqs[s]) for s in comp}
            base = time_plan(problem, {s: q for s, q in before.items() if q})
            if base.fail is not None:
                continue
            with_totals(problem, base)
            want = time_plan(problem, seqs, lb0=base.lb)
            got = time_plan_warm(problem, seqs, routes.seqs.tie_pos, routes.seqs.tie_at, base,
                                 frozenset(change))
            assert (got.fail is None) == (want.fail is None), change
            if want.fail is not None:
                continue
            assert got.lb == want.lb, change
            assert got.routes == want.routes, change  # every field of every route
            assert (got.late, got.overtime) == _fresh_totals(problem, want), change
            cold = time_plan(problem, seqs)
            assert cold.fail is None and cold.starts() == got.starts(), change
            moved = [s for s in comp if s not in change and s in base.routes
                     and got.routes[s].start != base.routes[s].start]
            compared += bool(moved)
        finally:
            routes.seqs.update(old)
    return compared


@FEW
@given(coupled_instances(), st.integers(0, 10**6))
def test_warm_timing_is_time_plan(data: dict, seed: int) -> None:
    """Small random days: a two-person visit may be an `after` target, gaps narrow."""
    problem = _problem(_without_breaks(data))
    rng = random.Random(seed)
    _check(problem, _partial_greedy(problem, rng), rng)


def test_warm_timing_is_time_plan_on_generated_days() -> None:
    compared = 0
    for objective in (HARD, SOFT):
        for seed in (1, 2):
            data = _without_breaks(_generated(60, seed, objective, two_person_share=0.2))
            problem = _problem(data)
            rng = random.Random(seed)
            compared += _check(problem, _partial_greedy(problem, rng, (2, 3)), rng)
    assert compared > 10  # the change really reached other routes


def test_warm_timing_is_time_plan_on_hhcrsp_days() -> None:
    """HHCRSP days: nearly every visit is linked (double services, with or without a
    gap), lateness allowed and most of the day one group of linked routes."""
    compared = 0
    for seed in (1, 2):
        m = parse_text(generate(40, seed), file_name(40, seed))
        problem = _problem(to_instance(m))
        rng = random.Random(seed)
        compared += _check(problem, _partial_greedy(problem, rng, (3, 4)), rng, 100)
    assert compared > 10


def test_pass_from_is_the_full_pass() -> None:
    """`_pass_from` (the route timed again from a raised bound on) gives `_pass` field
    for field, with hard windows (failures) and with lateness allowed."""
    checked = 0
    for objective in (HARD, SOFT):
        data = _without_breaks(_generated(60, 3, objective, two_person_share=0.2))
        problem = _problem(data)
        rng = random.Random(3)
        routes = _partial_greedy(problem, rng, (3, 4))
        obj = problem.instance.objective
        ot_ok, late_ok = obj.overtime_minute is not None, obj.late_minute is not None
        for sid, seq in routes.seqs.items():
            staff = problem.staff[sid]
            if len(seq) < 2:
                continue
            for _ in range(20):
                lb = {v: rng.choice([0, problem.visits[v].window[0] + rng.randint(0, 3600)])
                      for v in seq if rng.random() < 0.3}
                prev = timing._pass(problem, staff, seq, lb, -1, ot_ok, late_ok)
                if prev.fail is not None:
                    continue
                k = rng.randint(1, len(seq) - 1)
                last = rng.randint(k, len(seq) - 1)
                raised = dict(lb)
                for i in {k, last, rng.randint(k, last)}:
                    v = seq[i]
                    raised[v] = max(raised.get(v, 0), prev.start[i] + rng.choice([0, 60, 1800]))
                want = timing._pass(problem, staff, seq, raised, -1, ot_ok, late_ok)
                got = timing._pass_from(problem, staff, seq, raised, prev, k, last, ot_ok,
                                        late_ok)
                assert got == want, (sid, seq, raised, k, last)
                checked += 1
    assert checked > 100


def _check_indexed(problem: Problem, routes: Routes, rng: random.Random, limit: int) -> int:
    """`time_plan_indexed` against `time_plan` on components after random insertions
    (breaks allowed): the same failure or the same bounds and routes."""
    agreed = 0
    for change in _changes(problem, routes, rng, limit):
        old = {s: routes.seqs[s] for s in change}
        routes.seqs.update(change)
        try:
            comp = routes.component(change)
            seqs = {s: routes.seqs[s] for s in comp if routes.seqs[s]}
            want = time_plan(problem, seqs)
            got = timing.time_plan_indexed(problem, seqs, routes.seqs.tie_pos,
                                           routes.seqs.tie_at)
            assert (got.fail is None) == (want.fail is None), change
            if want.fail is None:
                assert got.lb == want.lb, change
                assert got.routes == want.routes, change
                agreed += bool(want.lb)
        finally:
            routes.seqs.update(old)
    return agreed


@FEW
@given(coupled_instances(), st.integers(0, 10**6))
def test_indexed_timing_is_time_plan(data: dict, seed: int) -> None:
    """With and without breaks (then a later start can move a break and start other
    visits earlier: the rounds are still the same)."""
    problem = _problem(data)
    rng = random.Random(seed)
    _check_indexed(problem, _partial_greedy(problem, rng), rng, 30)


def test_indexed_timing_is_time_plan_on_generated_days_with_breaks() -> None:
    agreed = 0
    for objective in (HARD, SOFT):
        data = _generated(40, 4, objective, two_person_share=0.2)
        problem = _problem(data)
        assert any(s.brk is not None for s in problem.staff.values())
        rng = random.Random(4)
        agreed += _check_indexed(problem, _partial_greedy(problem, rng, (2, 3)), rng, 24)
    assert agreed > 10  # the coupling really bound some starts
