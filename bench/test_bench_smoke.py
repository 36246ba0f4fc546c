"""Smoke tests: the bench adapters parse their data and give checker-valid plans.

Not timing tests (those are the scripts); a few seconds in all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench import mankowska, solomon  # noqa: E402
from bench.baselines.greedy import solve_greedy  # noqa: E402
from bench.baselines.plain_ortools import solve_ortools  # noqa: E402
from bench.common import bench_check, check, engine, engine_solve, load  # noqa: E402
from bench.generator import generate_instance  # noqa: E402

MK_FILE = mankowska.DATA / "instances" / "InstanzCPLEX_HCSRP_10_1.txt"


def _valid(raw: dict, plan: dict) -> None:
    v = check(raw, plan)
    assert v.feasible, v.violations[:5]
    assert v.cost_matches
    own = bench_check(load(raw), plan)
    assert own.feasible == v.feasible, own.violations[:5]


def test_generator_instance_with_baselines() -> None:
    raw = generate_instance(20, seed=1)
    _valid(raw, solve_greedy(raw))
    _valid(raw, solve_ortools(raw, 1.0))


def test_mankowska_adapter() -> None:
    m = mankowska.parse(MK_FILE)
    assert m["n"] == 12 and m["nv"] == 3 and m["ds"] == [8, 9, 10]
    raw = mankowska.to_instance(m)
    assert len(raw["visits"]) == sum(map(sum, m["r"][1:-1]))
    assert sum("after" in v for v in raw["visits"]) == 3
    plan = solve_greedy(raw)
    _valid(raw, plan)
    ev = mankowska.evaluate(m, plan)
    assert set(ev) >= {"objective", "distance", "total_tardiness", "max_tardiness", "routes"}
    assert ev["objective"] == pytest.approx(
        (ev["distance"] + ev["total_tardiness"] + ev["max_tardiness"]) / 3, abs=1e-3
    )
    assert len(ev["routes"]) == m["nv"]
    for stops in ev["routes"]:
        assert all(0 < st["node"] < m["n"] - 1 for st in stops)
        assert [st["start"] for st in stops] == sorted(st["start"] for st in stops)


def test_solomon_adapter() -> None:
    vrp = solomon.parse_vrp(solomon.DATA / "C101.vrp")
    assert len(vrp["coords"]) == 101 and vrp["capacity"] == 200
    raw = solomon.to_instance(vrp)
    assert solomon.unit_seconds(vrp) == 10 and raw["visits"][0]["minutes"] == 15
    plan = solve_greedy(raw)
    _valid(raw, plan)
    ev = solomon.evaluate(vrp, plan)
    assert ev["distance"] >= 827.3 - 1e-6 or not ev["capacity_ok"]
    r101 = solomon.to_instance(solomon.parse_vrp(solomon.DATA / "R101.vrp"))
    assert r101["visits"][0]["minutes"] == 10


def test_engine_on_each_adapter_when_present() -> None:
    if engine() is None:
        pytest.skip("engine solve() not there yet")
    for raw in (
        generate_instance(20, seed=1),
        mankowska.to_instance(mankowska.parse(MK_FILE)),
        solomon.to_instance(solomon.parse_vrp(solomon.DATA / "C101.vrp")),
    ):
        _valid(raw, engine_solve(raw, 0.5))


def test_cpu_run_on_the_cpu_clock(capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import time

    from bench import cpu_run

    wall = time.monotonic
    assert cpu_run.main([str(MK_FILE), "--engine-seeds", "0", "--cpu", "0.5",
                         "--variant", "one:late_start_hard_first_above=0"]) == 0
    assert time.monotonic is wall  # (the wall clock is back for everything after it)
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert [(x["variant"], x["check"]) for x in lines] == [("base", "ok"), ("one", "ok")]
    assert all(x["objective"] > 0 and x["moves"] > 0 for x in lines)
