"""time_plan started from the bounds of the routes before an insertion (the warm start
of Routes._warm_base) gives the timing from scratch, when no carer has a break."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tillit.core.planner.problem import Problem
from tillit.core.planner.routes import Routes
from tillit.core.planner.tests.test_lns import (
    HARD,
    PROPERTY,
    SOFT,
    _generated,
    _greedy,
    _insertions,
    _partial_greedy,
    _problem,
    _same_penalty,
    _slow_penalty,
    coupled_instances,
)
from tillit.core.planner.timing import time_plan


def _check_warm(problem: Problem, routes: Routes, rng: random.Random, limit: int = 60) -> int:
    """Insert unassigned visits at random places: the warm timing is the cold one; and
    Routes.penalty, which starts warm, agrees. Returns how many warm starts were made."""
    assert all(s.brk is None for s in problem.staff.values())
    places = [(sid, pos, vid) for sid, pos, vid in _insertions(problem, routes, rng, 10**9)
              if problem.visits[vid].staff_count == 1]
    warm_starts = 0
    for sid, pos, vid in places[:limit]:
        comp = routes.component([sid])
        seqs = {s: routes.seqs[s] for s in comp if routes.seqs[s]}
        before = time_plan(problem, seqs)
        if before.fail is not None:
            continue
        seq = routes.seqs[sid]
        new = {**seqs, sid: seq[:pos] + [vid] + seq[pos:]}
        cold = time_plan(problem, new)
        warm = time_plan(problem, new, lb0=before.lb)
        warm_starts += bool(before.lb)
        assert (cold.fail is None) == (warm.fail is None), (sid, new)
        if cold.fail is None:
            assert warm.starts() == cold.starts(), (sid, new)
        # Routes.penalty, with the routes as they are timed and remembered, starts warm
        routes._comp_timing(comp)
        got = routes.penalty({sid: new[sid]})
        assert _same_penalty(got, _slow_penalty(problem, {**routes.seqs, sid: new[sid]}, sid))
    return warm_starts


def _without_breaks(data: dict) -> dict:
    for s in data["staff"]:
        s.pop("break", None)
    return data


@PROPERTY
@given(coupled_instances(), st.integers(0, 10**6))
def test_warm_start_is_the_cold_timing(data: dict, seed: int) -> None:
    problem = _problem(_without_breaks(data))
    rng = random.Random(seed)
    _check_warm(problem, _partial_greedy(problem, rng), rng)


def test_warm_start_on_generated_days() -> None:
    warm_starts = 0
    for objective in (HARD, SOFT):
        for seed in (1, 2):
            data = _without_breaks(_generated(60, seed, objective, two_person_share=0.15))
            problem = _problem(data)
            rng = random.Random(seed)
            warm_starts += _check_warm(problem, _partial_greedy(problem, rng, (2, 3)), rng)
    assert warm_starts > 20  # the coupling's bounds were really carried over


def test_penalty_starts_warm_only_without_breaks() -> None:
    data = _generated(40, 3, HARD, two_person_share=0.15)
    with_breaks = _problem(data)
    routes = _greedy(with_breaks)
    sid = next(s for s, q in routes.seqs.items() if q)
    assert with_breaks.staff[sid].brk is not None
    comp = routes.component([sid])
    assert routes._warm_base(comp, {sid: routes.seqs[sid]}) is None
    plain = _problem(_without_breaks(data))
    routes = _greedy(plain)
    sid = next(s for s, q in routes.seqs.items() if any(v in plain.coupled_visits for v in q))
    comp = routes.component([sid])
    seq = routes.seqs[sid]
    routes._comp_timing(comp)  # the routes as they are, timed and remembered
    base = routes._warm_base(comp, {sid: seq})
    assert base is not None
    lb = base.lb
    # every carried-over bound holds in the timing from scratch
    starts = time_plan(plain, {s: routes.seqs[s] for s in comp if routes.seqs[s]}).starts()
    assert lb and all(t <= starts[v] for v, t in lb.items())
    # a change that removes a visit gives no warm start
    routes.seqs[sid] = seq[1:]
    try:
        assert routes._warm_base(comp, {sid: seq}) is None
    finally:
        routes.seqs[sid] = seq


def test_lower_bound_covers_coupled_insertions_without_breaks() -> None:
    """Without breaks the insertion scan's lower bound also covers one-carer visits that
    tie routes (`after` visits and their targets), and it never exceeds the penalty."""
    bounded = 0
    for seed in (1, 2, 3):
        data = _without_breaks(_generated(60, seed, SOFT, two_person_share=0.15))
        problem = _problem(data)
        rng = random.Random(seed)
        ids = list(problem.visits)
        rng.shuffle(ids)
        routes = _greedy(problem, ids[: len(ids) * 2 // 3])
        assigned = routes.assigned()
        for vid in ids:
            v = problem.visits[vid]
            if vid in assigned or v.staff_count != 1 or vid not in problem.coupled_visits:
                continue
            if v.after is not None and v.after.visit not in assigned:
                continue
            for sid in problem.allowed[vid][:4]:
                seq = routes.seqs[sid]
                for pos in range(0, len(seq) + 1, 2):
                    new = seq[:pos] + [vid] + seq[pos:]
                    low = routes.penalty_lower_bound({sid: new})
                    got = routes.penalty({sid: new})
                    if low is None or got is None:
                        continue
                    bounded += 1
                    assert low <= got + 1e-6, (sid, new, low, got)
    assert bounded > 50
