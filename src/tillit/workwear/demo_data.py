"""Demo workwear: garment types, the central stock, one or two bases per
district with laundry cycles and a quarter of laundry runs, sizes and issued
garments for the carers, and orders; districts deliberately uneven (some
order and lose much more per carer). Deterministic for a seed; call after
staff and users exist."""

from __future__ import annotations

import datetime as dt
import random

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

GARMENTS = (("tunika", "Tunika", 4), ("bukse", "Bukse", 4), ("fleece", "Fleecejakke", 1),
            ("regnjakke", "Regnjakke", 1))
SIZE_WEIGHTS = (2, 10, 25, 28, 20, 10, 5)


def build_workwear(*, seed: int, today: dt.date) -> int:
    rng = random.Random(seed * 7717 + 13)
    garments = GarmentType.objects.bulk_create([
        GarmentType(code=c, name=n, per_employee=k) for c, n, k in GARMENTS])
    StockLine.objects.bulk_create([StockLine(garment=g, size=s, quantity=rng.randrange(20, 400))
                                   for g in garments for s in SIZES])
    managers = {u.district_id: u for u in User.objects.filter(role=Role.DISTRICT_MANAGER)}
    rows = len(garments) * (1 + len(SIZES))
    for district in District.objects.order_by("number"):
        manager = managers.get(district.pk)
        if manager is None:
            continue
        wear = rng.uniform(0.6, 1.4)  # the district's habits: orders and losses
        bases = Base.objects.bulk_create([
            Base(district=district, name=f"Base {district.name} {n}",
                 pickup_day=rng.randrange(0, 5), delivery_day=rng.randrange(0, 5),
                 cycle_weeks=rng.choice((1, 1, 2))) for n in range(1, rng.randrange(2, 4))])
        runs = []
        for base in bases:
            for week in range(13):
                monday = today - dt.timedelta(days=today.weekday() + 7 * (week + 1))
                if week % base.cycle_weeks:
                    continue
                runs.append(LaundryRun(base=base, kind=LaundryRun.Kind.PICKUP,
                                       on=monday + dt.timedelta(days=base.pickup_day),
                                       bags=max(1, int(rng.gauss(12, 3) * wear)),
                                       missing_items=rng.choices((0, 1, 2, 5),
                                                                 (60, 25, 10, 5))[0]))
                runs.append(LaundryRun(base=base, kind=LaundryRun.Kind.DELIVERY,
                                       on=monday + dt.timedelta(days=base.delivery_day),
                                       bags=max(1, int(rng.gauss(12, 3) * wear))))
        LaundryRun.objects.bulk_create(runs)
        carers = list(Employee.objects.filter(district=district, sector=Sector.HEALTH,
                                              team__isnull=False).order_by("employee_number"))
        sizes, issues = [], []
        for carer in carers:
            size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
            for garment in garments:
                sizes.append(SizeProfile(employee=carer, garment=garment, size=size))
                quantity = max(1, min(10, round(garment.per_employee * rng.uniform(0.5, 1.0)
                                                * wear)))
                issues.append(Issue(employee=carer, garment=garment, size=size,
                                    quantity=quantity, issued_by=manager,
                                    issued_on=today - dt.timedelta(days=rng.randrange(10, 700))))
        SizeProfile.objects.bulk_create(sizes, batch_size=2000)
        Issue.objects.bulk_create(issues, batch_size=2000)
        orders = [Order(district=district, garment=rng.choice(garments),
                        size=rng.choices(SIZES, SIZE_WEIGHTS)[0],
                        quantity=max(1, int(rng.uniform(5, 30) * wear)),
                        ordered_on=today - dt.timedelta(days=rng.randrange(0, 120)),
                        ordered_by=manager) for _ in range(rng.randrange(2, 7))]
        for order in orders:
            if order.ordered_on < today - dt.timedelta(days=10):
                order.status, order.delivered_on = (Order.Status.DELIVERED,
                                                    order.ordered_on + dt.timedelta(days=7))
        Order.objects.bulk_create(orders)
        rows += len(bases) + len(runs) + len(sizes) + len(issues) + len(orders)
    return rows
