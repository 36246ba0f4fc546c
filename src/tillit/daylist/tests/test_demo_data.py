"""The demo's care plans: written from the active decisions' visits,
versioned, deterministic for a seed."""

import datetime as dt

from tillit.daylist.demo_data import build_care_plans
from tillit.daylist.models import CarePlan
from tillit.decisions.models import DecisionVisit


def test_care_plans_from_decisions(make_client, make_decision):
    for n in range(30):
        decision = make_decision(make_client())
        DecisionVisit.objects.create(
            decision=decision, slot="morning", weekdays=[0, 2, 4], window_start=dt.time(8),
            window_end=dt.time(10), minutes=30, competence="assistant",
            tasks=f"Morgenstell og medisiner {n}",
        )
    made = build_care_plans(seed=7)
    assert made == CarePlan.objects.count() > 15
    plan = CarePlan.objects.filter(version=1).first()
    assert plan.text.startswith("Mål: ") and "Morgenstell og medisiner" in plan.text
    first = sorted(CarePlan.objects.values_list("client_id", "version"))
    CarePlan.objects.all().delete()
    build_care_plans(seed=7)
    assert sorted(CarePlan.objects.values_list("client_id", "version")) == first
