"""Writes and reads of the intake.

Inquiries are person-level: every write checks that the client is visible to
the user, every read goes through `Inquiry.objects.visible_to(user)` and is
written to the access log (`read_inquiry`, `list_inquiries`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.scopes import get_visible_or_404, visible_clients
from tillit.accounts.models import Role, User
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.clients.models import Client
from tillit.inquiries.models import (
    DEFAULT_RESPONSE_DAYS,
    OPEN,
    RESPONSE_DAYS,
    ContactPoint,
    Inquiry,
    Request,
    Status,
    Topic,
)
from tillit.organisation.models import District, Sector, Unit

REGISTERING_ROLES = (Role.CASE_HANDLER, Role.PLANNER, Role.DISTRICT_MANAGER)


def today() -> dt.date:
    return timezone.localdate()


def response_days(topic: str) -> int:
    return RESPONSE_DAYS.get(topic, DEFAULT_RESPONSE_DAYS)


def route(client: Client, topic: str) -> Unit:
    """The unit that answers: the district purchaser office for applications
    and decisions, the client's home care unit for everything else."""
    units = Unit.objects.filter(district_id=client.district_id)
    unit = None
    if topic == Topic.APPLICATION:
        unit = units.filter(is_purchaser_office=True).first()
    if unit is None and client.team_id:
        unit = client.team.unit
    if unit is None:
        unit = units.filter(sector=Sector.HEALTH).first() or units.first()
    if unit is None:
        raise ValidationError({"unit": _("The client's district has no unit to answer.")})
    return unit


def _check_unit(unit: Unit, client: Client) -> None:
    if unit.district_id != client.district_id:
        raise ValidationError({"unit": _("Choose a unit in the client's district.")})


@transaction.atomic
def do_register_inquiry(
    *, user: User, client: Client, sender: str, channel: str, topic: str, summary: str,
    text: str = "", sender_name: str = "", received_on: dt.date | None = None,
    unit: Unit | None = None,
) -> Inquiry:
    if user.role not in REGISTERING_ROLES:
        raise PermissionDenied
    if not visible_clients(user).filter(pk=client.pk).exists():
        raise Http404("Not found.")
    received_on = received_on or today()
    if received_on > today():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose a topic.")})
    unit = unit or route(client, topic)
    _check_unit(unit, client)
    inquiry = Inquiry(
        client=client, district_id=client.district_id, unit=unit, team_id=client.team_id,
        sender=sender, sender_name=sender_name.strip(), channel=channel, topic=topic,
        summary=summary.strip(), text=text.strip(), received_on=received_on,
        due_on=received_on + dt.timedelta(days=response_days(topic)), registered_by=user)
    inquiry.full_clean(exclude=["client", "district", "unit", "team", "registered_by"])
    inquiry.save()
    return inquiry


@transaction.atomic
def do_update_inquiry(
    *, user: User, inquiry: Inquiry, status: str, answer: str = "", unit: Unit | None = None,
) -> Inquiry:
    """Take it on, forward it to another unit of the district, or answer it."""
    if user.role not in REGISTERING_ROLES:
        raise PermissionDenied
    inquiry = get_visible_or_404(user, Inquiry.objects.select_for_update(), pk=inquiry.pk)
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if unit is not None:
        _check_unit(unit, inquiry.client)
        inquiry.unit = unit
    inquiry.status = status
    inquiry.answer = answer.strip()
    inquiry.answered_on = today() if status == Status.ANSWERED else None
    inquiry.handled_by = user
    inquiry.full_clean(exclude=["client", "district", "unit", "team", "registered_by",
                                "handled_by"])
    inquiry.save()
    return inquiry


def read_inquiry(user: User, pk: object, *, interface: str, request: HttpRequest) -> Inquiry:
    try:
        number = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    inquiry = get_visible_or_404(
        user, Inquiry.objects.select_related("client", "unit", "district", "team"), pk=number)
    record_access(actor=user, clients=[inquiry.client], what=What.RECORD, interface=interface,
                  request=request)
    return inquiry


def list_inquiries(
    user: User, *, interface: str, request: HttpRequest, status: str = "open",
    overdue_only: bool = False, limit: int = 300,
) -> list[Inquiry]:
    rows = Inquiry.objects.visible_to(user).select_related("client", "unit", "district")
    day = today()
    if overdue_only:
        rows = rows.overdue(day)
    elif status == "open":
        rows = rows.open()
    elif status in Status.values:
        rows = rows.filter(status=status)
    shown = list(rows.order_by("due_on", "pk")[:limit])
    if shown:
        record_access(actor=user, clients=[i.client_id for i in shown], what=What.LIST,
                      interface=interface, request=request)
    return shown


@dataclass
class DistrictOverdue:
    district: District
    rows: list[Inquiry]


def overdue_by_district(inquiries: Iterable[Inquiry]) -> list[DistrictOverdue]:
    groups: dict[int, DistrictOverdue] = {}
    for inquiry in inquiries:
        groups.setdefault(inquiry.district_id,
                          DistrictOverdue(inquiry.district, [])).rows.append(inquiry)
    return sorted(groups.values(), key=lambda g: g.district.number)


# -- requests between districts and agencies -------------------------------------------


def may_answer_request(user: User, req: Request) -> bool:
    point = req.contact_point
    if point.responsible_id == user.pk:
        return True
    return bool(user.role == Role.DISTRICT_MANAGER and point.district_id
                and point.district_id == user.district_id)


def requests_for(user: User) -> QuerySet[Request]:
    """Requests the user sent or is to answer."""
    mine = Q(sender=user) | Q(contact_point__responsible=user)
    if user.role == Role.DISTRICT_MANAGER and user.district_id:
        mine |= Q(contact_point__district_id=user.district_id)
    return Request.objects.filter(mine).select_related(
        "contact_point", "contact_point__agency", "contact_point__district", "sender")


@transaction.atomic
def do_send_request(*, user: User, contact_point: ContactPoint, subject: str,
                    text: str) -> Request:
    errors = {}
    if not subject.strip():
        errors["subject"] = [_("Give the request a subject.")]
    if not text.strip():
        errors["text"] = [_("Write the request.")]
    if errors:
        raise ValidationError(errors)
    sent = today()
    return Request.objects.create(
        contact_point=contact_point, sender=user, sender_district_id=user.district_id,
        subject=subject.strip()[:200], text=text.strip(), sent_on=sent,
        due_on=sent + dt.timedelta(days=contact_point.answer_days))


@transaction.atomic
def do_answer_request(*, user: User, req: Request, answer: str) -> Request:
    req = Request.objects.select_for_update().select_related("contact_point").get(pk=req.pk)
    if not may_answer_request(user, req):
        raise Http404("Not found.")
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    req.answer, req.status = answer.strip(), Status.ANSWERED
    req.answered_on, req.answered_by = today(), user
    req.save()
    return req


def open_requests_overdue(day: dt.date | None = None) -> QuerySet[Request]:
    return Request.objects.filter(status__in=OPEN, due_on__lt=day or today())
