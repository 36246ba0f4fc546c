"""The demo training: every qualification the demo gave is backed by a valid
completion (planning reads the same skills), some courses expired (gaps),
districts differ, deterministic."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.demo.builder import build_demo_city
from tillit.organisation.models import Employee, Sector
from tillit.training import services
from tillit.training.models import Completion

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def test_demo_training():
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    carers = list(Employee.objects.filter(sector=Sector.HEALTH, team__isnull=False))
    before = {e.pk: sorted(e.qualifications) for e in carers}
    assert any(before.values())
    assert services.do_expire_completions(TODAY) == []
    for e in carers:
        services.sync_qualifications(e, TODAY)
        assert sorted(e.qualifications) == before[e.pk]
    statuses = services.status_for(carers, TODAY)
    states = {s.state for rows in statuses.values() for s in rows}
    assert {"valid", "expired"} <= states
    shares = {c.share for _d, c in services.coverage_by_district(TODAY)}
    assert len(shares) > 3
    first = list(Completion.objects.order_by("employee__employee_number", "course__code",
                                             "completed_on")
                 .values_list("employee__employee_number", "course__code", "completed_on"))
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert list(Completion.objects.order_by("employee__employee_number", "course__code",
                                            "completed_on")
                .values_list("employee__employee_number", "course__code", "completed_on")) == first
