"""Hand moves and locks on the board: checked by the core's checker before
saving, the cost change shown, a stale save refused, the stored plan still
passing `check_plan`."""

from __future__ import annotations

import pytest

from tillit.core.planner import check_plan, load_instance
from tillit.planning import board as b
from tillit.planning.models import Assignment, Plan
from tillit.planning.tests.board_setup import PlannedShift, make_planned_shift


@pytest.fixture
def planned(make_client, planlegger_sagene) -> PlannedShift:
    return make_planned_shift(make_client)


def _holder(plan: Plan, visit_id: int) -> list[str]:
    return [r["staff"] for r in plan.plan["routes"]
            if any(s.get("visit") == str(visit_id) for s in r["stops"])]


def _one_person_visit_moveable(shift: PlannedShift):
    """A one-carer visit any carer may take, and a carer who has not got it."""
    for visit in shift.visits:
        if visit.staff_count == 1 and visit.competence == "assistant":
            holders = _holder(shift.plan, visit.pk)
            for carer in shift.carers:
                if [str(carer.pk)] != holders:
                    result = b.evaluate_move(shift.plan, visit, carer)
                    if result.ok:
                        return visit, carer, result
    raise AssertionError("no feasible move in the test shift")


def test_a_valid_move_is_checked_and_costed_before_saving(planned: PlannedShift) -> None:
    visit, carer, result = _one_person_visit_moveable(planned)
    assert result.ok and result.errors == []
    assert result.cost_before == pytest.approx(planned.plan.cost, abs=0.01)
    assert result.delta == pytest.approx(result.cost_after - result.cost_before, abs=0.01)
    planned.plan.refresh_from_db()
    assert _holder(planned.plan, visit.pk) != [str(carer.pk)]  # nothing saved yet


def test_a_saved_move_keeps_a_checkable_plan(planned: PlannedShift, planlegger_sagene) -> None:
    visit, carer, result = _one_person_visit_moveable(planned)
    saved = b.do_move_visit(planned.plan, visit, carer, planned.plan.version, planlegger_sagene)
    saved.refresh_from_db()
    assert saved.version == 2
    assert _holder(saved, visit.pk) == [str(carer.pk)]
    report = check_plan(load_instance(saved.instance), saved.plan)
    assert report.ok, report.violations
    assert saved.cost == pytest.approx(result.cost_after)
    assert Assignment.objects.get(plan=saved, visit=visit).employee == carer
    assert saved.stats["hand_moves"][0]["by"] == "planlegger.sagene"


def test_a_move_needing_competence_is_refused_in_norwegian(planned: PlannedShift,
                                                           planlegger_sagene) -> None:
    insulin = planned.visits[0]
    assistant = planned.carers[2]
    before = (planned.plan.version, planned.plan.plan)
    result = b.evaluate_move(planned.plan, insulin, assistant)
    assert not result.ok
    assert any("mangler kompetansen" in e for e in result.errors), result.errors
    assert any("insulin" in e for e in result.errors)
    with pytest.raises(b.MoveRefused):
        b.do_move_visit(planned.plan, insulin, assistant, planned.plan.version,
                        planlegger_sagene)
    planned.plan.refresh_from_db()
    assert (planned.plan.version, planned.plan.plan) == before


def test_a_move_that_breaks_the_window_and_break_is_refused(planned: PlannedShift,
                                                            planlegger_sagene) -> None:
    """A 400-minute visit starting at 08:00 sharp leaves no room for the break."""
    plan = planned.plan
    long_visit = b.Visit.objects.create(
        team=planned.team, date=planned.date, shift="day", client=planned.clients[5],
        window_start=planned.visits[1].window_start, window_end=planned.visits[1].window_start,
        minutes=400, competence="assistant")
    plan.instance = {**plan.instance, "visits": [*plan.instance["visits"], {
        "id": str(long_visit.pk), "client": str(long_visit.client_id),
        "location": {"lat": long_visit.client.latitude, "lon": long_visit.client.longitude},
        "window": ["08:00", "08:00"], "minutes": 400, "competence": "assistant"}]}
    plan.plan = {**plan.plan, "unassigned": [*plan.plan["unassigned"], {
        "visit": str(long_visit.pk), "reason": "no carer is free"}]}
    plan.save()
    before = plan.plan
    refused = b.evaluate_move(plan, long_visit, planned.carers[2])
    assert not refused.ok
    assert any("rekker ikke besøket" in e for e in refused.errors), refused.errors
    with pytest.raises(b.MoveRefused):
        b.do_move_visit(plan, long_visit, planned.carers[2], plan.version, planlegger_sagene)
    plan.refresh_from_db()
    assert plan.plan == before and plan.version == 1


def test_a_stale_save_is_a_conflict_and_changes_nothing(planned: PlannedShift,
                                                        planlegger_sagene) -> None:
    visit, carer, _result = _one_person_visit_moveable(planned)
    stale = planned.plan.version
    Plan.objects.filter(pk=planned.plan.pk).update(version=stale + 1)  # someone else saved
    with pytest.raises(b.PlanConflict) as caught:
        b.do_move_visit(planned.plan, visit, carer, stale, planlegger_sagene)
    assert "ingenting er endret" in str(caught.value)
    planned.plan.refresh_from_db()
    assert _holder(planned.plan, visit.pk) != [str(carer.pk)]


def test_a_locked_visit_moves_only_when_unlocked(planned: PlannedShift,
                                                 planlegger_sagene) -> None:
    visit, carer, _result = _one_person_visit_moveable(planned)
    holder = planned.plan.assignments.get(visit=visit).employee
    b.do_lock_visit(visit, holder, planlegger_sagene)
    visit.refresh_from_db()
    assert visit.locked_to == holder
    refused = b.evaluate_move(planned.plan, visit, carer)
    assert not refused.ok and "låst" in refused.errors[0]
    b.do_unlock_visit(visit, planlegger_sagene)
    visit.refresh_from_db()
    assert visit.locked_to is None
    assert b.evaluate_move(planned.plan, visit, carer).ok


def test_the_board_shows_columns_load_and_the_unassigned(planned: PlannedShift,
                                                         planlegger_sagene) -> None:
    board = b.build_board(planned.plan, planlegger_sagene)
    assert {c.employee for c in board.columns} == set(planned.carers)
    placed = [s.visit_id for c in board.columns for s in c.stops if not s.is_break]
    unassigned = [u["visit"] for u in planned.plan.plan["unassigned"]]
    two = str(planned.visits[3].pk)
    assert sorted(set(placed) | set(unassigned)) == sorted(str(v.pk) for v in planned.visits)
    assert placed.count(two) in (0, 2)
    for column in board.columns:
        care = sum(s.minutes for s in column.stops if not s.is_break)
        assert column.care_minutes == care
        if column.visit_count:
            assert column.travel_minutes > 0
            assert column.slack_minutes == 450 - care - column.travel_minutes - column.break_minutes


def _place_case(shift: PlannedShift):
    """A one-carer visit, a carer without it, a place on that carer's route
    where it fits and one where it does not."""
    for visit in shift.visits:
        if visit.staff_count != 1 or visit.competence != "assistant":
            continue
        for carer in shift.carers:
            if [str(carer.pk)] == _holder(shift.plan, visit.pk):
                continue
            best = b.evaluate_move(shift.plan, visit, carer)
            route = [s["visit"] for r in shift.plan.plan["routes"] if r["staff"] == str(carer.pk)
                     for s in r["stops"] if "visit" in s and s["visit"] != str(visit.pk)]
            keys = [b.place_key(route, n) for n in range(len(route) + 1)]
            bad = [k for k in keys if k not in best.feasible_places]
            if best.ok and bad:
                return visit, carer, route, best, bad[0]
    raise AssertionError("no visit with both a feasible and an infeasible place")


def test_a_hand_move_goes_where_the_planner_chose_or_not_at_all(
        planned: PlannedShift, planlegger_sagene) -> None:
    visit, carer, route, best, bad = _place_case(planned)
    vid = str(visit.pk)
    # every feasible place is honoured exactly
    for key in best.feasible_places:
        result = b.evaluate_move(planned.plan, visit, carer, place=key)
        assert result.ok and result.place == key
        new_route = [s["visit"] for r in result.plan["routes"] if r["staff"] == str(carer.pk)
                     for s in r["stops"] if "visit" in s]
        at = new_route.index(vid)
        assert (at == 0) if key == b.FIRST_PLACE else new_route[at - 1] == key[len(b.AFTER):]
        assert result.cost_after >= best.cost_after - 0.01
    # a place where it does not fit: a Norwegian reason, the places that do, nothing saved
    refused = b.evaluate_move(planned.plan, visit, carer, place=bad)
    assert not refused.ok and "passer ikke inn der du valgte" in refused.errors[0]
    assert refused.feasible_places == best.feasible_places
    before = (planned.plan.version, planned.plan.plan)
    with pytest.raises(b.MoveRefused):
        b.do_move_visit(planned.plan, visit, carer, planned.plan.version, planlegger_sagene,
                        place=bad)
    unknown = b.evaluate_move(planned.plan, visit, carer, place="after:999999")
    assert not unknown.ok and "ikke lenger på ruta" in unknown.errors[0]
    planned.plan.refresh_from_db()
    assert (planned.plan.version, planned.plan.plan) == before
    # a chosen place is saved as chosen and the plan still checks
    key = best.feasible_places[-1]
    saved = b.do_move_visit(planned.plan, visit, carer, planned.plan.version,
                            planlegger_sagene, place=key)
    saved.refresh_from_db()
    assert check_plan(load_instance(saved.instance), saved.plan).ok
    assert saved.stats["hand_moves"][-1]["place"] == key
