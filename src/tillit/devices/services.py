"""Writes and reads of the central device service.

District teams request a device for a client (`do_request_device`); the
central device service lends one from stock (`do_lend_device`), records
installation and service (`do_record_service`) and returns
(`do_return_device`), or rejects the request. Every person-level read goes
through `visible_to(user)` and is logged (`read_client_devices`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.scopes import visible_client_or_404, visible_clients
from tillit.accounts.models import Role, User
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.clients.models import Client
from tillit.decisions.models import Decision, DecisionVisit
from tillit.devices.models import Device, DeviceRequest, DeviceType, Loan

SERVICE_NOTICE_DAYS = 14
REQUESTING_ROLES = (Role.PLANNER, Role.DISTRICT_MANAGER, Role.CASE_HANDLER)


def today() -> dt.date:
    return timezone.localdate()


def is_device_service(user: User) -> bool:
    """The central device service: city-wide case handlers (an agency)."""
    return bool(user.is_authenticated and user.role == Role.CASE_HANDLER
                and user.district_id is None)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _next_service(device_type: DeviceType, day: dt.date) -> dt.date | None:
    return add_months(day, device_type.service_months) if device_type.service_months else None


def _check_visit(visit: DecisionVisit | None, client: Client, device_type: DeviceType) -> None:
    if visit is None:
        return
    if not device_type.may_replace_visit:
        raise ValidationError({"replaces_visit": _("This device type does not replace visits.")})
    active = Decision.objects.active_on(today()).filter(client=client, pk=visit.decision_id)
    if not active.exists():
        raise ValidationError({"replaces_visit": _("Choose a visit of the client's decision.")})


def client_visits(client: Client, user: User) -> list[DecisionVisit]:
    """The visits of the client's decisions in force that `user` may see (a
    blocked decision's visits are not offered)."""
    return list(DecisionVisit.objects.visible_to(user).filter(
        decision__in=Decision.objects.active_on(today()).filter(client=client))
        .select_related("decision__service_type"))


def chosen_visit(user: User, client: Client, visit_id: int | None) -> DecisionVisit | None:
    """The visit an API caller names by id, among the client's visits it may
    see (`client_visits`). Another client's visit, a blocked decision's and
    an id that does not exist get the same field message: the answer tells
    nothing of other clients' decisions."""
    if not visit_id:
        return None
    found = next((v for v in client_visits(client, user) if v.pk == visit_id), None)
    if found is None:
        raise ValidationError({"replaces_visit": _("Choose a visit of the client's decision.")})
    return found


def chosen_request(user: User, client: Client, request_id: int | None) -> DeviceRequest | None:
    """The open request an API caller names by id, among the client's that
    it may see; any other id (another client's, blocked, missing) gets the
    same field message."""
    if not request_id:
        return None
    found = DeviceRequest.objects.visible_to(user).filter(
        pk=request_id, client=client, status=DeviceRequest.Status.REQUESTED).first()
    if found is None:
        raise ValidationError({"request": _("The request is not open for this client.")})
    return found


@transaction.atomic
def do_request_device(*, user: User, client: Client, device_type: DeviceType, reason: str,
                      replaces_visit: DecisionVisit | None = None) -> DeviceRequest:
    if user.role not in REQUESTING_ROLES:
        raise PermissionDenied
    client = visible_client_or_404(user, client.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the device is needed.")})
    _check_visit(replaces_visit, client, device_type)
    return DeviceRequest.objects.create(
        client=client, district_id=client.district_id, device_type=device_type,
        reason=reason.strip(), replaces_visit=replaces_visit, requested_on=today(),
        requested_by=user)


@transaction.atomic
def do_lend_device(*, user: User, client: Client, device: Device,
                   request: DeviceRequest | None = None,
                   replaces_visit: DecisionVisit | None = None) -> Loan:
    if not is_device_service(user):
        raise PermissionDenied
    client = visible_client_or_404(user, client.pk)
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.state != Device.State.IN_STOCK:
        raise ValidationError({"device": _("This device is not in stock.")})
    if request is not None and (request.client_id != client.pk
                                or request.status != DeviceRequest.Status.REQUESTED):
        raise ValidationError({"request": _("The request is not open for this client.")})
    visit = replaces_visit or (request.replaces_visit if request else None)
    _check_visit(visit, client, device.device_type)
    day = today()
    loan = Loan.objects.create(
        device=device, client=client, district_id=client.district_id, lent_on=day,
        installed_on=day if device.device_type.welfare_technology else None,
        next_service_on=_next_service(device.device_type, day), replaces_visit=visit,
        lent_by=user)
    device.state = Device.State.ON_LOAN
    device.in_showroom = False
    device.save(update_fields=["state", "in_showroom"])
    if request is not None:
        request.status, request.handled_on, request.loan = (
            DeviceRequest.Status.DELIVERED, day, loan)
        request.save(update_fields=["status", "handled_on", "loan"])
    return loan


@transaction.atomic
def do_reject_request(*, user: User, request: DeviceRequest, note: str) -> DeviceRequest:
    if not is_device_service(user):
        raise PermissionDenied
    request.status, request.note, request.handled_on = (
        DeviceRequest.Status.REJECTED, note.strip(), today())
    request.full_clean(exclude=["client", "district", "device_type", "requested_by",
                                "replaces_visit", "loan"])
    request.save()
    return request


@transaction.atomic
def do_record_service(*, user: User, loan: Loan) -> Loan:
    if not is_device_service(user):
        raise PermissionDenied
    loan = Loan.objects.select_for_update().select_related("device__device_type").get(pk=loan.pk)
    if loan.returned_on:
        raise ValidationError({"loan": _("The device is returned.")})
    loan.next_service_on = _next_service(loan.device.device_type, today())
    loan.save(update_fields=["next_service_on"])
    return loan


@transaction.atomic
def do_return_device(*, user: User, loan: Loan) -> Loan:
    if not is_device_service(user):
        raise PermissionDenied
    loan = Loan.objects.select_for_update().select_related("device").get(pk=loan.pk)
    if loan.returned_on:
        raise ValidationError({"loan": _("The device is already returned.")})
    loan.returned_on = today()
    loan.save(update_fields=["returned_on"])
    Device.objects.filter(pk=loan.device_id).update(state=Device.State.IN_STOCK)
    return loan


# -- reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientDevices:
    client: Client
    loans: list[Loan]
    requests: list[DeviceRequest]


def read_client_devices(user: User, client_id: object, *, interface: str,
                        request: HttpRequest) -> ClientDevices:
    client = visible_client_or_404(user, client_id)
    loans = list(Loan.objects.visible_to(user).filter(client=client).select_related(
        "device__device_type", "replaces_visit__decision__service_type"))
    shown = set(DecisionVisit.objects.visible_to(user).filter(
        pk__in=[loan.replaces_visit_id for loan in loans if loan.replaces_visit_id])
        .values_list("pk", flat=True))
    for loan in loans:  # a visit of a decision blocked for the user is not named
        if loan.replaces_visit_id and loan.replaces_visit_id not in shown:
            loan.replaces_visit = None
    requests = list(DeviceRequest.objects.visible_to(user).filter(client=client)
                    .select_related("device_type"))
    record_access(actor=user, clients=[client], what=What.RECORD, interface=interface,
                  request=request)
    return ClientDevices(client, loans, requests)


def open_requests(user: User, *, interface: str, request: HttpRequest) -> list[DeviceRequest]:
    rows = list(DeviceRequest.objects.visible_to(user).filter(
        status=DeviceRequest.Status.REQUESTED).select_related("client", "device_type",
                                                               "district"))
    if rows:
        record_access(actor=user, clients=[r.client_id for r in rows], what=What.LIST,
                      interface=interface, request=request)
    return rows


def service_due(user: User, *, interface: str, request: HttpRequest) -> list[Loan]:
    limit = today() + dt.timedelta(days=SERVICE_NOTICE_DAYS)
    rows = list(Loan.objects.visible_to(user).current().filter(next_service_on__lte=limit)
                .select_related("client", "device__device_type").order_by("next_service_on"))
    if rows:
        record_access(actor=user, clients=[r.client_id for r in rows], what=What.LIST,
                      interface=interface, request=request)
    return rows


def stock() -> list[dict]:
    """Per device type: in stock, in the showroom, on loan, in repair."""
    return list(DeviceType.objects.annotate(
        in_stock=Count("devices", filter=Q(devices__state=Device.State.IN_STOCK)),
        showroom=Count("devices", filter=Q(devices__in_showroom=True)),
        on_loan=Count("devices", filter=Q(devices__state=Device.State.ON_LOAN)),
        in_repair=Count("devices", filter=Q(devices__state=Device.State.IN_REPAIR)),
    ).values("pk", "code", "name", "category", "in_stock", "showroom", "on_loan", "in_repair"))


def clients_for_lending(user: User):
    return visible_clients(user)
