"""The demo city's planning at the default scale (built once: it takes a
while): rosters for four weeks, plans for every team's day and evening
shift today and tomorrow, and the demo carer logins each with at least
three visits on the day shift both days."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from tillit.core.planner import check_plan, load_instance
from tillit.demo.builder import build_demo_city
from tillit.organisation.models import Employee, Team
from tillit.planning.models import Assignment, Plan, RosterEntry, ShiftKind, TeamBase

TODAY = dt.date(2026, 12, 7)
DAYS = (TODAY, TODAY + dt.timedelta(days=1))


def test_demo_city_has_rosters_plans_and_busy_carer_logins(db):
    build_demo_city(scale=0.05, seed=3, today=TODAY)

    for team in Team.objects.all():
        assert TeamBase.objects.filter(team=team).exists()
        dates = set(RosterEntry.objects.filter(team=team).values_list("date", flat=True))
        assert len(dates) == 28
        shifts = set(RosterEntry.objects.filter(team=team).values_list("shift", flat=True))
        assert {ShiftKind.DAY, ShiftKind.EVENING} <= shifts
        for day in DAYS:
            for shift in (ShiftKind.DAY, ShiftKind.EVENING):
                plan = Plan.objects.get(team=team, date=day, shift=shift, is_current=True)
                assert plan.status == Plan.Status.DONE, plan.error
    assert RosterEntry.objects.filter(shift=ShiftKind.NIGHT).exists()
    for plan in Plan.objects.filter(date=TODAY)[:4]:
        assert check_plan(load_instance(plan.instance), plan.plan).ok

    doubles = (RosterEntry.objects.values("employee", "date").annotate(n=Count("pk"))
               .filter(n__gt=1))
    assert not doubles.exists()

    logins = Employee.objects.filter(user__username__startswith="pleier.")
    assert logins.count() == 45
    for employee in logins:
        for day in DAYS:
            assert RosterEntry.objects.filter(employee=employee, date=day,
                                              shift=ShiftKind.DAY).exists()
            visits = Assignment.objects.filter(
                employee=employee, plan__is_current=True, plan__date=day,
                plan__shift=ShiftKind.DAY,
            ).count()
            assert visits >= 3, (employee.user.username, day, visits)
