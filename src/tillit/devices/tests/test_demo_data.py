"""Demo devices: stock, loans (dispensers replacing a decided visit of the
same client), services due, open requests; valid and deterministic."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.demo.builder import build_demo_city
from tillit.devices.models import Device, DeviceRequest, Loan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def test_demo_devices():
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert Device.objects.filter(state=Device.State.IN_STOCK).exists()
    assert Device.objects.filter(in_showroom=True).exists()
    loans = Loan.objects.select_related("replaces_visit__decision", "device", "client")
    assert loans.count() > 10
    for loan in loans:
        assert loan.district_id == loan.client.district_id
        assert loan.device.state == Device.State.ON_LOAN
        if loan.replaces_visit:
            assert loan.replaces_visit.decision.client_id == loan.client_id
            assert loan.device.device_type.may_replace_visit
    assert any(loan.service_due(TODAY) for loan in loans)
    assert DeviceRequest.objects.filter(status="requested").exists()
    first = list(loans.order_by("pk").values_list("client__national_id", "device__serial"))
    build_demo_city(scale=0.02, seed=2, today=TODAY)
    assert list(Loan.objects.order_by("pk").values_list("client__national_id",
                                                         "device__serial")) == first
