"""Workwear: sizes and issues in one's own district, orders delivered from
the central stock, laundry cycles, differences between districts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from tillit.workwear import services
from tillit.workwear.models import Base, GarmentType, LaundryRun, Order, StockLine


@pytest.fixture
def tunic(db):
    garment = GarmentType.objects.create(code="tunika", name="Tunika")
    StockLine.objects.create(garment=garment, size="M", quantity=10)
    return garment


def test_sizes_and_issues(client, tunic, planlegger_sagene, leder_sagene, make_user):
    carer = planlegger_sagene.employee
    with pytest.raises(ValidationError):  # no size recorded yet
        services.do_issue(user=leder_sagene, employee=carer, garment=tunic, quantity=2)
    services.do_set_size(user=leder_sagene, employee=carer, garment=tunic, size="M")
    issue = services.do_issue(user=leder_sagene, employee=carer, garment=tunic, quantity=2)
    assert issue.size == "M"
    other = make_user("leder.alna", "district_manager", "alna")
    with pytest.raises(Http404):
        services.do_return(user=other, issue=issue)
    services.do_return(user=leder_sagene, issue=issue)
    with pytest.raises(ValidationError):
        services.do_return(user=leder_sagene, issue=issue)


def test_orders_from_the_central_stock(tunic, leder_sagene, admin_user):
    order = services.do_order(user=leder_sagene, garment=tunic, size="M", quantity=4)
    with pytest.raises(PermissionDenied):
        services.do_deliver_order(user=leder_sagene, order=order)
    services.do_deliver_order(user=admin_user, order=order)
    assert StockLine.objects.get().quantity == 6
    big = services.do_order(user=leder_sagene, garment=tunic, size="M", quantity=7)
    with pytest.raises(ValidationError):
        services.do_deliver_order(user=admin_user, order=big)
    assert Order.objects.get(pk=big.pk).status == Order.Status.ORDERED


def test_laundry_cycle(city, leder_sagene):
    base = Base.objects.create(district=leder_sagene.district, name="Basen Sagene",
                               pickup_day=0, delivery_day=2, cycle_weeks=2)
    pickup, delivery = services.schedule(base, dt.date(2026, 11, 24))  # a Tuesday
    assert pickup.weekday() == 0 and delivery.weekday() == 2
    assert (pickup - dt.date(2024, 1, 1)).days // 7 % 2 == 0
    assert pickup > dt.date(2026, 11, 24) and delivery >= dt.date(2026, 11, 24)
    services.do_record_run(user=leder_sagene, base=base, kind="pickup", bags=13)
    sagene = next(r for r in services.district_comparison() if r.district.slug == "sagene")
    assert sagene.bags_per_week == 1.0 and sagene.bases == 1
    assert LaundryRun.objects.count() == 1


def test_pages_and_api(client, tunic, planlegger_sagene, analytiker, admin_user):
    client.force_login(planlegger_sagene)
    carer = planlegger_sagene.employee
    response = client.post(reverse("workwear:district"), {
        "action": "issue", "i-employee": carer.pk, "i-garment": tunic.pk, "i-size": "M",
        "i-quantity": 2})
    assert response.status_code == 302
    page = client.get(reverse("workwear:district")).content.decode()
    assert "Tunika M" in page
    response = client.post("/api/v1/workwear/orders", {"garment": "tunika", "size": "5XL",
                                                       "quantity": 3},
                           content_type="application/json")
    assert response.status_code == 422
    client.force_login(analytiker)
    rows = client.get("/api/v1/workwear/districts").json()
    assert next(r for r in rows if r["district"] == "sagene")["garments_out_per_carer"] == 2.0
    assert client.get(reverse("workwear:district")).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("workwear:overview")).status_code == 200
