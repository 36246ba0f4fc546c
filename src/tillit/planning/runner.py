"""Running one queued plan: build the instance, solve, store.

`run_plan(plan_id)` is what the background task calls (and the demo build,
synchronously). The engine runs in a thread so the run can give up at a
hard deadline (`time_limit` plus a grace) and so progress reaches the
database from this thread only, throttled to one write per
`PROGRESS_EVERY` seconds. Every failure leaves the current plan as it was
and marks this run failed with a Norwegian message.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.utils import timezone

from tillit.core.planner import (
    InfeasibleError,
    InstanceError,
    Progress,
    load_instance,
    plan_to_dict,
    solve,
)
from tillit.planning.errors import NO_STAFF_MESSAGE, PlanConflict, PlanningError
from tillit.planning.instance import prepare_instance
from tillit.planning.models import Plan
from tillit.planning.services import mark_plan_failed, store_plan_result

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes
TIMEOUT_GRACE = 10.0  # seconds past the time limit before a run is given up


def _save_progress(plan: Plan, progress: dict[str, Any]) -> None:
    Plan.objects.filter(pk=plan.pk).update(progress=progress)


def _progress_dict(p: Progress) -> dict[str, Any]:
    return {"best_cost": round(p.best_cost, 2), "unassigned": p.unassigned,
            "phase": p.phase, "elapsed": round(p.elapsed, 1), "time_left": round(p.time_left, 1)}


def run_plan(plan_id: int, *, seed: int = 0, continuity: bool = True) -> Plan:
    """Plan a queued run and store it; returns the plan (done or failed).
    `continuity=False` leaves out the carers of the last 28 days from the
    preferred staff (the continuity benchmark's comparison)."""
    plan = Plan.objects.select_related("team__district", "replaces").get(pk=plan_id)
    if plan.status != Plan.Status.QUEUED:
        return plan
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.RUNNING,
                                           started_at=timezone.now(),
                                           progress={"phase": "building"})
    plan.refresh_from_db()
    try:
        built = prepare_instance(
            plan.team, plan.date, plan.shift, absent=plan.absent,
            replan_from=plan.replan_from, previous=plan.replaces, continuity=continuity,
        )
        if not built.data["staff"]:
            raise PlanningError(NO_STAFF_MESSAGE)
        try:
            instance = load_instance(built.data)
        except InstanceError as exc:
            raise PlanningError(f"Ugyldig planleggingsgrunnlag: {exc}") from exc
        result = _solve_with_deadline(plan, instance, seed)
        plan_dict = plan_to_dict(result)
        stats = {
            "visits": len(built.data["visits"]), "staff": len(built.data["staff"]),
            "locked": built.locked, "reported": built.reported, "frozen": built.frozen,
            "left_out": built.left_out, "engine": dict(getattr(result, "stats", {}) or {}),
        }
        return store_plan_result(plan, built.data, plan_dict, _jsonable(stats))
    except PlanConflict as exc:
        return mark_plan_failed(plan, exc.message)
    except PlanningError as exc:
        return mark_plan_failed(plan, exc.message)
    except InfeasibleError as exc:
        return mark_plan_failed(plan, (
            f"Planen kan ikke lages: det obligatoriske besøket {exc.visit_id} kan ikke dekkes "
            f"({exc.reason}). Ingenting er endret."
        ))
    except InstanceError as exc:
        return mark_plan_failed(plan, f"Ugyldig planleggingsgrunnlag: {exc}. Ingenting er endret.")
    except Exception:
        logger.exception("planning run %s failed", plan.pk)
        mark_plan_failed(plan, (
            "Planleggingen stoppet på grunn av en feil i systemet. Den gjeldende planen er "
            "ikke endret; prøv igjen, eller meld fra om feilen."
        ))
        raise


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _solve_with_deadline(plan: Plan, instance: Any, seed: int) -> Any:
    """Run the engine in a thread; write progress from here; give up (and
    ask the engine to stop) at time_limit + TIMEOUT_GRACE."""
    stop = threading.Event()
    latest: dict[str, Any] = {}
    outcome: dict[str, Any] = {}

    def on_progress(p: Progress) -> None:
        latest.update(_progress_dict(p))

    def work() -> None:
        try:
            outcome["plan"] = solve(instance, plan.time_limit, seed, on_progress, stop)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, name=f"plan-{plan.pk}", daemon=True)
    give_up = time.monotonic() + plan.time_limit + TIMEOUT_GRACE
    thread.start()
    written: dict[str, Any] = {}
    while thread.is_alive():
        thread.join(PROGRESS_EVERY)
        if latest and latest != written:
            written = dict(latest)
            _save_progress(plan, written)
        if time.monotonic() > give_up:
            stop.set()
            thread.join(2.0)
            raise PlanningError(
                f"Planleggingen ble ikke ferdig innen tidsgrensen ({plan.time_limit:g} s). "
                "Den gjeldende planen er ikke endret; prøv igjen med lengre tid."
            )
    if "error" in outcome:
        raise outcome["error"]
    if latest:
        _save_progress(plan, {**latest, "time_left": 0.0, "phase": "done"})
    return outcome["plan"]
