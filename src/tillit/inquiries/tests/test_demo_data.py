"""The demo intake: inquiries in every district with some overdue, routed
within the client's district, contact points, requests; deterministic."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.demo.builder import build_demo_city
from tillit.inquiries.models import ContactPoint, Inquiry, Request
from tillit.organisation.models import District

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _rows():
    return list(Inquiry.objects.order_by("pk").values_list(
        "client__national_id", "topic", "received_on", "status"))


def test_demo_intake():
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert Inquiry.objects.values("district").distinct().count() == District.objects.count()
    assert Inquiry.objects.overdue(TODAY).exists()
    assert Inquiry.objects.filter(status="answered").exists()
    for inquiry in Inquiry.objects.select_related("unit", "client"):
        assert inquiry.unit.district_id == inquiry.client.district_id
        inquiry.full_clean()
    assert ContactPoint.objects.filter(agency__isnull=False).exists()
    assert ContactPoint.objects.filter(district__isnull=False).count() == 15
    assert Request.objects.exists()
    first = _rows()
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert _rows() == first
