"""The start phase with lateness allowed: the windows hard first, then the rest with
lateness allowed (`SolverParams.late_start_hard_first_above`, bench/FINDINGS.md 5e)."""

from __future__ import annotations

import time

from bench.hhcrsp_generator import file_name, generate
from bench.mankowska import parse_text, to_instance
from tillit.core.planner import load_instance
from tillit.core.planner.candidate import Candidate
from tillit.core.planner.greedy import insert_all
from tillit.core.planner.params import SolverParams
from tillit.core.planner.problem import Problem, build_problem
from tillit.core.planner.routes import Routes
from tillit.core.planner.solver import _Run, _start, hard_windows


def _started(problem: Problem, hard_first: bool) -> Candidate:
    t0 = time.monotonic()
    inst = problem.instance
    run = _Run(problem=problem, params=SolverParams(late_start_hard_first_above=0 if hard_first else 10**6), seed=0,
               time_limit=1e6, t0=t0, deadline=t0 + 1e6, stop=None, on_progress=None,
               visit_ids=[v.id for v in inst.visits], staff_ids=[s.id for s in inst.staff])
    return _start(run)


def test_the_hard_first_start_keeps_what_fits_in_time_and_places_the_rest_late() -> None:
    for seed in (1, 2):
        # a generated HHCRSP day (lateness allowed, two-person visits, `after` gaps)
        m = parse_text(generate(30, seed), file_name(30, seed))
        problem = build_problem(load_instance(to_instance(m)))
        hard = hard_windows(problem)
        assert hard.instance.objective.late_minute is None and hard.weights.late == 0
        assert hard.timing_memo is not problem.timing_memo  # (timings differ without lateness)
        assert hard.table is problem.table
        # what the first pass places on its own: nothing late
        first = Routes(hard)
        left = insert_all(hard, first, list(problem.visits))
        assert left, "the day should hold visits that do not fit in time"
        got = _started(problem, True)
        # the second pass only inserts: the first pass's routes are there in their order
        for sid, seq in first.seqs.items():
            placed = set(seq)
            assert [v for v in got.seqs[sid] if v in placed] == seq
        # and every visit is planned, lateness allowed, as the one-pass start does
        one_pass = _started(problem, False)
        assert got.unassigned == one_pass.unassigned == 0
        assert got.timing.fail is None
