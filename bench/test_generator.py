"""The instance generator: valid, deterministic, realistic in the stated ways."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.generator import DISTRICTS, generate_instance

SCHEMA = (Path(__file__).resolve().parent.parent / "src" / "tillit" / "core" / "planner" / "spec"
          / "planning-instance.schema.json")


def _minutes(text: str) -> int:
    h, m = text.split(":")[:2]
    return int(h) * 60 + int(m)


def _validate_schema(inst: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.validate(inst, json.loads(SCHEMA.read_text()))


@pytest.mark.parametrize("n", [20, 120, 400, 2500])
def test_sizes_are_exact_and_valid(n: int) -> None:
    inst = generate_instance(n, seed=1)
    assert len(inst["visits"]) == n
    assert inst["format"] == "tillit.planning-instance/1"
    _validate_schema(inst)
    ids = [v["id"] for v in inst["visits"]]
    assert len(set(ids)) == n
    assert len({s["id"] for s in inst["staff"]}) == len(inst["staff"])


def test_deterministic_and_seed_sensitive() -> None:
    a = generate_instance(120, seed=3, district="sagene")
    b = generate_instance(120, seed=3, district="sagene")
    c = generate_instance(120, seed=4, district="sagene")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert json.dumps(a, sort_keys=True) != json.dumps(c, sort_keys=True)


@pytest.mark.parametrize("district", DISTRICTS)
@pytest.mark.parametrize("shift", ["day", "evening"])
def test_every_district_and_shift(district: str, shift: str) -> None:
    inst = generate_instance(60, seed=2, district=district, shift=shift)
    _validate_schema(inst)
    lo, hi = _minutes(inst["staff"][0]["shift"][0]), _minutes(inst["staff"][0]["shift"][1])
    for v in inst["visits"]:
        a, b = (_minutes(t) for t in v["window"])
        assert lo <= a <= b <= hi - v["minutes"]
        assert 59.7 < v["location"]["lat"] < 60.1 and 10.5 < v["location"]["lon"] < 11.1


def test_structure_is_realistic() -> None:
    inst = generate_instance(2500, seed=1)
    visits = inst["visits"]
    n = len(visits)
    mix = Counter(v["competence"] for v in visits)
    assert 0.4 <= mix["assistant"] / n <= 0.6
    assert 0.2 <= mix["health_worker"] / n <= 0.4
    assert 0.12 <= mix["nurse"] / n <= 0.28
    two = sum(v.get("staff_count", 1) == 2 for v in visits) / n
    assert 0.03 <= two <= 0.05
    assert 0 < sum(bool(v.get("mandatory")) for v in visits) / n <= 0.06
    assert sum(bool(v.get("preferred_staff")) for v in visits) / n >= 0.7
    assert all(10 <= v["minutes"] <= 60 for v in visits)
    widths = [_minutes(v["window"][1]) - _minutes(v["window"][0]) for v in visits]
    assert sum(60 <= w <= 180 for w in widths) / n >= 0.7
    per_client = Counter(v["client"] for v in visits)
    assert sum(per_client.values()) / len(per_client) >= 2
    assert {s["mode"] for s in inst["staff"]} == {"walk", "bike", "car"}
    # direct care time is the requested share of paid time (07:30-15:00 = 450 min)
    care = sum(v["minutes"] * v.get("staff_count", 1) for v in visits)
    assert 0.55 <= care / (450 * len(inst["staff"])) <= 0.62


def test_links_and_qualifications_are_consistent() -> None:
    inst = generate_instance(400, seed=5, district="alna")
    level = {c: i for i, c in enumerate(inst["competences"])}
    staff = {s["id"]: s for s in inst["staff"]}
    by_id = {v["id"]: v for v in inst["visits"]}
    for v in inst["visits"]:
        able = [
            s
            for s in staff.values()
            if level[s["competence"]] >= level[v["competence"]]
            and set(v.get("skills", [])) <= set(s.get("skills", []))
        ]
        assert len(able) >= v.get("staff_count", 1), v["id"]
        for p in v.get("preferred_staff", []):
            assert p in staff
        if "after" in v:
            parent = by_id[v["after"]["visit"]]
            assert parent["client"] == v["client"]
            lo, hi = v["after"]["min_minutes"], v["after"]["max_minutes"]
            # some start pair satisfies both windows and the gap
            pa, pb = (_minutes(t) for t in parent["window"])
            ca, cb = (_minutes(t) for t in v["window"])
            assert max(ca, pa + lo) <= min(cb, pb + hi)
        if v.get("mandatory"):
            assert "after" not in v and v.get("staff_count", 1) == 1


def test_accepted_by_engine_loader_when_present() -> None:
    try:
        from tillit.core.planner import load_instance
    except ImportError:
        pytest.skip("engine not there yet")
    for n in (20, 120):
        load_instance(generate_instance(n, seed=1))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate_instance(10, seed=1, district="atlantis")
    with pytest.raises(ValueError):
        generate_instance(10, seed=1, shift="night")
    with pytest.raises(ValueError):
        generate_instance(0, seed=1)
