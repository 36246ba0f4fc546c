"""Loader: schema then meaning; every bad input names the offending item (CLI exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tillit.core.planner import InstanceError, load_instance
from tillit.core.planner.cli import plan_command


def _staff(d: dict, sid: str) -> dict:
    return next(s for s in d["staff"] if s["id"] == sid)


def _visit(d: dict, vid: str) -> dict:
    return next(v for v in d["visits"] if v["id"] == vid)


def _dup_visit(d: dict) -> None:
    d["visits"].append(dict(_visit(d, "v3")))


def _dup_staff(d: dict) -> None:
    d["staff"].append(dict(_staff(d, "e2")))


def _window_backwards(d: dict) -> None:
    _visit(d, "v4")["window"] = ["13:00", "09:00"]


def _break_too_long(d: dict) -> None:
    s = _staff(d, "e3")
    s["shift"] = ["10:00", "10:20"]
    s["break"] = {"window": ["10:00", "10:10"], "minutes": 30}


def _two_person_one_carer(d: dict) -> None:
    v = _visit(d, "v2")  # nurse: only e1 qualifies
    v["staff_count"] = 2


def _after_self(d: dict) -> None:
    _visit(d, "v5")["after"] = {"visit": "v5", "min_minutes": 10, "max_minutes": 20}


def _after_cycle(d: dict) -> None:
    _visit(d, "v5")["after"] = {"visit": "v1", "min_minutes": 10, "max_minutes": 200}
    _visit(d, "v1")["after"] = {"visit": "v5", "min_minutes": 10, "max_minutes": 200}


def _unknown_competence(d: dict) -> None:
    _visit(d, "v6")["competence"] = "surgeon"


def _unknown_skill(d: dict) -> None:
    _visit(d, "v7")["skills"] = ["teleportation"]


def _window_outside_shifts(d: dict) -> None:
    _visit(d, "v8")["window"] = ["19:00", "20:00"]


def _unknown_preferred(d: dict) -> None:
    _visit(d, "v3")["preferred_staff"] = ["e99"]


def _unknown_after_target(d: dict) -> None:
    _visit(d, "v8")["after"] = {"visit": "v99", "min_minutes": 0, "max_minutes": 60}


def _matrix_wrong_size(d: dict) -> None:
    pts = []
    for p in [s["start"] for s in d["staff"]] + [v["location"] for v in d["visits"]]:
        if p not in pts:
            pts.append(p)
    n = len(pts)
    d["travel"] = {"kind": "matrix", "points": pts,
                   "seconds": {m: [[0] * n for _ in range(n - 1)] for m in ("walk", "bike", "car")}}


def _matrix_point_missing(d: dict) -> None:
    pts = []
    for p in [s["start"] for s in d["staff"]] + [v["location"] for v in d["visits"]]:
        if p not in pts:
            pts.append(p)
    pts.remove(_visit(d, "v7")["location"])
    n = len(pts)
    d["travel"] = {"kind": "matrix", "points": pts,
                   "seconds": {m: [[0] * n for _ in range(n)] for m in ("walk", "bike", "car")}}


def _schema_bad_time(d: dict) -> None:
    _visit(d, "v4")["window"] = ["9:00", "13:00"]


def _schema_extra_field(d: dict) -> None:
    _visit(d, "v4")["colour"] = "red"


CASES: list[tuple[str, Callable[[dict], None], list[str]]] = [
    ("duplicate visit", _dup_visit, ["duplicate", "v3"]),
    ("duplicate staff", _dup_staff, ["duplicate", "e2"]),
    ("window backwards", _window_backwards, ["v4", "ends before it starts"]),
    ("break too long", _break_too_long, ["e3", "break", "longer"]),
    ("two-person, one carer", _two_person_one_carer, ["v2", "two"]),
    ("after itself", _after_self, ["v5", "itself"]),
    ("after cycle", _after_cycle, ["cycle"]),
    ("unknown competence", _unknown_competence, ["v6", "surgeon"]),
    ("unknown skill", _unknown_skill, ["v7", "teleportation"]),
    ("window outside shifts", _window_outside_shifts, ["v8", "outside every staff shift"]),
    ("unknown preferred staff", _unknown_preferred, ["v3", "e99"]),
    ("unknown after target", _unknown_after_target, ["v8", "v99"]),
    ("matrix wrong size", _matrix_wrong_size, ["matrix", "points"]),
    ("matrix point missing", _matrix_point_missing, ["v7", "matrix points"]),
    ("schema: bad time", _schema_bad_time, ["schema", "v4"]),
    ("schema: unknown field", _schema_extra_field, ["schema", "v4", "colour"]),
]


@pytest.mark.parametrize(("label", "mutate", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_instance_names_the_item(tiny: dict, label: str, mutate: Callable[[dict], None],
                                     words: list[str], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    mutate(tiny)
    with pytest.raises(InstanceError) as info:
        load_instance(tiny)
    for w in words:
        assert w in str(info.value), (label, str(info.value))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tiny), encoding="utf-8")
    assert plan_command([str(path), "--time-limit", "1", "-q"]) == 2
    assert words[-1] in capsys.readouterr().err


def test_malformed_json_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(InstanceError, match="malformed JSON"):
        load_instance(path)
    assert plan_command([str(path)]) == 2
    assert "malformed JSON" in capsys.readouterr().err


def test_examples_load(tiny: dict, features: dict) -> None:
    inst = load_instance(tiny)
    assert inst.name == "tiny-grunerlokka-2026-11-23-day"
    assert inst.visit("v1").staff_count == 2
    assert inst.visit("v1").window == (7 * 3600 + 1800, 9 * 3600 + 1800)
    assert inst.staff_member("e1").brk is not None
    assert load_instance(features).visit("v10").after is not None


def test_seconds_in_times(tiny: dict) -> None:
    tiny["visits"][0]["window"] = ["07:30:15", "09:30:45"]
    assert load_instance(tiny).visits[0].window == (27015, 34245)
