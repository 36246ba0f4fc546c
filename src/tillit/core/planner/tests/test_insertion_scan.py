"""The insertion scan's filter of places (greedy._RouteScan): with a break still to
come, a place is dropped only when no timing of the new route fits (breaks and all).

The slow reference is `_time_route` on the route with the visit inserted, which tries
every break position."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillit.core.planner import greedy as greedy_mod
from tillit.core.planner import timing
from tillit.core.planner.greedy import _RouteScan, insert_all
from tillit.core.planner.problem import Problem
from tillit.core.planner.routes import Routes
from tillit.core.planner.tests.test_lns import (
    HARD,
    PROPERTY,
    SOFT,
    _generated,
    _insertions,
    _partial_greedy,
    _problem,
    coupled_instances,
)


def _check_scan(problem: Problem, routes: Routes, rng: random.Random, limit: int = 400) -> int:
    """Every feasible insertion of an unassigned visit is kept by the scan; returns how
    many places before a break were checked."""
    hard = problem.instance.objective.late_minute is None
    checked = 0
    for sid, pos, vid in _insertions(problem, routes, rng, limit):
        seq = routes.seqs[sid]
        scan = _RouteScan(problem, sid, seq)
        if scan.timing.fail is not None:
            continue
        staff = problem.staff[sid]
        v = problem.visits[vid]
        p = problem.visit_pt[vid]
        into = problem.travel(staff, scan.pts[pos], p)
        out = problem.travel(staff, p, scan.pts[pos + 1])
        est = max(v.window[0], scan.ends[pos] + into)
        kept = scan.keeps(
            pos, est, v.window[0], v.window[1] if hard else timing.INF, v.seconds, into, out
        )
        if pos <= scan.brk_after:
            checked += 1
        if not kept and pos <= scan.brk_after:
            new = seq[:pos] + [vid] + seq[pos:]
            got = timing._time_route(problem, staff, new)
            assert got.fail is not None, ("a feasible place was dropped", sid, new)
    return checked


@PROPERTY
@given(coupled_instances(), st.integers(0, 10**6))
def test_scan_keeps_every_feasible_place(data: dict, seed: int) -> None:
    problem = _problem(data)
    rng = random.Random(seed)
    _check_scan(problem, _partial_greedy(problem, rng), rng)


@pytest.mark.parametrize("objective", [HARD, SOFT], ids=["hard", "soft"])
def test_scan_on_generated_days(objective: dict) -> None:
    checked = 0
    for seed in (1, 2, 3):
        problem = _problem(_generated(60, seed, objective))
        assert any(s.brk is not None for s in problem.staff.values())
        rng = random.Random(seed)
        checked += _check_scan(problem, _partial_greedy(problem, rng, (2, 3)), rng)
    assert checked > 100  # places before a break were really examined


def test_break_filter_changes_no_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    """insert_all with the break filter switched off (every place before a break kept,
    every candidate tried) builds the same routes."""
    for objective in (HARD, SOFT):
        data = _generated(50, 4, objective, two_person_share=0.1)
        fast, slow = Routes(_problem(data)), Routes(_problem(data))
        insert_all(fast.problem, fast, list(fast.problem.visits), tries=10**6)
        with monkeypatch.context() as m:
            m.setattr(
                greedy_mod,
                "break_bounds",
                lambda problem, staff, seq, ends, latest, legs: (
                    [timing.INF] * (len(seq) + 1),
                    [-timing.INF] * (len(seq) + 1),
                ),
            )
            insert_all(slow.problem, slow, list(slow.problem.visits), tries=10**6)
        assert fast.seqs == slow.seqs


def test_break_filter_by_hand() -> None:
    """One carer 08:00-16:00 with a 30-minute break between 11:00 and 11:30, visits at
    one place (no travel): a visit that would run through the whole break window before
    the break is dropped; the same visit is kept when the break can come first."""
    here = {"lat": 59.9265, "lon": 10.776}

    def visit(vid: str, at: str, minutes: int) -> dict:
        return {"id": vid, "client": f"u-{vid}", "location": here, "window": [at, at],
                "minutes": minutes, "competence": "assistant"}

    data = {
        "format": "tillit.planning-instance/1",
        "name": "break-by-hand",
        "date": "2026-11-23",
        "timezone": "Europe/Oslo",
        "competences": ["assistant"],
        "travel": {"kind": "haversine", "detour_factor": 1.3, "speeds_kmh": {"car": 22.0}},
        "objective": {"travel_minute": 1, "non_preferred_visit": 10,
                      "unassigned_visit": 1000, "overtime_minute": None, "late_minute": None},
        "staff": [{"id": "e1", "competence": "assistant", "mode": "car",
                   "shift": ["08:00", "16:00"], "start": here, "end": here,
                   "break": {"window": ["11:00", "11:30"], "minutes": 30}}],
        "visits": [visit("a", "10:00", 30), visit("late", "12:00", 30),
                   visit("long", "10:30", 75), visit("fine", "11:30", 30)],
    }
    problem = _problem(data)
    scan = _RouteScan(problem, "e1", ["a", "late"])
    assert scan.timing.fail is None and scan.brk_after >= 1
    # `long` 10:30-11:45 after `a`: the break can neither come before (10:30 is taken),
    # nor after (it must start by 11:30)
    assert not scan.keeps(1, 10 * 3600 + 1800, 10 * 3600 + 1800, 10 * 3600 + 1800,
                          75 * 60, 0, 0)
    assert timing._time_route(problem, problem.staff["e1"], ["a", "long", "late"]).fail
    # `fine` at 11:30 after `a`: the break 11:00-11:30 comes first
    assert scan.keeps(1, 11 * 3600 + 1800, 11 * 3600 + 1800, 11 * 3600 + 1800, 30 * 60, 0, 0)
    assert timing._time_route(problem, problem.staff["e1"], ["a", "fine", "late"]).fail is None
