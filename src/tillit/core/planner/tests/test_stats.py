"""The solve's shape: named phases, one result object with typed statistics."""

from __future__ import annotations

import json

from tillit.core.planner import load_instance, solve
from tillit.core.planner.params import RUIN_NAMES, SolverParams
from tillit.core.planner.solver import solve_result
from tillit.core.planner.stats import PHASES
from tillit.core.planner.tests.conftest import example

SOFT = {"travel_minute": 1, "non_preferred_visit": 10, "unassigned_visit": 1000,
        "overtime_minute": 1, "late_minute": 2}


def _soft_tiny() -> dict:
    data = example("tiny.json")
    data["objective"] = SOFT  # lateness allowed: greedy start, then ruin and recreate
    return data


def test_result_carries_typed_stats_of_every_phase() -> None:
    params = SolverParams(max_moves=60)
    result = solve_result(load_instance(_soft_tiny()), 30, seed=1, params=params)
    st = result.stats
    assert [p.name for p in st.phases] == list(PHASES)
    assert st.engine == "lns"
    assert st.iterations == 60  # the move budget, not the clock, ended the search
    assert [o.name for o in st.operators] == list(RUIN_NAMES)
    assert sum(o.tried for o in st.operators) == st.iterations
    assert all(o.improved <= o.accepted <= o.tried for o in st.operators)
    costs = [c for _, c in st.best_trace]
    assert costs == sorted(costs, reverse=True) and len(set(costs)) == len(costs)
    assert result.cost <= st.start_cost and result.cost == st.phases[-1].cost
    assert result.feasible
    # the plan's JSON-able stats keep the keys the app stores
    stored = json.loads(json.dumps(result.plan.stats))
    assert stored["lns"] == [60, st.accepted, st.improved]
    assert stored["greedy_cost"] == st.start_cost and stored["checked"] is True
    assert set(stored["phases"]) == set(PHASES)


def test_a_move_budget_gives_the_same_plan() -> None:
    params = SolverParams(max_moves=40)
    inst = load_instance(_soft_tiny())
    a = solve(inst, 30, seed=2, params=params)
    b = solve(inst, 30, seed=2, params=params)
    assert a.routes == b.routes
    assert a.stats["operators"] == b.stats["operators"]


def test_stop_at_once_runs_start_and_finish_only() -> None:
    import threading

    stop = threading.Event()
    stop.set()
    st = solve_result(load_instance(example("tiny.json")), 5, stop=stop).stats
    assert [p.name for p in st.phases] == ["start", "finish"]
    assert st.iterations == 0 and st.engine == "none"
