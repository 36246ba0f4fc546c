"""A small factory for day lists: a decision, visits of a current plan for a
carer, and the roster entry of the shift (planning's tables, written
directly)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from tillit.decisions.models import Decision, ServiceType
from tillit.planning.models import Assignment, Plan, RosterEntry, Visit


@pytest.fixture
def make_decision(db) -> Callable[..., Decision]:
    def make(client, *, weekly_minutes: int = 300, tolerance: int = 15) -> Decision:
        return Decision.objects.create(
            client=client, service_type=ServiceType.objects.order_by("pk").first(),
            provider=client.provider, valid_from=timezone.localdate() - dt.timedelta(days=60),
            weekly_minutes=weekly_minutes, tolerance_percent=tolerance,
            decided_at=timezone.now(),
        )

    return make


@pytest.fixture
def day_list(db) -> Callable[..., list[Visit]]:
    """`day_list(carer_user, [client, ...], day=None, decision=None)`: one
    visit per client in the carer's current plan, in that order, with the
    day shift 07:00–15:00 on the roster."""

    def make(user, clients, *, day: dt.date | None = None, decisions=None,
             start_hour: int = 8, partner=None) -> list[Visit]:
        day = day or timezone.localdate()
        employee = user.employee
        team = employee.team
        RosterEntry.objects.get_or_create(
            employee=employee, date=day, shift="day",
            defaults={"team": team, "start": dt.time(7), "end": dt.time(15)},
        )
        plan = Plan.objects.filter(team=team, date=day, shift="day", is_current=True).first()
        if plan is None:
            plan = Plan.objects.create(team=team, date=day, shift="day", status="done",
                                       is_current=True)
        visits = []
        start = Assignment.objects.filter(plan=plan, employee=employee).count()
        for n, client in enumerate(clients):
            hour = min(start_hour + n, 13)
            decision = decisions[n] if decisions else None
            visit = Visit.objects.create(
                team=team, date=day, shift="day", client=client, decision=decision,
                window_start=dt.time(hour), window_end=dt.time(hour, 45), minutes=30,
                competence="assistant", tasks=f"Morgenstell {n + 1}",
            )
            Assignment.objects.create(plan=plan, visit=visit, employee=employee,
                                      order=start + n)
            if partner is not None:
                RosterEntry.objects.get_or_create(
                    employee=partner.employee, date=day, shift="day",
                    defaults={"team": team, "start": dt.time(7), "end": dt.time(15)},
                )
                Assignment.objects.create(plan=plan, visit=visit, employee=partner.employee,
                                          order=start + n)
            visits.append(visit)
        return visits

    return make
