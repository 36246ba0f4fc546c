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


def test_large_day_with_lateness_is_decomposed_only_when_asked() -> None:
    inst = load_instance(_soft_tiny())
    whole = SolverParams(decompose_above=1, max_moves=20)
    assert solve_result(inst, 1, params=whole).stats.engine == "lns"
    parts = solve_result(inst, 1, params=whole.with_changes(decompose_late=True)).stats
    assert parts.engine.startswith("ortools x") and parts.parts
    assert SolverParams.from_strings({"decompose_late": "1"}).decompose_late is True


def test_capped_soft_insertion_keeps_every_visit_and_the_rules() -> None:
    from tillit.core.planner import check_plan, plan_to_dict

    inst = load_instance(_soft_tiny())
    params = SolverParams(max_moves=40, soft_insert_places=1)
    plan = solve(inst, 30, seed=1, params=params)
    report = check_plan(inst, plan_to_dict(plan))
    assert report.ok and not plan.unassigned
