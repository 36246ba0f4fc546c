"""Continuity of care: distinct carers over 28 days, and the carers of the
last 28 days widening a client's preferred staff."""

from __future__ import annotations

import datetime as dt

from tillit.planning import runner, services
from tillit.planning.continuity import distinct_carers, distinct_carers_many, recent_carers
from tillit.planning.instance import build_instance
from tillit.planning.models import Assignment, Plan, ShiftKind, Visit
from tillit.planning.tests.conftest import roster


def _serve(world, client, day, carers):
    """A stored, current plan in which `carers` visited `client` on `day`."""
    visit = Visit.objects.create(
        team=world.team, date=day, shift=ShiftKind.DAY, client=client,
        window_start=dt.time(8, 0), window_end=dt.time(9, 0), minutes=20,
        competence="assistant", source=Visit.Source.ADDED, manual=True,
    )
    plan = Plan.objects.filter(team=world.team, date=day, shift=ShiftKind.DAY,
                               is_current=True).first()
    if plan is None:
        plan = Plan.objects.create(team=world.team, date=day, shift=ShiftKind.DAY,
                                   status=Plan.Status.DONE, is_current=True)
    for i, carer in enumerate(carers):
        Assignment.objects.create(plan=plan, visit=visit, employee=carer, order=i + 1)


def test_distinct_carers_counts_the_window(world):
    client = world.clients[5]
    a, b, c = world.carers[1:4]
    _serve(world, client, world.day - dt.timedelta(days=1), [a])
    _serve(world, client, world.day - dt.timedelta(days=2), [a, b])
    _serve(world, client, world.day - dt.timedelta(days=40), [c])
    assert distinct_carers(client, world.day) == 2
    assert distinct_carers(client, world.day, days=60) == 3
    assert distinct_carers_many([client.pk, world.clients[6].pk], world.day) == {client.pk: 2}


def test_failed_or_old_plans_do_not_count(world):
    client = world.clients[5]
    _serve(world, client, world.day - dt.timedelta(days=1), [world.carers[1]])
    Plan.objects.update(is_current=False)
    assert distinct_carers(client, world.day) == 0


def test_recent_carers_widen_preferred_staff_most_frequent_first(world):
    client = world.clients[5]  # primary contact: carers[0]
    for n in range(1, 4):
        _serve(world, client, world.day - dt.timedelta(days=n), [world.carers[3]])
    _serve(world, client, world.day - dt.timedelta(days=4), [world.carers[2]])
    assert recent_carers([client.pk], world.day)[client.pk] == [
        world.carers[3].pk, world.carers[2].pk]
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    data = build_instance(world.team, world.day, ShiftKind.DAY)
    row = next(v for v in data["visits"] if v["client"] == str(client.pk))
    assert row["preferred_staff"] == [str(world.carers[0].pk), str(world.carers[3].pk),
                                      str(world.carers[2].pk)]
    without = build_instance(world.team, world.day, ShiftKind.DAY, continuity=False)
    row = next(v for v in without["visits"] if v["client"] == str(client.pk))
    assert row["preferred_staff"] == [str(world.carers[0].pk)]


def test_preferred_staff_only_names_people_on_the_shift(world):
    client = world.clients[5]
    extra = world.carers[4]
    _serve(world, client, world.day - dt.timedelta(days=1), [extra])
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    from tillit.planning.models import RosterEntry

    RosterEntry.objects.filter(employee=extra, date=world.day).delete()
    roster(extra, world.team, world.day, ShiftKind.EVENING, dt.time(15, 0), dt.time(22, 30))
    data = build_instance(world.team, world.day, ShiftKind.DAY)
    row = next(v for v in data["visits"] if v["client"] == str(client.pk))
    assert str(extra.pk) not in row["preferred_staff"]


def test_a_planned_day_feeds_the_next(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    plan = services.do_queue_plan(world.team, world.day, ShiftKind.DAY, time_limit=1.5,
                                  enqueue=False)
    plan = runner.run_plan(plan.pk)
    assert plan.status == Plan.Status.DONE
    served = Assignment.objects.filter(plan=plan).first()
    nxt = world.day + dt.timedelta(days=1)
    assert served.employee_id in recent_carers([served.visit.client_id], nxt)[
        served.visit.client_id]
    assert distinct_carers(served.visit.client, world.day) >= 1
