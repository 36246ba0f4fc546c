"""The demo routines: every district asked, answers uneven, one routine in
its second version, valid rows, deterministic."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.demo.builder import build_demo_city
from tillit.routines import services
from tillit.routines.models import Acknowledgement, Routine, Status

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _answers() -> list[tuple]:
    return list(Acknowledgement.objects.order_by("version__routine__title", "version__number",
                                                 "district__number", "unit__name")
                .values_list("district__slug", "status", "acknowledged_at"))


def test_demo_routines():
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert Routine.objects.count() == 5
    assert max(r.current.number for r in Routine.objects.all()) == 2
    current = services.current_acknowledgements()
    assert current.filter(unit__isnull=True).count() == 5 * 15
    statuses = {a.status for a in current if a.is_acknowledged}
    assert {Status.IMPLEMENTED, Status.IN_PROGRESS} <= statuses
    for ack in current.filter(status=Status.DEVIATION):
        assert ack.deviation_reason and ack.is_acknowledged
    rows = services.compliance_by_district(TODAY)
    shares = {r.share_implemented for r in rows}
    assert len(shares) > 3  # districts differ
    first = _answers()
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert _answers() == first
