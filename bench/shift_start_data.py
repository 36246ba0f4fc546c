"""A light day shift for the server benchmarks, in seconds instead of the
demo city's minutes: one district's home care (its teams of carers with
logins, their clients with decisions), today's visits made from the
decisions (`do_generate_day`) and a current plan per team made by the
planner (`do_queue_plan` + `runner.run_plan`, one second of search each).

Used by `bench/shift_start.py --data light` (the small run in `.ci/run`) and
`bench/pg_restart.py`. Needs a migrated, empty database and Django set up.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

CARERS_PER_TEAM = 10
CLIENTS_PER_CARER = 2.9  # as the demo builder (tillit.demo.builder)
PLAN_SECONDS = 1.0  # the planner's shortest allowed search


@dataclass
class LightShift:
    usernames: list[str] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)
    visits: int = 0
    assigned: int = 0


def build_light(carers: int, password_hash: str, *, seed: int = 1,
                district_slug: str = "sagene") -> LightShift:
    """`carers` carers of `district_slug` in teams of ten, each with a login
    (`password_hash` already made: one hash for all), 2.9 clients a carer
    with morning visits (every third also at midday), today's day shift
    rostered and planned."""
    from django.db import transaction
    from django.utils import timezone

    from tillit.accounts.models import Role, User
    from tillit.clients.models import Client
    from tillit.core import districts, fnr
    from tillit.decisions import reference
    from tillit.decisions.models import Decision, DecisionVisit, ServiceType, Slot
    from tillit.organisation.models import (
        City,
        District,
        Employee,
        Provider,
        Sector,
        Team,
        Unit,
    )
    from tillit.planning import runner, services
    from tillit.planning.models import Assignment, RosterEntry, ShiftKind

    rng = random.Random(seed)
    today = timezone.localdate()
    shift = LightShift()
    with transaction.atomic():
        reference.ensure()
        oslo = City.objects.get_or_create(slug="oslo", defaults={"name": "Oslo"})[0]
        for info in districts.DISTRICTS:
            District.objects.get_or_create(slug=info.slug, defaults={
                "city": oslo, "number": info.number, "name": info.name,
                "population": info.population_2020})
        district = District.objects.get(slug=district_slug)
        unit = Unit.objects.create(district=district, name=f"Hjemmetjenesten {district.name}",
                                   sector=Sector.HEALTH)
        provider = Provider.objects.create(name=unit.name, kind=Provider.Kind.MUNICIPAL,
                                           unit=unit)
        provider.districts.add(district)
        service = ServiceType.objects.get(code="home-nursing")
        teams = [Team.objects.create(district=district, unit=unit,
                                     name=f"Sone {n + 1} {district.name}")
                 for n in range(math.ceil(carers / CARERS_PER_TEAM))]
        serial = 100
        for n in range(carers):
            team = teams[n // CARERS_PER_TEAM]
            nurse = n % CARERS_PER_TEAM == 0
            user = User.objects.create(
                username=f"vakt.{n + 1}", password=password_hash, role=Role.CARER,
                district=district, first_name="Pleier", last_name=f"Vakt {n + 1}")
            employee = Employee.objects.create(
                employee_number=f"V{n + 1:05d}", given_name="Pleier",
                family_name=f"Vakt {n + 1}", title="Sykepleier" if nurse else "Helsefagarbeider",
                competence="nurse" if nurse else "health_worker",
                qualifications=["insulin"] if nurse else [], fte_percent=100,
                contract_type="permanent", sector=Sector.HEALTH, gender="unstated",
                district=district, unit=unit, team=team, provider=provider, travel_mode="walk",
                user=user)
            RosterEntry.objects.create(employee=employee, team=team, date=today,
                                       shift=ShiftKind.DAY, start=dt.time(7, 30),
                                       end=dt.time(15), travel_mode="walk")
            shift.usernames.append(user.username)
            shift.user_ids.append(user.pk)
        for team_index, team in enumerate(teams):
            in_team = min(CARERS_PER_TEAM, carers - team_index * CARERS_PER_TEAM)
            for c in range(round(in_team * CLIENTS_PER_CARER)):
                number = None
                while number is None:
                    serial += 1
                    birth = dt.date(1930 + rng.randrange(60), 1 + rng.randrange(12),
                                    1 + rng.randrange(28))
                    number = fnr.synthetic_number(birth, serial)
                lat, lon = districts.random_point_in(district_slug, rng)
                client = Client.objects.create(
                    given_name="Kari", family_name=f"Nordmann {serial}", national_id=number,
                    address=f"Vaktveien {serial}", postal_code="0450", latitude=lat,
                    longitude=lon, provider=provider, team=team)
                decision = Decision.objects.create(
                    client=client, service_type=service, provider=provider,
                    valid_from=today - dt.timedelta(days=60), weekly_minutes=300,
                    decided_at=timezone.now())
                start = dt.time(7, 30) if c % 2 else dt.time(8, 30)
                DecisionVisit.objects.create(
                    decision=decision, order=0, weekdays=list(range(7)), slot=Slot.MORNING,
                    window_start=start, window_end=dt.time(start.hour + 2, start.minute),
                    minutes=20 + 5 * (c % 3), competence="health_worker", tasks="Morgenstell")
                if c % 3 == 0:
                    DecisionVisit.objects.create(
                        decision=decision, order=1, weekdays=list(range(7)), slot=Slot.MIDDAY,
                        window_start=dt.time(11), window_end=dt.time(14), minutes=15,
                        competence="assistant", tasks="Lunsj og medisiner")
    for team in teams:
        shift.visits += services.do_generate_day(team, today, ShiftKind.DAY).created
        plan = services.do_queue_plan(team, today, ShiftKind.DAY, time_limit=PLAN_SECONDS,
                                      enqueue=False)
        plan = runner.run_plan(plan.pk, seed=seed)
        if plan.status != plan.Status.DONE:
            raise SystemExit(f"the plan of {team.name} failed: {plan.error}")
        shift.plan_ids.append(plan.pk)
    shift.assigned = Assignment.objects.filter(plan_id__in=shift.plan_ids).count()
    return shift
