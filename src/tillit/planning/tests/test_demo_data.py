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
        # four weeks ahead of the build, from a week ago (the trust pilot's
        # districts also have weeks of roster history before that)
        window = {TODAY + dt.timedelta(days=d) for d in range(-7, 21)}
        assert window <= dates and max(dates) == TODAY + dt.timedelta(days=20)
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


def test_demo_rosters_repeat_weekly_and_fix_primary_contacts(world):
    """The same carers work the same weekday's shifts every week (continuity of
    care), nobody twice a day, nobody over five shifts a week; the logins
    work today's and tomorrow's day shift; each client's primary contacts
    work the client's (day) shift most weeks."""
    import random

    from tillit.planning import demo_data

    login = world.carers[1]
    rows = demo_data._rosters(world.team, world.carers, {login.pk}, world.day,
                              random.Random(1))
    by_day: dict[dt.date, set[tuple[int, str]]] = {}
    for row in rows:
        assert (row.employee_id, row.shift) not in by_day.get(row.date, set())
        by_day.setdefault(row.date, set()).add((row.employee_id, row.shift))
    assert len(by_day) == demo_data.ROSTER_DAYS
    for day, shifts in by_day.items():
        assert len({e for e, _s in shifts}) == len(shifts)  # one shift a day each
        later = day + dt.timedelta(days=7)
        if later in by_day:
            assert by_day[later] == shifts
    first = min(by_day)
    for employee in world.carers:
        week = sum(1 for d in range(7) for e, _s in by_day[first + dt.timedelta(days=d)]
                   if e == employee.pk)
        assert week <= demo_data.MAX_SHIFTS_A_WEEK, (employee.pk == login.pk, [
            sorted(s for e, s in by_day[first + dt.timedelta(days=d)] if e == employee.pk)
            for d in range(7)])
    for day in (world.day, world.day + dt.timedelta(days=1)):
        assert (login.pk, ShiftKind.DAY) in by_day[day]

    from tillit.clients.models import PrimaryContact

    assert demo_data._primary_contacts(world.team, rows, world.day) == 2 * len(world.clients)
    day_shifts = {e.pk: sum(1 for d in range(7) if (e.pk, ShiftKind.DAY)
                            in by_day[first + dt.timedelta(days=d)]) for e in world.carers}
    regulars = [pk for pk, n in day_shifts.items() if n >= 3]
    firsts = []
    for client in world.clients:
        pair = list(PrimaryContact.objects.filter(client=client).order_by("rank"))
        assert [p.rank for p in pair] == [1, 2]
        assert day_shifts[pair[0].employee_id] >= 3 and day_shifts[pair[1].employee_id] >= 1
        firsts.append(pair[0].employee_id)
    counts = [firsts.count(pk) for pk in regulars]
    assert max(counts) - min(counts) <= 1  # a fair share each
