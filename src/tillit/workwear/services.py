"""Writes and reads of workwear.

District managers and planners keep their district's sizes, issue and take
back garments, order from the central stock and record laundry runs; the
system administrator (the agreement's administrator, no client data)
delivers orders from the central stock. `district_comparison` shows the
differences between districts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.accounts.models import Role, User
from tillit.organisation.models import District, Employee, Sector
from tillit.workwear.models import (
    SIZES,
    Base,
    GarmentType,
    Issue,
    LaundryRun,
    Order,
    SizeProfile,
    StockLine,
)

DISTRICT_ROLES = (Role.DISTRICT_MANAGER, Role.PLANNER)


def today() -> dt.date:
    return timezone.localdate()


def _own_district(user: User, district_id: int | None) -> None:
    if user.role not in DISTRICT_ROLES or not user.district_id or district_id != user.district_id:
        raise Http404("Not found.")


def staff(district: District) -> list[Employee]:
    return list(Employee.objects.valid_on(today()).filter(
        district=district, sector=Sector.HEALTH, team__isnull=False).order_by(
        "family_name", "given_name"))


def _size(size: str) -> None:
    if size not in SIZES:
        raise ValidationError({"size": _("Choose a size.")})


@transaction.atomic
def do_set_size(*, user: User, employee: Employee, garment: GarmentType, size: str) -> None:
    _own_district(user, employee.district_id)
    _size(size)
    SizeProfile.objects.update_or_create(employee=employee, garment=garment,
                                         defaults={"size": size})


@transaction.atomic
def do_issue(*, user: User, employee: Employee, garment: GarmentType, quantity: int,
             size: str | None = None) -> Issue:
    _own_district(user, employee.district_id)
    if size is None:
        profile = SizeProfile.objects.filter(employee=employee, garment=garment).first()
        if profile is None:
            raise ValidationError({"size": _("Record the employee's size first.")})
        size = profile.size
    _size(size)
    if not 1 <= quantity <= 10:
        raise ValidationError({"quantity": _("Issue between 1 and 10.")})
    return Issue.objects.create(employee=employee, garment=garment, size=size,
                                quantity=quantity, issued_on=today(), issued_by=user)


@transaction.atomic
def do_return(*, user: User, issue: Issue) -> Issue:
    _own_district(user, issue.employee.district_id)
    if issue.returned_on:
        raise ValidationError({"issue": _("Already returned.")})
    issue.returned_on = today()
    issue.save(update_fields=["returned_on"])
    return issue


@transaction.atomic
def do_order(*, user: User, garment: GarmentType, size: str, quantity: int) -> Order:
    if user.role not in DISTRICT_ROLES or not user.district_id:
        raise PermissionDenied
    _size(size)
    if not 1 <= quantity <= 500:
        raise ValidationError({"quantity": _("Order between 1 and 500.")})
    return Order.objects.create(district_id=user.district_id, garment=garment, size=size,
                                quantity=quantity, ordered_on=today(), ordered_by=user)


@transaction.atomic
def do_deliver_order(*, user: User, order: Order) -> Order:
    if user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == Order.Status.DELIVERED:
        raise ValidationError({"order": _("The order is already delivered.")})
    line = StockLine.objects.select_for_update().filter(garment=order.garment,
                                                        size=order.size).first()
    if line is None or line.quantity < order.quantity:
        raise ValidationError({"order": _("Not enough in the central stock.")})
    StockLine.objects.filter(pk=line.pk).update(quantity=F("quantity") - order.quantity)
    order.status, order.delivered_on = Order.Status.DELIVERED, today()
    order.save(update_fields=["status", "delivered_on"])
    return order


@transaction.atomic
def do_record_run(*, user: User, base: Base, kind: str, bags: int, missing_items: int = 0,
                  on: dt.date | None = None) -> LaundryRun:
    _own_district(user, base.district_id)
    if kind not in LaundryRun.Kind.values:
        raise ValidationError({"kind": _("Choose pick-up or delivery.")})
    run = LaundryRun(base=base, kind=kind, bags=bags, missing_items=missing_items,
                     on=on or today())
    run.full_clean(exclude=["base"])
    run.save()
    return run


def next_date(weekday: int, cycle_weeks: int, after: dt.date, anchor: dt.date) -> dt.date:
    """The next date on `weekday` after `after`, every `cycle_weeks` weeks
    counted from the week of `anchor`."""
    day = after + dt.timedelta(days=1)
    while True:
        weeks = (day - anchor).days // 7
        if day.weekday() == weekday and weeks % cycle_weeks == 0:
            return day
        day += dt.timedelta(days=1)


def schedule(base: Base, day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    day = day or today()
    anchor = dt.date(2024, 1, 1)  # a Monday: cycles count from it
    return (next_date(base.pickup_day, base.cycle_weeks, day - dt.timedelta(days=1), anchor),
            next_date(base.delivery_day, base.cycle_weeks, day - dt.timedelta(days=1), anchor))


@dataclass
class DistrictWear:
    district: District
    staff: int
    issued: int
    ordered_90: int
    bags_per_week: float
    missing_90: int
    bases: int

    @property
    def issued_per_person(self) -> float:
        return round(self.issued / self.staff, 1) if self.staff else 0.0


def district_comparison(day: dt.date | None = None) -> list[DistrictWear]:
    day = day or today()
    since = day - dt.timedelta(days=90)
    rows = []
    for district in District.objects.valid_on(day).order_by("number"):
        people = len(staff(district))
        issued = Issue.objects.filter(employee__district=district, returned_on__isnull=True
                                      ).aggregate(n=Sum("quantity"))["n"] or 0
        ordered = Order.objects.filter(district=district, ordered_on__gte=since
                                       ).aggregate(n=Sum("quantity"))["n"] or 0
        runs = LaundryRun.objects.filter(base__district=district, on__gte=since)
        bags = runs.filter(kind=LaundryRun.Kind.PICKUP).aggregate(n=Sum("bags"))["n"] or 0
        missing = runs.aggregate(n=Sum("missing_items"))["n"] or 0
        rows.append(DistrictWear(district, people, issued, ordered, round(bags / 13, 1), missing,
                                 Base.objects.filter(district=district).count()))
    return rows
