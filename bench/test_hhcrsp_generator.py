"""The seeded HHCRSP generator: files in the published format with the published rules
(no solver runs here; `bench/mankowska.py --generated` runs them)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench import mankowska  # noqa: E402
from bench.baselines.greedy import solve_greedy  # noqa: E402
from bench.common import check  # noqa: E402
from bench.hhcrsp_generator import DOUBLE_SHARE, GROUPS, generate  # noqa: E402
from tillit.core.planner import load_instance  # noqa: E402


def test_generated_file_follows_the_published_rules() -> None:
    text = generate(40, seed=3)
    assert text == generate(40, seed=3)  # seeded
    assert text != generate(40, seed=4)
    m = mankowska.parse_text(text, "gen.txt")
    n, nv, ns = m["n"], m["nv"], m["ns"]
    assert (n, nv, ns) == (42, 6, 6)
    patients = mankowska.patients(m)
    doubles = [i for i in patients if sum(m["r"][i]) == 2]
    assert all(sum(m["r"][i]) in (1, 2) for i in patients)
    assert len(doubles) == round(DOUBLE_SHARE * 40) and m["ds"] == doubles
    assert doubles == patients[-len(doubles):]  # the last patients, as in the files
    synced = [i for i in doubles if m["mind"][i] == m["maxd"][i] == 0]
    gapped = [i for i in doubles if m["mind"][i] > 0 and m["maxd"][i] == 2 * m["mind"][i]]
    assert len(synced) + len(gapped) == len(doubles) and abs(len(synced) - len(gapped)) <= 1
    for row in m["a"]:  # skills of one group only
        held = {s for s in range(ns) if row[s]}
        assert held and any(held <= set(g) for g in GROUPS)
    assert all(sum(row[s] for row in m["a"]) >= 2 for s in range(ns))
    assert all(m["l"][i] - m["e"][i] == 120 and 0 <= m["e"][i] <= 480 for i in patients)
    assert m["d"][0][5] == m["d"][5][0] > 0 and m["d"][0][n - 1] == 0
    times = {m["p"][i][s] for i in patients for s in range(ns) if m["r"][i][s]}
    assert len(times) == 1 and 10 <= times.pop() <= 20


def test_generated_instance_loads_and_plans() -> None:
    m = mankowska.parse_text(generate(20, seed=1), "gen.txt")
    raw = mankowska.to_instance(m)
    load_instance(raw)
    assert len(raw["visits"]) == sum(map(sum, m["r"][1:-1]))
    assert sum("after" in v for v in raw["visits"]) == 6
    plan = solve_greedy(raw)
    verdict = check(raw, plan)
    assert verdict.feasible and verdict.cost_matches, verdict.violations[:3]
    assert mankowska.evaluate(m, plan)["objective"] > 0
