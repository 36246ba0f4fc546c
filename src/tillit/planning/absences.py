"""Which plans an absence touches: a carer registered absent who still has
visits in a current plan after the time they are gone. Such a plan needs
re-planning; the board and the day plan say so. Derived from the absences
and the plans themselves, so cancelling the absence or re-planning the
shift clears it (nothing to keep in step)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from tillit.organisation.models import Employee
from tillit.planning.models import Absence, Assignment, Plan


@dataclass
class AbsentCarer:
    employee: Employee
    absence: Absence
    visits: int  # visits in the plan from the time the carer is gone


def _gone_from(absence: Absence, plan: Plan) -> dt.time:
    """From when `absence` keeps its carer off `plan`'s shift. Visits before
    a re-plan's start time are history either way."""
    gone = dt.time(0, 0)
    if absence.first_day == plan.date and absence.from_time is not None:
        gone = absence.from_time
    if plan.replan_from is not None and plan.replan_from > gone:
        gone = plan.replan_from
    return gone


def absent_carers(plans: Iterable[Plan]) -> dict[int, list[AbsentCarer]]:
    """Plan pk -> the absent carers who still have visits in it (plans with
    none are left out). Only current, finished plans count."""
    plans = [p for p in plans if p.is_current and p.status == Plan.Status.DONE]
    if not plans:
        return {}
    days = {p.date for p in plans}
    rows = list(Assignment.objects.filter(plan__in=plans).values_list(
        "plan_id", "employee_id", "start"))
    employees = {e for _p, e, _s in rows}
    absences = list(Absence.objects.filter(
        employee_id__in=employees, first_day__lte=max(days), last_day__gte=min(days),
    ).select_related("employee").order_by("first_day", "pk"))
    by_pk = {p.pk: p for p in plans}
    out: dict[int, dict[int, AbsentCarer]] = {}
    for plan_id, employee_id, start in rows:
        plan = by_pk[plan_id]
        absence = next((a for a in absences if a.employee_id == employee_id
                        and a.covers(plan.date)), None)
        if absence is None or start is None or start < _gone_from(absence, plan):
            continue
        found = out.setdefault(plan_id, {}).setdefault(
            employee_id, AbsentCarer(absence.employee, absence, 0))
        found.visits += 1
    return {pid: sorted(found.values(), key=lambda a: str(a.employee))
            for pid, found in out.items()}


def plans_hit_by(absence: Absence) -> list[Plan]:
    """The current plans that give `absence`'s carer visits while they are away."""
    candidates = list(Plan.objects.filter(
        Q(assignments__employee_id=absence.employee_id),
        is_current=True, status=Plan.Status.DONE,
        date__gte=absence.first_day, date__lte=absence.last_day,
    ).distinct().select_related("team").order_by("date", "shift"))
    hit = absent_carers(candidates)
    return [p for p in candidates if any(
        a.employee.pk == absence.employee_id for a in hit.get(p.pk, []))]
