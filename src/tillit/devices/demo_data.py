"""Demo device service: device types, a central stock (some in the
showroom), loans and installations for about one client in eight (medicine
dispensers replacing a decided medicine visit where there is one), services
due, and open requests from the district teams. Deterministic for a seed;
call after clients, decisions and users exist."""

from __future__ import annotations

import datetime as dt
import random

from tillit.accounts.models import Role, User
from tillit.clients.models import Client
from tillit.decisions.models import Decision, DecisionVisit
from tillit.devices.models import Category, Device, DeviceRequest, DeviceType, Loan
from tillit.devices.services import add_months

# code, name, category, welfare technology, service months, may replace a visit, share
TYPES = (
    ("omsorgsseng", "Omsorgsseng", Category.BED, False, 12, False, 0.25),
    ("rullator", "Rullator", Category.WALKER, False, None, False, 0.35),
    ("rullestol", "Rullestol", Category.WHEELCHAIR, False, 24, False, 0.1),
    ("trygghetsalarm", "Digital trygghetsalarm", Category.SAFETY_ALARM, True, 12, False, 0.15),
    ("medisindispenser", "Medisindispenser", Category.MEDICINE_DISPENSER, True, 6, True, 0.1),
    ("dorsensor", "Dørsensor", Category.DOOR_SENSOR, True, 12, False, 0.05),
)
LOAN_SHARE = 0.12


def build_devices(*, seed: int, today: dt.date) -> int:
    rng = random.Random(seed * 31337 + 11)
    service = User.objects.filter(role=Role.CASE_HANDLER, district__isnull=True).first()
    if service is None:
        return 0
    types = DeviceType.objects.bulk_create([
        DeviceType(code=c, name=n, category=cat, welfare_technology=w, service_months=m,
                   may_replace_visit=r) for c, n, cat, w, m, r, _share in TYPES])
    shares = [t[-1] for t in TYPES]
    clients = list(Client.objects.order_by("pk").values_list("pk", "district_id"))
    borrowers = [c for c in clients if rng.random() < LOAN_SHARE]
    midday = {}
    for visit in DecisionVisit.objects.filter(
            decision__in=Decision.objects.active_on(today), slot="midday").order_by("pk"):
        midday.setdefault(visit.decision.client_id, visit.pk)
    devices: list[Device] = []
    plans: list[tuple[int, int, int]] = []  # device index, client id, district id
    serial = 0
    for client_id, district_id in borrowers:
        kind = rng.choices(range(len(types)), weights=shares)[0]
        serial += 1
        devices.append(Device(device_type=types[kind], serial=f"{types[kind].code[:3].upper()}-{serial:05d}",
                              state=Device.State.ON_LOAN,
                              acquired_on=today - dt.timedelta(days=rng.randrange(200, 2000))))
        plans.append((len(devices) - 1, client_id, district_id))
    for kind in types:  # the stock, some of it in the showroom
        for n in range(max(3, len(borrowers) // 20)):
            serial += 1
            devices.append(Device(device_type=kind, serial=f"{kind.code[:3].upper()}-{serial:05d}",
                                  in_showroom=kind.welfare_technology and n == 0,
                                  state=Device.State.IN_REPAIR if n == 1 else
                                  Device.State.IN_STOCK,
                                  acquired_on=today - dt.timedelta(days=rng.randrange(30, 900))))
    devices = Device.objects.bulk_create(devices, batch_size=2000)
    loans = []
    for index, client_id, district_id in plans:
        device = devices[index]
        kind = device.device_type
        lent = today - dt.timedelta(days=rng.randrange(5, 700))
        service_on = None
        if kind.service_months:
            service_on = add_months(lent, kind.service_months)
            while service_on < today:
                service_on = add_months(service_on, kind.service_months)
            if rng.random() < 0.2:  # due soon, or a little overdue
                service_on = today + dt.timedelta(days=rng.randrange(-20, 14))
        loans.append(Loan(
            device=device, client_id=client_id, district_id=district_id, lent_on=lent,
            installed_on=lent if kind.welfare_technology else None, next_service_on=service_on,
            replaces_visit_id=midday.get(client_id) if kind.may_replace_visit else None,
            lent_by=service))
    Loan.objects.bulk_create(loans, batch_size=2000)
    planners = {u.district_id: u for u in User.objects.filter(role=Role.PLANNER)}
    requests = []
    for client_id, district_id in rng.sample(clients, min(len(clients), 3 * len(planners))):
        if district_id not in planners:
            continue
        kind = rng.choices(types, weights=shares)[0]
        requests.append(DeviceRequest(
            client_id=client_id, district_id=district_id, device_type=kind,
            reason=rng.choice(("Falt hjemme to ganger.", "Pårørende ønsker trygghet om natten.",
                               "Kan ta medisinene selv med påminnelse.")),
            replaces_visit_id=midday.get(client_id) if kind.may_replace_visit else None,
            requested_on=today - dt.timedelta(days=rng.randrange(0, 20)),
            requested_by=planners[district_id]))
    DeviceRequest.objects.bulk_create(requests)
    return len(types) + len(devices) + len(loans) + len(requests)
