"""The checker agrees with the independent verdicts and catches each broken rule."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from tillit.core.planner import check_plan, load_instance
from tillit.core.planner.tests.conftest import example


@pytest.mark.parametrize("name", ["tiny", "features"])
def test_agrees_with_independent_checker(name: str) -> None:
    inst = load_instance(example(f"{name}.json"))
    verdict = example(f"{name}.cost.json")
    report = check_plan(inst, example(f"{name}.plan.json"))
    assert report.feasible is verdict["feasible"]
    assert report.violations == []
    assert report.cost_matches is verdict["cost_matches"]
    for key, value in verdict["cost"].items():
        assert report.cost[key] == pytest.approx(value, abs=1e-4), key


def _route(plan: dict, sid: str) -> dict:
    return next(r for r in plan["routes"] if r["staff"] == sid)


def _stop(plan: dict, sid: str, vid: str) -> dict:
    return next(s for s in _route(plan, sid)["stops"] if s.get("visit") == vid)


def _brk(plan: dict, sid: str) -> dict:
    return next(s for s in _route(plan, sid)["stops"] if s.get("break"))


def _set(stop: dict, **times: str) -> None:
    stop.update(times)


# Each mutation of tiny.plan.json breaks one rule; the message must say which item.
def _competence(p: dict) -> None:  # v2 needs a nurse: give it to e2 (health worker)
    v2 = _stop(p, "e1", "v2")
    _route(p, "e1")["stops"].remove(v2)
    _route(p, "e2")["stops"].insert(2, dict(v2))


def _window_hard(p: dict) -> None:
    _set(_stop(p, "e1", "v6"), start="14:10:00", end="14:40:00")


def _before_window(p: dict) -> None:
    _set(_stop(p, "e1", "v6"), start="09:00:00", end="09:30:00")


def _duration(p: dict) -> None:
    _set(_stop(p, "e3", "v7"), end="10:10:00")


def _arrive_too_early(p: dict) -> None:
    _set(_stop(p, "e3", "v4"), arrive="10:20:01", start="10:23:05")


def _start_before_arrive(p: dict) -> None:
    _set(_stop(p, "e3", "v4"), arrive="10:30:00")


def _leave_before_shift(p: dict) -> None:
    _route(p, "e2")["leave"] = "07:00:00"


def _back_after_shift(p: dict) -> None:
    _route(p, "e3")["back"] = "15:30:00"


def _no_break(p: dict) -> None:
    _route(p, "e3")["stops"].remove(_brk(p, "e3"))


def _two_breaks(p: dict) -> None:
    _route(p, "e3")["stops"].insert(0, {"break": True, "start": "09:00:00", "end": "09:30:00"})


def _break_outside_window(p: dict) -> None:
    _set(_brk(p, "e3"), start="12:40:00", end="13:10:00")


def _break_too_short(p: dict) -> None:
    _set(_brk(p, "e3"), end="11:20:00")


def _break_around_trip(p: dict) -> None:
    # e3: v4 ends 10:48:05, then break, then back; make the trip overlap the break
    _set(_brk(p, "e3"), start="10:48:05", end="11:18:05")
    _route(p, "e3")["back"] = "11:00:00"


def _break_overlaps_visit(p: dict) -> None:
    _set(_brk(p, "e2"), start="11:00:00", end="12:10:00")


def _two_person_unequal(p: dict) -> None:
    _set(_stop(p, "e2", "v1"), start="07:40:00", end="08:25:00")


def _two_person_one_route(p: dict) -> None:
    _route(p, "e2")["stops"].remove(_stop(p, "e2", "v1"))


def _missing_visit(p: dict) -> None:
    _route(p, "e3")["stops"].remove(_stop(p, "e3", "v7"))


def _visit_twice(p: dict) -> None:
    p["unassigned"].append({"visit": "v7", "reason": "test"})


def _mandatory_unassigned(p: dict) -> None:
    _route(p, "e1")["stops"].remove(_stop(p, "e1", "v2"))
    p["unassigned"].append({"visit": "v2", "reason": "test"})


def _unknown_staff(p: dict) -> None:
    _route(p, "e3")["staff"] = "e9"


def _duplicate_route(p: dict) -> None:
    p["routes"].append(copy.deepcopy(_route(p, "e3")))


def _wrong_instance(p: dict) -> None:
    p["instance"] = "another-day"


BROKEN: list[tuple[str, Callable[[dict], None], str]] = [
    ("competence", _competence, "v2"),
    ("hard window", _window_hard, "v6"),
    ("before window", _before_window, "v6"),
    ("duration", _duration, "v7"),
    ("arrive too early", _arrive_too_early, "v4"),
    ("start before arrive", _start_before_arrive, "v4"),
    ("leave before shift", _leave_before_shift, "e2"),
    ("back after shift", _back_after_shift, "e3"),
    ("no break", _no_break, "e3"),
    ("two breaks", _two_breaks, "e3"),
    ("break outside window", _break_outside_window, "e3"),
    ("break too short", _break_too_short, "e3"),
    ("break around a trip", _break_around_trip, "e3"),
    ("break overlaps visit", _break_overlaps_visit, "v8"),
    ("two-person unequal start", _two_person_unequal, "v1"),
    ("two-person in one route", _two_person_one_route, "v1"),
    ("visit missing", _missing_visit, "v7"),
    ("visit twice", _visit_twice, "v7"),
    ("mandatory unassigned", _mandatory_unassigned, "v2"),
    ("unknown staff", _unknown_staff, "e9"),
    ("two routes for one staff", _duplicate_route, "e3"),
    ("wrong instance", _wrong_instance, "another-day"),
]


@pytest.mark.parametrize(("label", "mutate", "item"), BROKEN, ids=[b[0] for b in BROKEN])
def test_catches_broken_tiny_plan(label: str, mutate: Callable[[dict], None], item: str) -> None:
    inst = load_instance(example("tiny.json"))
    plan = example("tiny.plan.json")
    mutate(plan)
    report = check_plan(inst, plan)
    assert not report.feasible, label
    assert any(item in v for v in report.violations), report.violations
    assert [d.message for d in report.details] == report.violations
    if item.startswith("v"):  # the broken rule names the visit in its structure too
        assert any(item in d.visits for d in report.details), report.details
    elif item.startswith("e"):
        assert any(d.staff == item for d in report.details), report.details


def _skills(p: dict) -> None:  # v9 needs insulin; e4 has none
    v9 = _stop(p, "e1", "v9")
    _route(p, "e1")["stops"].remove(v9)
    _route(p, "e4")["stops"].insert(0, {"visit": "v9", "arrive": "07:45:00",
                                        "start": "07:45:00", "end": "08:00:00"})


def _after_gap(p: dict) -> None:  # v10 must start 180-300 min after v9 (08:40:14)
    _set(_stop(p, "e3", "v10"), start="13:48:05", end="14:08:05")


def _after_target_unassigned(p: dict) -> None:
    _route(p, "e1")["stops"].remove(_stop(p, "e1", "v9"))
    p["unassigned"].append({"visit": "v9", "reason": "test"})


FEATURES_BROKEN = [
    ("skills", _skills, "v9"),
    ("after gap", _after_gap, "v10"),
    ("after target unassigned", _after_target_unassigned, "v10"),
]


@pytest.mark.parametrize(("label", "mutate", "item"), FEATURES_BROKEN,
                         ids=[b[0] for b in FEATURES_BROKEN])
def test_catches_broken_features_plan(label: str, mutate: Callable[[dict], None],
                                      item: str) -> None:
    inst = load_instance(example("features.json"))
    plan = example("features.plan.json")
    mutate(plan)
    report = check_plan(inst, plan)
    assert not report.feasible, label
    assert any(item in v for v in report.violations), report.violations
    assert any(item in d.visits for d in report.details), report.details


def test_soft_window_counts_late_minutes() -> None:
    inst = load_instance(example("features.json"))
    plan = example("features.plan.json")
    _set(_stop(plan, "e3", "v10"), start="13:48:05", end="14:08:05")  # still in window
    _set(_stop(plan, "e1", "v12"), start="08:31:00", end="08:51:00")  # 1 min late
    report = check_plan(inst, plan)
    assert report.cost["late_minutes"] == pytest.approx(1.0)


def test_cost_mismatch_detected() -> None:
    inst = load_instance(example("tiny.json"))
    plan = example("tiny.plan.json")
    plan["cost"]["travel_minutes"] = 44.2
    report = check_plan(inst, plan)
    assert report.feasible and not report.cost_matches
    plan = example("tiny.plan.json")
    plan["cost"]["non_preferred"] = 1
    assert not check_plan(inst, plan).cost_matches


def test_unassigned_two_person_counts_once() -> None:
    inst = load_instance(example("tiny.json"))
    plan = example("tiny.plan.json")
    for sid in ("e1", "e2"):
        _route(plan, sid)["stops"].remove(_stop(plan, sid, "v1"))
    plan["unassigned"].append({"visit": "v1", "reason": "no two carers free"})
    report = check_plan(inst, plan)
    assert report.cost["unassigned"] == 1
    assert not any("v1" in v for v in report.violations)


def test_non_preferred_counted() -> None:
    inst = load_instance(example("features.json"))
    report = check_plan(inst, example("features.plan.json"))
    assert report.cost["non_preferred"] == 3


def test_malformed_plan_is_reported() -> None:
    inst = load_instance(example("tiny.json"))
    report = check_plan(inst, {"format": "tillit.plan/1"})
    assert not report.feasible
    assert any("schema" in v for v in report.violations)
