"""The demo city: a deterministic synthetic Oslo.

At scale 1.0 it is Oslo-sized (about 15 000 home care clients and 5 000+
employees); at 0.02 a small city for tests. Everything is invented: names
from `names.py`, synthetic fødselsnummer (month + 80) only, clients placed
inside the real district borders, denser around each district's centres.
The same seed gives the same city.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from tillit.accounts.models import Role, User
from tillit.clients.models import Client, ContactPerson, PrimaryContact
from tillit.core import districts as district_data
from tillit.core import fnr
from tillit.daylist.demo_data import build_care_plans
from tillit.demo import names
from tillit.devices.demo_data import build_devices
from tillit.inquiries.demo_data import build_inquiries
from tillit.insight import demo_data as insight_demo
from tillit.organisation.models import (
    Agency,
    City,
    Competence,
    District,
    Employee,
    Provider,
    Sector,
    Team,
    TeamVersion,
    Unit,
    UnitVersion,
)
from tillit.planning import demo_data as planning_demo
from tillit.projects.demo_data import build_projects
from tillit.routines.demo_data import build_routines
from tillit.training.demo_data import build_training
from tillit.workwear.demo_data import build_workwear

Progress = Callable[[str, int, int], None]

OSLO_CLIENTS = 15_000  # home care clients at scale 1.0
CLIENTS_PER_CARER = 2.9  # gives 5 000+ carers at scale 1.0
DEMO_START = dt.date(2020, 1, 1)
CARER_LOGINS_PER_DISTRICT = 3
PRIVATE_PROVIDERS = (
    ("Omsorgspartner Oslo AS", ("frogner", "ullern", "vestre-aker", "st-hanshaugen")),
    ("Hjemmehjelpen Øst AS", ("alna", "grorud", "stovner", "bjerke")),
    ("Trygg Hverdag Sør AS", ("nordstrand", "sondre-nordstrand", "ostensjo")),
    ("Byomsorg AS", ("gamle-oslo", "grunerlokka", "sagene", "nordre-aker")),
)
# City agencies with leaders outside health, for the span-of-control analysis.
AGENCIES = (
    ("Bestillerkontoret, sentralt", "bestillerkontoret", Agency.Kind.PURCHASER_OFFICE, Sector.PURCHASER),
    ("Helseetaten", "helseetaten", Agency.Kind.HEALTH, Sector.HEALTH),
    ("Sykehjemsetaten", "sykehjemsetaten", Agency.Kind.NURSING_HOMES, Sector.HEALTH),
    ("Velferdsetaten", "velferdsetaten", Agency.Kind.WELFARE, Sector.ADMINISTRATION),
    ("Bymiljøetaten", "bymiljoetaten", Agency.Kind.OTHER, Sector.TECHNICAL),
    ("Utdanningsetaten", "utdanningsetaten", Agency.Kind.OTHER, Sector.EDUCATION),
    ("Økonomietaten", "okonomietaten", Agency.Kind.OTHER, Sector.FINANCE),
    ("Personal- og organisasjonsetaten", "personaletaten", Agency.Kind.OTHER, Sector.HR),
)
# Share of women, and typical span of control, per sector (invented, plausible).
SECTOR_PROFILE = {
    Sector.HEALTH: (0.86, (20, 45)),
    Sector.PURCHASER: (0.8, (8, 15)),
    Sector.ADMINISTRATION: (0.6, (6, 12)),
    Sector.TECHNICAL: (0.2, (5, 10)),
    Sector.EDUCATION: (0.7, (8, 16)),
    Sector.FINANCE: (0.5, (5, 10)),
    Sector.HR: (0.7, (5, 10)),
}
SKILLS = ("insulin", "wound_care", "catheter", "medication", "stoma", "palliative_care")


@dataclass
class DemoSummary:
    seed: int
    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def demo_team_phone(district_number: int, team_number: int) -> str:
    """A synthetic team phone: '40 00 DD TT' (district, team). Norway keeps no
    number range for fiction, so no valid number is guaranteed unassigned; one
    fixed, recognisable block with the district and team in its last digits
    keeps the demo's numbers few and plainly made up (docs/demo-data.md)."""
    return f"40 00 {district_number:02d} {team_number:02d}"


def _silent(stage: str, done: int, total: int) -> None:
    return None


class _Builder:
    def __init__(self, scale: float, seed: int, progress: Progress, today: dt.date,
                 plan_now: bool = True) -> None:
        self.plan_now = plan_now
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress
        self.today = today
        self.summary = DemoSummary(seed=seed, scale=scale)
        self.employee_seq = 0
        self.national_ids: set[str] = set()
        self.password = make_password(_demo_password())

    # -- helpers ---------------------------------------------------------
    def count(self, what: str, n: int) -> None:
        self.summary.counts[what] = self.summary.counts.get(what, 0) + n

    def person_name(self, female: bool) -> tuple[str, str]:
        given = self.rng.choice(names.FEMALE_GIVEN if female else names.MALE_GIVEN)
        return given, self.rng.choice(names.FAMILY)

    def weighted(self, options: tuple[tuple[str, int], ...]) -> str:
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def new_employee(self, *, sector: str, title: str, **fields: object) -> Employee:
        share_female, _span = SECTOR_PROFILE[sector]
        female = self.rng.random() < share_female
        given, family = self.person_name(female)
        self.employee_seq += 1
        gender = Employee.Gender.FEMALE if female else Employee.Gender.MALE
        if self.rng.random() < 0.01:
            gender = self.rng.choice([Employee.Gender.OTHER, Employee.Gender.UNSTATED])
        return Employee(
            employee_number=f"A{self.employee_seq:06d}",
            given_name=given,
            family_name=family,
            title=title,
            sector=sector,
            gender=gender,
            fte_percent=Decimal(self.rng.choice([50, 60, 75, 80, 90, 100, 100, 100])),
            contract_type=self.weighted(
                (("permanent", 78), ("temporary", 12), ("hourly", 10))
            ),
            valid_from=DEMO_START + dt.timedelta(days=self.rng.randrange(0, 1500)),
            **fields,
        )

    def synthetic_id(self, birth: dt.date) -> str:
        serial = self.rng.randrange(0, 500)
        while True:
            number = fnr.synthetic_number(birth, serial)
            if number is not None and number not in self.national_ids:
                self.national_ids.add(number)
                return number
            serial += 1

    # -- stages ----------------------------------------------------------
    def build(self) -> DemoSummary:
        self.organisation()
        self.staff()
        self.clients()
        self.users()
        self.decisions()
        # training first: the qualifications it backs are the skills planning reads
        self.count("training rows", build_training(seed=self.seed, today=self.today))
        self.count("planning rows", planning_demo.build(seed=self.seed, today=self.today, progress=self.progress, plan_now=self.plan_now))  # noqa: E501
        self.count("care plans", build_care_plans(seed=self.seed))
        self.staffing()  # after the rosters: the running month's snapshot counts them
        self.count("insight rows", insight_demo.build(seed=self.seed, today=self.today, scale=self.scale))  # noqa: E501
        self.count("routine rows", build_routines(seed=self.seed, today=self.today))
        self.count("intake rows", build_inquiries(seed=self.seed, today=self.today))
        self.count("project rows", build_projects(seed=self.seed, today=self.today))
        self.count("device rows", build_devices(seed=self.seed, today=self.today))
        self.count("workwear rows", build_workwear(seed=self.seed, today=self.today))
        return self.summary

    def decisions(self) -> None:
        """A year of applications, assessments and decisions for every client."""
        from tillit.decisions.demo_data import build_decisions

        rows = build_decisions(seed=self.seed, today=self.today, progress=self.progress)
        self.count("purchaser office rows", rows)

    def staffing(self) -> None:
        """Care situations, responsible nurses and a year of staffing snapshots."""
        from tillit.staffing.demo_data import build

        self.count("staffing rows", build(seed=self.seed, today=self.today, progress=self.progress))

    def organisation(self) -> None:
        self.city = City.objects.create(name="Oslo", slug="oslo")
        self.districts = District.objects.bulk_create(
            [
                District(
                    city=self.city,
                    number=d.number,
                    name=d.name,
                    slug=d.slug,
                    population=d.population_2020,
                    valid_from=DEMO_START,
                )
                for d in district_data.DISTRICTS
            ]
        )
        self.count("districts", len(self.districts))
        self.agencies = Agency.objects.bulk_create(
            [
                Agency(city=self.city, name=name, slug=slug, kind=kind, valid_from=DEMO_START)
                for name, slug, kind, _sector in AGENCIES
            ]
        )
        self.count("agencies", len(self.agencies))
        units: list[Unit] = []
        for district in self.districts:
            units.append(Unit(district=district, name=f"Hjemmetjenesten {district.name}",
                              sector=Sector.HEALTH, valid_from=DEMO_START))
            units.append(Unit(district=district, name=f"Bestillerkontoret {district.name}",
                              sector=Sector.PURCHASER, is_purchaser_office=True,
                              valid_from=DEMO_START))
            units.append(Unit(district=district, name=f"Bydelsadministrasjonen {district.name}",
                              sector=Sector.ADMINISTRATION, valid_from=DEMO_START))
        for agency, (_name, _slug, _kind, sector) in zip(self.agencies, AGENCIES, strict=True):
            units.append(Unit(agency=agency, name=agency.name, sector=sector,
                              is_purchaser_office=agency.kind == Agency.Kind.PURCHASER_OFFICE,
                              valid_from=DEMO_START))
        self.units = Unit.objects.bulk_create(units)
        UnitVersion.objects.bulk_create(
            [UnitVersion(unit=u, name=u.name, valid_from=DEMO_START) for u in self.units]
        )
        self.count("units", len(self.units))
        self.count("unit versions", len(self.units))
        self.home_care = {u.district_id: u for u in self.units if u.sector == Sector.HEALTH and u.district_id}
        self.purchaser = {u.district_id: u for u in self.units if u.is_purchaser_office and u.district_id}
        self.admin_units = {u.district_id: u for u in self.units if u.sector == Sector.ADMINISTRATION and u.district_id}
        self.agency_units = [u for u in self.units if u.agency_id]

        municipal = Provider.objects.bulk_create(
            [
                Provider(name=f"Hjemmetjenesten {d.name}", kind=Provider.Kind.MUNICIPAL,
                         unit=self.home_care[d.pk], valid_from=DEMO_START)
                for d in self.districts
            ]
        )
        self.municipal = {p.unit.district_id: p for p in municipal}
        private = Provider.objects.bulk_create(
            [
                Provider(name=name, kind=Provider.Kind.PRIVATE,
                         organisation_number=f"9{self.rng.randrange(10**7, 10**8)}",
                         valid_from=DEMO_START)
                for name, _ in PRIVATE_PROVIDERS
            ]
        )
        self.private_providers = private
        by_slug = {d.slug: d for d in self.districts}
        links = []
        self.private_for: dict[int, list[Provider]] = {d.pk: [] for d in self.districts}
        for provider, (_name, slugs) in zip(private, PRIVATE_PROVIDERS, strict=True):
            for slug in slugs:
                links.append(Provider.districts.through(provider=provider, district=by_slug[slug]))
                self.private_for[by_slug[slug].pk].append(provider)
        for p in municipal:
            links.append(Provider.districts.through(provider=p, district_id=p.unit.district_id))
        Provider.districts.through.objects.bulk_create(links)
        self.count("providers", len(municipal) + len(private))
        self.progress("organisation", 1, 1)

    def clients_per_district(self) -> dict[int, int]:
        total_pop = sum(d.population for d in self.districts)
        return {
            d.pk: max(8, round(OSLO_CLIENTS * self.scale * d.population / total_pop))
            for d in self.districts
        }

    def staff(self) -> None:
        self.client_targets = self.clients_per_district()
        employees: list[Employee] = []
        self.teams_by_district: dict[int, list[Team]] = {}
        team_rows: list[Team] = []
        team_sizes: dict[int, list[int]] = {}
        for district in self.districts:
            carers = max(CARER_LOGINS_PER_DISTRICT + 3,
                         math.ceil(self.client_targets[district.pk] / CLIENTS_PER_CARER))
            team_count = max(1, round(carers / 20))
            sizes = [carers // team_count + (1 if i < carers % team_count else 0)
                     for i in range(team_count)]
            team_sizes[district.pk] = sizes
            for i in range(team_count):
                team_rows.append(Team(district=district, unit=self.home_care[district.pk],
                                      name=f"{district.name} sone {i + 1}", valid_from=DEMO_START,
                                      phone=demo_team_phone(district.number, i + 1),
                                      email=f"sone{i + 1}.{district.slug}@example.org"))
        teams = Team.objects.bulk_create(team_rows)
        TeamVersion.objects.bulk_create(
            [TeamVersion(team=t, name=t.name, valid_from=DEMO_START) for t in teams]
        )
        self.count("teams", len(teams))
        self.count("team versions", len(teams))
        for t in teams:
            self.teams_by_district.setdefault(t.district_id, []).append(t)

        # Leaders first (they are reported to), then everyone else.
        leaders: list[Employee] = []
        self.district_heads: dict[int, Employee] = {}
        self.home_care_heads: dict[int, Employee] = {}
        self.team_leaders: dict[int, Employee] = {}
        self.purchaser_heads: dict[int, Employee] = {}
        for district in self.districts:
            head = self.new_employee(sector=Sector.ADMINISTRATION, title="Bydelsdirektør",
                                     is_leader=True, district=district,
                                     unit=self.admin_units[district.pk])
            hc = self.new_employee(sector=Sector.HEALTH, title="Enhetsleder hjemmetjenesten",
                                   competence=Competence.NURSE, is_leader=True,
                                   district=district, unit=self.home_care[district.pk])
            ph = self.new_employee(sector=Sector.PURCHASER, title="Leder bestillerkontoret",
                                   is_leader=True, district=district,
                                   unit=self.purchaser[district.pk])
            self.district_heads[district.pk], self.home_care_heads[district.pk] = head, hc
            self.purchaser_heads[district.pk] = ph
            leaders += [head, hc, ph]
            for team in self.teams_by_district[district.pk]:
                tl = self.new_employee(sector=Sector.HEALTH, title="Avdelingssykepleier",
                                       competence=Competence.NURSE, is_leader=True,
                                       district=district, unit=self.home_care[district.pk],
                                       team=team, qualifications=["medication"])
                self.team_leaders[team.pk] = tl
                leaders.append(tl)
        self.agency_heads: dict[int, Employee] = {}
        for unit, (_n, _s, _k, sector) in zip(self.agency_units, AGENCIES, strict=True):
            head = self.new_employee(sector=sector, title=f"Direktør {unit.name}", is_leader=True,
                                     unit=unit)
            self.agency_heads[unit.pk] = head
            leaders.append(head)
        Employee.objects.bulk_create(leaders)
        # Reporting lines among leaders.
        for district in self.districts:
            head = self.district_heads[district.pk]
            for emp in (self.home_care_heads[district.pk], self.purchaser_heads[district.pk]):
                emp.reports_to = head
            for team in self.teams_by_district[district.pk]:
                self.team_leaders[team.pk].reports_to = self.home_care_heads[district.pk]
        Employee.objects.bulk_update(leaders, ["reports_to"])
        Team.objects.bulk_update(
            [self._set_leader(t) for t in teams], ["leader"]
        )
        Unit.objects.bulk_update([self._set_unit_leader(u) for u in self.units], ["leader"])

        # Carers in teams, case handlers, administration and agency staff.
        for district in self.districts:
            for team, size in zip(self.teams_by_district[district.pk], team_sizes[district.pk],
                                  strict=True):
                for _ in range(size):
                    employees.append(self.new_carer(district, team))
            for _ in range(max(2, round(8 * self.scale ** 0.5))):
                employees.append(self.new_employee(
                    sector=Sector.PURCHASER, title="Saksbehandler", district=district,
                    unit=self.purchaser[district.pk],
                    reports_to=self.purchaser_heads[district.pk]))
            for _ in range(max(2, round(6 * self.scale ** 0.5))):
                employees.append(self.new_employee(
                    sector=Sector.ADMINISTRATION, title="Rådgiver", district=district,
                    unit=self.admin_units[district.pk],
                    reports_to=self.district_heads[district.pk]))
        for unit, (_n, _s, _k, sector) in zip(self.agency_units, AGENCIES, strict=True):
            low, high = SECTOR_PROFILE[sector][1]
            sub_leaders = max(1, round(4 * self.scale ** 0.5))
            for _ in range(sub_leaders):
                sub = self.new_employee(sector=sector, title="Seksjonsleder", is_leader=True,
                                        unit=unit, reports_to=self.agency_heads[unit.pk])
                sub.save()
                for _ in range(self.rng.randint(low, high)):
                    employees.append(self.new_employee(
                        sector=sector, title="Rådgiver" if sector != Sector.TECHNICAL
                        else self.rng.choice(["Ingeniør", "Driftstekniker", "Rådgiver"]),
                        unit=unit, reports_to=sub))
        employees += self.private_provider_staff()
        self.progress("employees", 0, len(employees))
        for start in range(0, len(employees), 2000):
            Employee.objects.bulk_create(employees[start:start + 2000])
            self.progress("employees", min(start + 2000, len(employees)), len(employees))
        self.count("employees", Employee.objects.count())
        self.carers_by_team: dict[int, list[Employee]] = {}
        for emp in Employee.objects.filter(team__isnull=False, is_leader=False).order_by("pk"):
            self.carers_by_team.setdefault(emp.team_id, []).append(emp)

    def private_provider_staff(self) -> list[Employee]:
        """Carers employed by the private providers, sized by the share of
        clients who chose one (about 12 % in the districts they serve)."""
        staff: list[Employee] = []
        for provider in self.private_providers:
            served = [d for d in self.districts if provider in self.private_for[d.pk]]
            clients = sum(self.client_targets[d.pk] for d in served) * 0.12 / 2
            leader = self.new_employee(sector=Sector.HEALTH, title="Daglig leder",
                                       competence=Competence.NURSE, is_leader=True,
                                       provider=provider)
            leader.save()
            for _ in range(max(2, round(clients / CLIENTS_PER_CARER))):
                carer = self.new_carer(served[0], None)
                carer.district, carer.unit, carer.team = None, None, None
                carer.provider, carer.reports_to = provider, leader
                staff.append(carer)
        return staff

    def _set_leader(self, team: Team) -> Team:
        team.leader = self.team_leaders[team.pk]
        return team

    def _set_unit_leader(self, unit: Unit) -> Unit:
        if unit.agency_id:
            unit.leader = self.agency_heads[unit.pk]
        elif unit.sector == Sector.HEALTH:
            unit.leader = self.home_care_heads[unit.district_id]
        elif unit.is_purchaser_office:
            unit.leader = self.purchaser_heads[unit.district_id]
        else:
            unit.leader = self.district_heads[unit.district_id]
        return unit

    def new_carer(self, district: District, team: Team | None) -> Employee:
        competence = self.weighted(
            ((Competence.NURSE, 25), (Competence.HEALTH_WORKER, 40), (Competence.ASSISTANT, 35))
        )
        title = {
            Competence.NURSE: "Sykepleier",
            Competence.HEALTH_WORKER: "Helsefagarbeider",
            Competence.ASSISTANT: "Assistent",
        }[competence]
        skills: list[str] = []
        if competence == Competence.NURSE:
            skills = sorted(self.rng.sample(SKILLS, self.rng.randint(2, 5)))
        elif competence == Competence.HEALTH_WORKER:
            skills = sorted(self.rng.sample(SKILLS[:4], self.rng.randint(0, 2)))
        inner = district.number <= 5
        mode = self.weighted(
            (("walk", 45), ("bike", 35), ("car", 20)) if inner
            else (("walk", 10), ("bike", 20), ("car", 70))
        )
        return self.new_employee(
            sector=Sector.HEALTH, title=title, competence=competence, qualifications=skills,
            district=district, unit=self.home_care[district.pk], team=team,
            reports_to=self.team_leaders[team.pk] if team else None, travel_mode=mode,
        )

    def clients(self) -> None:
        total = sum(self.client_targets.values())
        rows: list[Client] = []
        done = 0
        for district in self.districts:
            teams = self.teams_by_district[district.pk]
            for _ in range(self.client_targets[district.pk]):
                rows.append(self.new_client(district, teams))
            if len(rows) >= 2000:
                Client.objects.bulk_create(rows)
                done += len(rows)
                rows = []
                self.progress("clients", done, total)
        Client.objects.bulk_create(rows)
        done += len(rows)
        self.progress("clients", done, total)
        self.count("clients", done)

        contacts: list[PrimaryContact] = []
        persons: list[ContactPerson] = []
        for client_id, team_id, provider_kind in Client.objects.order_by("pk").values_list(
            "pk", "team_id", "provider__kind"
        ):
            carers = self.carers_by_team.get(team_id, [])
            if provider_kind == Provider.Kind.MUNICIPAL and carers:
                for rank, emp in enumerate(self.rng.sample(carers, min(2, len(carers))), 1):
                    contacts.append(PrimaryContact(client_id=client_id, employee=emp, rank=rank))
            for _ in range(self.rng.choice((0, 1, 1, 1, 2))):
                female = self.rng.random() < 0.6
                given, family = self.person_name(female)
                persons.append(ContactPerson(
                    client_id=client_id, name=f"{given} {family}",
                    relation=self.rng.choice(names.RELATIONS),
                    phone=f"{self.rng.choice('49')}{self.rng.randrange(10**6, 10**7):07d}",
                    is_next_of_kin=self.rng.random() < 0.7,
                ))
        PrimaryContact.objects.bulk_create(contacts, batch_size=2000)
        ContactPerson.objects.bulk_create(persons, batch_size=2000)
        self.count("primary contacts", len(contacts))
        self.count("contact persons", len(persons))

    def new_client(self, district: District, teams: list[Team]) -> Client:
        female = self.rng.random() < 0.62
        given, family = self.person_name(female)
        age = min(103, max(19, int(self.rng.gauss(81, 10)))) if self.rng.random() < 0.88 \
            else self.rng.randint(19, 66)
        birth = self.today.replace(year=self.today.year - age, month=1, day=1) + dt.timedelta(
            days=self.rng.randrange(0, 365)
        )
        national_id = self.synthetic_id(birth)
        lat, lon = district_data.random_point_in(district.slug, self.rng)
        # Teams split the district from west to east.
        team = teams[min(len(teams) - 1, int(self._east_share(district.slug, lon) * len(teams)))]
        private = self.private_for[district.pk]
        provider = (self.rng.choice(private) if private and self.rng.random() < 0.12
                    else self.municipal[district.pk])
        return Client(
            given_name=given,
            family_name=family,
            national_id=national_id,
            birth_date=fnr.parse(national_id).birth_date,
            address=f"{self.rng.choice(names.STREETS)} {self.rng.randint(1, 140)}",
            postal_code=f"{self.rng.randint(150, 1295):04d}",
            latitude=lat,
            longitude=lon,
            district=district,
            team=team,
            provider=provider,
            key_information=self.rng.choice(
                ("", "", "Nøkkelboks ved inngangsdøren", "Ring på, bruker åpner selv",
                 "Nøkkel hos nabo i 2. etasje", "Digital lås")),
            pets=self.weighted(names.PETS),
            language=(lang := self.weighted(names.LANGUAGES)),
            interpreter_needed=bool(lang) and self.rng.random() < 0.4,
        )

    def _east_share(self, slug: str, lon: float) -> float:
        min_lon, _min_lat, max_lon, _max_lat = district_data.borders()[slug].bounds
        return (lon - min_lon) / (max_lon - min_lon)

    def users(self) -> None:
        users: list[User] = []
        links: list[tuple[User, Employee]] = []

        def add(username: str, role: str, district: District | None,
                employee: Employee | None = None, **extra: object) -> None:
            first, last = (employee.given_name, employee.family_name) if employee else ("", "")
            user = User(username=username, role=role, district=district, password=self.password,
                        first_name=first, last_name=last, **extra)
            users.append(user)
            if employee is not None:
                links.append((user, employee))
            self.summary.logins.append((username, str(Role(role).label)))

        add("admin", Role.SYSTEM_ADMIN, None, is_staff=True, is_superuser=True)
        central_head = self.agency_heads[self.agency_units[0].pk]  # the central purchaser office
        add("saksbehandler", Role.CASE_HANDLER, None, central_head)
        add("analytiker", Role.ANALYST, None)
        for district in self.districts:
            add(f"saksbehandler.{district.slug}", Role.CASE_HANDLER, district,
                self.purchaser_heads[district.pk])
            add(f"leder.{district.slug}", Role.DISTRICT_MANAGER, district,
                self.home_care_heads[district.pk])
            first_team = self.teams_by_district[district.pk][0]
            add(f"planlegger.{district.slug}", Role.PLANNER, district,
                self.team_leaders[first_team.pk])
            for n, carer in enumerate(
                self.carers_by_team[first_team.pk][:CARER_LOGINS_PER_DISTRICT], 1
            ):
                add(f"pleier.{district.slug}.{n}", Role.CARER, district, carer)
        User.objects.bulk_create(users)
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        employees = []
        for user, employee in links:
            employee.user = saved[user.username]
            employees.append(employee)
        Employee.objects.bulk_update(employees, ["user"])
        self.count("users", len(users))


def _demo_password() -> str:
    from django.conf import settings

    return settings.TILLIT_DEMO_PASSWORD


def reset_database() -> None:
    """Empty every table (the demo city is re-created from scratch).

    On PostgreSQL inside a transaction (a test that builds twice), rows written
    earlier in it still have deferred foreign-key checks pending, and TRUNCATE
    refuses to run over them: run those checks first."""
    deferred = connection.vendor == "postgresql" and connection.in_atomic_block
    if deferred:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if deferred:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def build_demo_city(
    *, scale: float = 0.05, seed: int = 1, progress: Progress | None = None,
    today: dt.date | None = None, reset: bool = True, plan_now: bool = True,
) -> DemoSummary:
    """Build the demo city. `plan_now=False` queues every shift's plan for the
    task worker instead of planning during the build."""
    if scale <= 0 or scale > 5:
        raise ValueError("scale must be above 0 and at most 5")
    if reset:
        reset_database()
    builder = _Builder(scale, seed, progress or _silent, today or timezone.localdate(), plan_now)
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA defer_foreign_keys = ON")
        summary = builder.build()
    return summary
