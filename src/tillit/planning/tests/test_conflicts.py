"""Two planners at once: the second save of the same plan is a conflict
with a clear message, and nothing is silently overwritten."""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection

from tillit.planning import runner, services
from tillit.planning.errors import PlanConflict
from tillit.planning.models import Plan, ShiftKind
from tillit.planning.tests.test_plans import LIMIT, plan_day


def test_two_replans_of_one_plan_one_wins(world):
    old = plan_day(world)
    first = services.do_replan(old, [], dt.time(10, 0), LIMIT, enqueue=False)
    second = services.do_replan(old, [], dt.time(10, 30), LIMIT, enqueue=False)
    first = runner.run_plan(first.pk)
    second = runner.run_plan(second.pk)
    assert first.status == Plan.Status.DONE and first.is_current
    assert second.status == Plan.Status.FAILED and not second.is_current
    assert "En annen planlegger" in second.error
    assert Plan.objects.filter(team=world.team, is_current=True).get() == first


def test_a_change_after_a_replan_started_wins_and_the_replan_fails(world):
    old = plan_day(world)
    replan = services.do_replan(old, [], dt.time(10, 0), LIMIT, enqueue=False)
    services.do_store_plan_change(old, copy.deepcopy(old.plan), old.version)
    replan = runner.run_plan(replan.pk)
    assert replan.status == Plan.Status.FAILED
    old.refresh_from_db()
    assert old.is_current and old.version == 2


def test_stale_version_save_is_a_conflict(world):
    plan = plan_day(world)
    seen = plan.version
    services.do_store_plan_change(plan, copy.deepcopy(plan.plan), seen)
    with pytest.raises(PlanConflict) as err:
        services.do_store_plan_change(plan, copy.deepcopy(plan.plan), seen)
    assert "En annen planlegger" in err.value.message
    plan.refresh_from_db()
    assert plan.version == seen + 1


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_of_the_same_version(world):
    plan = plan_day(world)
    seen = plan.version
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save() -> None:
        # Both planners loaded the plan at the same version.
        mine = Plan.objects.get(pk=plan.pk)
        barrier.wait()
        try:
            for _attempt in range(200):
                try:
                    services.do_store_plan_change(mine, copy.deepcopy(plan.plan), seen)
                    outcomes.append("saved")
                    return
                except PlanConflict:
                    outcomes.append("conflict")
                    return
                except OperationalError as exc:  # the test database's table lock: wait
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    plan.refresh_from_db()
    assert plan.version == seen + 1


def test_invalid_change_is_refused_and_changes_nothing(world):
    plan = plan_day(world)
    broken = copy.deepcopy(plan.plan)
    broken["cost"]["total"] += 5
    with pytest.raises(services.PlanningError):
        services.do_store_plan_change(plan, broken, plan.version)
    plan.refresh_from_db()
    assert plan.version == 1
    assert plan.shift == ShiftKind.DAY
