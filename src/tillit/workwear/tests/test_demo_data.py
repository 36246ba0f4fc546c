"""Demo workwear: every district has bases, laundry runs, sizes, issues and
orders, and the districts differ."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.demo.builder import build_demo_city
from tillit.workwear import services
from tillit.workwear.models import Base, Issue, LaundryRun, Order

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def test_demo_workwear():
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    rows = services.district_comparison(TODAY)
    assert all(r.bases >= 1 for r in rows)
    assert len({r.issued_per_person for r in rows}) > 3
    assert len({r.bags_per_week for r in rows}) > 3
    assert Issue.objects.exists() and Order.objects.filter(status="ordered").exists()
    for run in LaundryRun.objects.all():
        run.full_clean()
        assert run.on <= TODAY
    assert Base.objects.count() >= 15
