"""`/api/v1/workwear…`: the comparison between districts, the central
stock, orders from one's own district and issues to its employees."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.workwear import services
from tillit.workwear.models import GarmentType, StockLine

router = Router(tags=["workwear"])

SizeLiteral = Literal["XS", "S", "M", "L", "XL", "XXL", "3XL"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class DistrictOut(Schema):
    district: str
    carers: int
    garments_out_per_carer: float
    ordered_90_days: int
    laundry_bags_per_week: float
    items_missing_90_days: int


class StockOut(Schema):
    garment: str
    size: SizeLiteral
    quantity: int


class OrderIn(Schema):
    garment: str
    size: SizeLiteral
    quantity: int


class OrderOut(Schema):
    id: int
    district: str
    garment: str
    size: SizeLiteral
    quantity: int
    ordered_on: dt.date
    status: Literal["ordered", "delivered"]


class IssueIn(Schema):
    employee_id: int
    garment: str
    size: SizeLiteral
    quantity: int = 1


class IssueOut(Schema):
    id: int
    employee_id: int
    garment: str
    size: SizeLiteral
    quantity: int
    issued_on: dt.date


@router.get("/workwear/districts", response={200: list[DistrictOut], **ERRORS})
@policy("workwear.read")
def workwear_districts(request: HttpRequest):
    return [{"district": r.district.slug, "carers": r.staff,
             "garments_out_per_carer": r.issued_per_person, "ordered_90_days": r.ordered_90,
             "laundry_bags_per_week": r.bags_per_week, "items_missing_90_days": r.missing_90}
            for r in services.district_comparison()]


@router.get("/workwear/stock", response={200: list[StockOut], **ERRORS})
@policy("workwear.read")
def workwear_stock(request: HttpRequest):
    return [{"garment": s.garment.code, "size": s.size, "quantity": s.quantity}
            for s in StockLine.objects.select_related("garment")]


@router.post("/workwear/orders", response={201: OrderOut, **ERRORS})
@policy("workwear.district")
def order_workwear(request: HttpRequest, payload: OrderIn):
    garment = get_object_or_404(GarmentType, code=payload.garment)
    order = services.do_order(user=request.user, garment=garment, size=payload.size,
                              quantity=payload.quantity)
    return Status(201, {"id": order.pk, "district": order.district.slug,
                        "garment": garment.code, "size": order.size,
                        "quantity": order.quantity, "ordered_on": order.ordered_on,
                        "status": order.status})


@router.post("/workwear/issues", response={201: IssueOut, **ERRORS})
@policy("workwear.district")
def issue_workwear(request: HttpRequest, payload: IssueIn):
    employee = next((e for e in services.staff(request.user.district)
                     if e.pk == payload.employee_id), None) if request.user.district_id else None
    if employee is None:
        raise Http404("Not found.")
    garment = get_object_or_404(GarmentType, code=payload.garment)
    services.do_set_size(user=request.user, employee=employee, garment=garment,
                         size=payload.size)
    issue = services.do_issue(user=request.user, employee=employee, garment=garment,
                              size=payload.size, quantity=payload.quantity)
    return Status(201, {"id": issue.pk, "employee_id": employee.pk, "garment": garment.code,
                        "size": issue.size, "quantity": issue.quantity,
                        "issued_on": issue.issued_on})
