"""Stored plans: built from the database in the spec format, planned by the
engine, stored whole or not at all; every failure path leaves the current
plan as it was with a Norwegian message."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tillit.core.planner import check_plan, load_instance
from tillit.planning import runner, services
from tillit.planning.instance import build_instance
from tillit.planning.models import (
    Absence,
    Assignment,
    Plan,
    RosterEntry,
    ShiftKind,
    TeamBase,
    Visit,
)
from tillit.planning.tests.conftest import roster

LIMIT = 2.0


def plan_day(world, **kwargs) -> Plan:
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    plan = services.do_queue_plan(world.team, world.day, ShiftKind.DAY, time_limit=LIMIT,
                                  enqueue=False, **kwargs)
    return runner.run_plan(plan.pk)


def test_instance_is_in_the_spec_format(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    data = build_instance(world.team, world.day, ShiftKind.DAY)
    instance = load_instance(data)
    assert data["format"] == "tillit.planning-instance/1"
    assert len(instance.staff) == 5
    visits = Visit.objects.filter(team=world.team, date=world.day)
    assert {v["id"] for v in data["visits"]} == {str(v.pk) for v in visits}
    staff = data["staff"][0]
    assert staff["shift"] == ["07:30", "15:00"]
    assert staff["break"] == {"window": ["11:00", "12:30"], "minutes": 30}
    assert staff["start"] == staff["end"]
    by_client = {v["client"]: v for v in data["visits"] if v["window"][0] == "07:30"}
    first = by_client[str(world.clients[0].pk)]
    assert first["preferred_staff"][0] == str(world.carers[0].pk)
    assert first["skills"] == ["insulin"]


def test_base_point_is_the_team_base_or_the_clients_centroid(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    data = build_instance(world.team, world.day, ShiftKind.DAY)
    lat = sum(c.latitude for c in world.clients) / len(world.clients)
    assert data["staff"][0]["start"]["lat"] == pytest.approx(lat, abs=1e-5)
    TeamBase.objects.create(team=world.team, latitude=59.93, longitude=10.75)
    data = build_instance(world.team, world.day, ShiftKind.DAY)
    assert data["staff"][0]["start"] == {"lat": 59.93, "lon": 10.75}


def test_absent_and_part_time_staff(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    Absence.objects.create(employee=world.carers[1], kind="holiday", first_day=world.day,
                           last_day=world.day)
    Absence.objects.create(employee=world.carers[2], kind="sick", first_day=world.day,
                           last_day=world.day, from_time=dt.time(11, 0))
    data = build_instance(world.team, world.day, ShiftKind.DAY)
    ids = {s["id"]: s for s in data["staff"]}
    assert str(world.carers[1].pk) not in ids
    assert ids[str(world.carers[2].pk)]["shift"] == ["07:30", "11:00"]
    assert "break" not in ids[str(world.carers[2].pk)]


def test_stored_plan_passes_the_checker(world):
    plan = plan_day(world)
    assert plan.status == Plan.Status.DONE, plan.error
    assert plan.is_current and plan.cost == plan.plan["cost"]["total"]
    report = check_plan(load_instance(plan.instance), plan.plan)
    assert report.ok, report.violations
    assigned = sum(1 for r in plan.plan["routes"] for s in r["stops"] if "visit" in s)
    assert Assignment.objects.filter(plan=plan).count() == assigned > 0
    assert plan.progress.get("phase") == "done"


def test_new_plan_replaces_the_old_whole(world):
    first = plan_day(world)
    second = plan_day(world)
    first.refresh_from_db()
    assert second.is_current and not first.is_current
    assert second.replaces == first
    assert Plan.objects.filter(team=world.team, is_current=True).count() == 1
    assert Assignment.objects.filter(plan=first).exists()  # the old plan stays readable


def test_no_staff_fails_and_changes_nothing(world):
    first = plan_day(world)
    for carer in world.carers:
        Absence.objects.create(employee=carer, kind="course", first_day=world.day,
                               last_day=world.day)
    failed = plan_day(world)
    assert failed.status == Plan.Status.FAILED
    assert "Ingen ansatte" in failed.error
    first.refresh_from_db()
    assert first.is_current and not failed.is_current


def test_infeasible_mandatory_visit_fails(world):
    first = plan_day(world)
    visit = Visit.objects.filter(team=world.team, date=world.day).first()
    visit.mandatory = True
    visit.competence = "nurse"
    visit.minutes = 400  # longer than any shift
    visit.manual = True
    visit.save()
    failed = plan_day(world)
    assert failed.status == Plan.Status.FAILED
    assert "obligatoriske besøket" in failed.error
    first.refresh_from_db()
    assert first.is_current


def test_engine_time_out_fails(world, monkeypatch):
    first = plan_day(world)

    def slow(instance, time_limit, seed=0, on_progress=None, stop=None):
        while not stop.is_set():
            time.sleep(0.05)
        raise RuntimeError("stopped")

    monkeypatch.setattr(runner, "solve", slow)
    monkeypatch.setattr(runner, "TIMEOUT_GRACE", 0.2)
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    plan = services.do_queue_plan(world.team, world.day, ShiftKind.DAY, time_limit=1.0,
                                  enqueue=False)
    failed = runner.run_plan(plan.pk)
    assert failed.status == Plan.Status.FAILED
    assert "tidsgrensen" in failed.error
    first.refresh_from_db()
    assert first.is_current


def test_invalid_input_fails(world, monkeypatch):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    visit = Visit.objects.filter(team=world.team, date=world.day, after__isnull=False).first()
    # an `after` cycle cannot come from a decision, but the input is checked all the same
    target = visit.after
    target.after, target.after_min_minutes, target.after_max_minutes = visit, 0, 10
    target.manual = True
    target.save()
    plan = services.do_queue_plan(world.team, world.day, ShiftKind.DAY, time_limit=LIMIT,
                                  enqueue=False)
    failed = runner.run_plan(plan.pk)
    assert failed.status == Plan.Status.FAILED
    assert "Ugyldig planleggingsgrunnlag" in failed.error


def test_visits_needing_a_skill_nobody_on_shift_has_are_left_out(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    visit = Visit.objects.filter(team=world.team, date=world.day).last()
    visit.skills = ["stoma"]
    visit.manual = True
    visit.save()
    plan = plan_day(world)
    assert plan.status == Plan.Status.DONE
    assert {"visit": str(visit.pk), "reason": "Ingen på vakten har stoma."} in \
        plan.stats["left_out"]


def test_locked_visit_goes_to_its_carer(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    visit = Visit.objects.get(client=world.clients[4])
    visit.locked_to = world.carers[3]
    visit.save()
    plan = plan_day(world)
    assert plan.status == Plan.Status.DONE
    assert plan.stats["locked"] == [str(visit.pk)]
    assert list(Assignment.objects.filter(plan=plan, visit=visit)
                .values_list("employee_id", flat=True)) == [world.carers[3].pk]


def test_evening_shift_uses_its_own_times(world):
    for carer in world.carers[:2]:
        roster(carer, world.team, world.day, ShiftKind.EVENING, dt.time(15, 0), dt.time(22, 30))
    data = build_instance(world.team, world.day, ShiftKind.EVENING)
    assert data["staff"][0]["shift"] == ["15:00", "22:30"]
    assert data["staff"][0]["break"]["window"] == ["18:00", "19:30"]


def test_unexpected_engine_error_marks_the_run_failed(world, monkeypatch):
    first = plan_day(world)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "solve", broken)
    plan = services.do_queue_plan(world.team, world.day, ShiftKind.DAY, time_limit=LIMIT,
                                  enqueue=False)
    with pytest.raises(RuntimeError):
        runner.run_plan(plan.pk)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.FAILED and "feil i systemet" in plan.error
    first.refresh_from_db()
    assert first.is_current


def test_big_demo_cities_queue_most_plans_for_the_worker(world, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    from tillit.organisation.models import Team
    from tillit.planning import demo_data

    second = Team.objects.create(district=world.team.district, unit=world.team.unit,
                                 name="Sone 2 Sagene")
    monkeypatch.setattr(demo_data, "SYNC_PLANS_UP_TO", 0)
    RosterEntry.objects.all().delete()  # the demo makes its own rosters
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demo_data.build(seed=1, today=world.day)
    first = Plan.objects.filter(team=world.team)
    assert first.count() == 4 and all(p.status == Plan.Status.DONE for p in first)
    queued = Plan.objects.filter(team=second)
    assert queued.count() == 4 and all(p.status == Plan.Status.QUEUED for p in queued)
    assert len(callbacks) == 4
