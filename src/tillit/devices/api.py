"""`/api/v1/devices…`: the central stock; a client's loans and requests
(visible_to, logged; others' clients 404); requests from district teams; the
device service's loans, services and returns."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.access.scopes import get_visible_or_404, visible_client_or_404
from tillit.audit.models import Interface
from tillit.devices import services
from tillit.devices.models import Device, DeviceRequest, DeviceType, Loan

router = Router(tags=["devices"])

CategoryLiteral = Literal["bed", "walker", "wheelchair", "safety_alarm", "medicine_dispenser",
                          "door_sensor", "other"]
RequestStatusLiteral = Literal["requested", "delivered", "rejected"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class StockOut(Schema):
    code: str
    name: str
    category: CategoryLiteral
    in_stock: int
    showroom: int
    on_loan: int
    in_repair: int


class LoanOut(Schema):
    id: int
    device: str
    device_type: str
    lent_on: dt.date
    installed_on: dt.date | None
    next_service_on: dt.date | None
    returned_on: dt.date | None
    replaces_visit_id: int | None


class RequestOut(Schema):
    id: int
    device_type: str
    status: RequestStatusLiteral
    reason: str
    requested_on: dt.date
    replaces_visit_id: int | None


class ClientDevicesOut(Schema):
    client_id: int
    loans: list[LoanOut]
    requests: list[RequestOut]


class RequestIn(Schema):
    client_id: int
    device_type: str
    reason: str
    replaces_visit_id: int | None = None


class LoanIn(Schema):
    client_id: int
    serial: str
    request_id: int | None = None
    replaces_visit_id: int | None = None


def _loan(loan: Loan) -> dict:
    return {"id": loan.pk, "device": loan.device.serial, "device_type": loan.device.device_type.code,
            "lent_on": loan.lent_on, "installed_on": loan.installed_on,
            "next_service_on": loan.next_service_on, "returned_on": loan.returned_on,
            "replaces_visit_id": loan.replaces_visit_id}


def _request(r: DeviceRequest) -> dict:
    return {"id": r.pk, "device_type": r.device_type.code, "status": r.status,
            "reason": r.reason, "requested_on": r.requested_on,
            "replaces_visit_id": r.replaces_visit_id}


@router.get("/devices/stock", response={200: list[StockOut], **ERRORS})
@policy("devices.stock")
def device_stock(request: HttpRequest):
    return services.stock()


@router.get("/clients/{client_id}/devices", response={200: ClientDevicesOut, **ERRORS})
@policy("devices.client", object_rule="access.view_client")
def client_devices(request: HttpRequest, client_id: int):
    data = services.read_client_devices(request.user, client_id, interface=Interface.API,
                                        request=request)
    return {"client_id": data.client.pk, "loans": [_loan(x) for x in data.loans],
            "requests": [_request(x) for x in data.requests]}


@router.post("/device-requests", response={201: RequestOut, **ERRORS})
@policy("devices.request", object_rule="access.view_client")
def request_device(request: HttpRequest, payload: RequestIn):
    client = visible_client_or_404(request.user, payload.client_id)
    device_type = get_object_or_404(DeviceType, code=payload.device_type)
    req = services.do_request_device(user=request.user, client=client, device_type=device_type,
                                     reason=payload.reason,
                                     replaces_visit=services.chosen_visit(
                                         request.user, client, payload.replaces_visit_id))
    return Status(201, _request(req))


@router.post("/device-loans", response={201: LoanOut, **ERRORS})
@policy("devices.handle", object_rule="access.view_client")
def lend_device(request: HttpRequest, payload: LoanIn):
    client = visible_client_or_404(request.user, payload.client_id)
    device = get_object_or_404(Device, serial=payload.serial)
    req = services.chosen_request(request.user, client, payload.request_id)
    visit = services.chosen_visit(request.user, client, payload.replaces_visit_id)
    loan = services.do_lend_device(user=request.user, client=client, device=device, request=req,
                                   replaces_visit=visit)
    return Status(201, _loan(loan))


@router.post("/device-loans/{loan_id}/return", response={200: LoanOut, **ERRORS})
@policy("devices.handle", object_rule="access.view_client")
def return_device(request: HttpRequest, loan_id: int):
    loan = get_visible_or_404(request.user, Loan.objects.all(), pk=loan_id)
    return _loan(services.do_return_device(user=request.user, loan=loan))


@router.post("/device-loans/{loan_id}/service", response={200: LoanOut, **ERRORS})
@policy("devices.handle", object_rule="access.view_client")
def service_device(request: HttpRequest, loan_id: int):
    loan = get_visible_or_404(request.user, Loan.objects.all(), pk=loan_id)
    return _loan(services.do_record_service(user=request.user, loan=loan))
