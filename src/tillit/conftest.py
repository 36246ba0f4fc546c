"""Project-wide test fixtures: the city, personas named as in the API
contract, and synthetic clients.

    def test_x(planlegger_sagene, make_client):
        client = make_client("sagene")          # in Sagene's home care team

Personas: `saksbehandler` (central purchaser office), `saksbehandler_sagene`,
`leder_sagene`, `planlegger_sagene`, `pleier_alna_1`, `analytiker`,
`admin_user` (system administrator with staff status). `make_user(username,
role, district_slug=None)` makes more; planners and carers also get an
Employee in the district's home care team.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable, Iterator
from itertools import count

import pytest

from tillit.accounts.models import Role, User
from tillit.clients.models import Client
from tillit.core import districts, fnr
from tillit.organisation.models import (
    City,
    District,
    Employee,
    Provider,
    Sector,
    Team,
    Unit,
)

PASSWORD = "correct horse battery staple"
_serial = count(100)
_employee_number = count(1)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _bokmal_active() -> Iterator[None]:
    """Every test starts with the site language (bokmål) active. A request through the
    test client activates the language it asks for and leaves it active in the test's
    thread, so a test that asked for English would change what lazy texts say in the
    next test the same worker runs."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def city(db) -> City:
    oslo = City.objects.get_or_create(slug="oslo", defaults={"name": "Oslo"})[0]
    for info in districts.DISTRICTS:
        District.objects.get_or_create(
            slug=info.slug,
            defaults={"city": oslo, "number": info.number, "name": info.name,
                      "population": info.population_2020},
        )
    return oslo


def home_care(district: District) -> tuple[Unit, Team, Provider]:
    """The district's municipal home care: unit, one team and the provider."""
    unit = Unit.objects.filter(district=district, sector=Sector.HEALTH).first()
    if unit is None:
        unit = Unit.objects.create(
            district=district, name=f"Hjemmetjenesten {district.name}", sector=Sector.HEALTH
        )
    team = Team.objects.filter(district=district, unit=unit).first()
    if team is None:
        team = Team.objects.create(district=district, unit=unit, name=f"Sone 1 {district.name}")
    provider = Provider.objects.filter(unit=unit, kind=Provider.Kind.MUNICIPAL).first()
    if provider is None:
        provider = Provider.objects.create(
            name=unit.name, kind=Provider.Kind.MUNICIPAL, unit=unit
        )
        provider.districts.add(district)
    return unit, team, provider


@pytest.fixture
def make_user(city: City) -> Callable[..., User]:
    def make(username: str, role: str, district_slug: str | None = None, **fields: object) -> User:
        district = District.objects.get(slug=district_slug) if district_slug else None
        first, _, last = username.partition(".")
        user = User.objects.create_user(
            username, password=PASSWORD, role=role, district=district,
            first_name=first.title(), last_name=last.replace(".", " ").title(), **fields,
        )
        if district is not None and role in {Role.PLANNER, Role.CARER}:
            unit, team, provider = home_care(district)
            Employee.objects.create(
                employee_number=f"T{next(_employee_number):05d}", given_name=user.first_name,
                family_name=user.last_name or "Test", title=str(Role(role).label),
                competence="nurse", fte_percent=100, contract_type="permanent",
                sector=Sector.HEALTH, gender="unstated", district=district, unit=unit,
                team=team, provider=provider, user=user,
            )
        return user

    return make


@pytest.fixture
def saksbehandler(make_user) -> User:
    return make_user("saksbehandler", Role.CASE_HANDLER)


@pytest.fixture
def saksbehandler_sagene(make_user) -> User:
    return make_user("saksbehandler.sagene", Role.CASE_HANDLER, "sagene")


@pytest.fixture
def leder_sagene(make_user) -> User:
    return make_user("leder.sagene", Role.DISTRICT_MANAGER, "sagene")


@pytest.fixture
def planlegger_sagene(make_user) -> User:
    return make_user("planlegger.sagene", Role.PLANNER, "sagene")


@pytest.fixture
def pleier_alna_1(make_user) -> User:
    return make_user("pleier.alna.1", Role.CARER, "alna")


@pytest.fixture
def analytiker(make_user) -> User:
    return make_user("analytiker", Role.ANALYST)


@pytest.fixture
def admin_user(make_user) -> User:
    return make_user("admin", Role.SYSTEM_ADMIN, is_staff=True)


@pytest.fixture
def personas(
    saksbehandler, saksbehandler_sagene, leder_sagene, planlegger_sagene, pleier_alna_1,
    analytiker, admin_user,
) -> dict[str, User]:
    """Every persona by username."""
    users = [saksbehandler, saksbehandler_sagene, leder_sagene, planlegger_sagene,
             pleier_alna_1, analytiker, admin_user]
    return {u.username: u for u in users}


@pytest.fixture
def make_client(city: City) -> Callable[..., Client]:
    rng = random.Random(20261123)

    def make(district_slug: str = "sagene", **fields: object) -> Client:
        district = District.objects.get(slug=district_slug)
        _unit, team, provider = home_care(district)
        lat, lon = districts.random_point_in(district_slug, rng)
        number = None
        while number is None:
            birth = dt.date(1930 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
            number = fnr.synthetic_number(birth, next(_serial))
        serial = next(_serial)
        data: dict[str, object] = {
            "given_name": "Kari", "family_name": f"Nordmann{serial}", "national_id": number,
            "address": f"Testveien {serial}", "postal_code": "0450", "latitude": lat,
            "longitude": lon, "provider": provider, "team": team,
        }
        data.update(fields)
        return Client.objects.create(**data)

    return make


DEMO_TODAY = dt.date(2026, 11, 23)


@contextlib.contextmanager
def module_demo_city(django_db_blocker, prepare: Callable[[], None] | None = None,
                     **build: object) -> Iterator[object]:
    """A demo city for a module's tests, built outside their transactions
    (fast password hashes, plans queued rather than made unless `build`
    says otherwise), `prepare` run after the build, and the database emptied
    after the module, also when the build fails, so the next module starts
    from nothing. Yields the build's summary."""
    from django.test import override_settings

    from tillit.demo.builder import build_demo_city, reset_database

    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            summary = build_demo_city(**{"plan_now": False, **build})
            if prepare is not None:
                prepare()
        yield summary
    finally:
        with django_db_blocker.unblock():
            reset_database()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The small demo city (scale 0.02, seed 2, 23 November 2026), built once
    per test module and emptied after it; its shifts' plans are queued rather
    than made (tests of the engine's demo plans build their own city).

    Build once, read in many tests: tests that write still run in their own
    rolled-back transaction (`db`)."""
    with module_demo_city(django_db_blocker, scale=0.02, seed=2, today=DEMO_TODAY) as summary:
        yield summary


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server",
                      "demo_city"}  # (every test gets django_db_blocker, autouse)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Mark the tests that touch no database `nodb` (the pure core, the
    engine, file formats): CI's PostgreSQL run leaves them out, as they would
    only repeat the SQLite run."""
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        if not uses_db:
            item.add_marker(pytest.mark.nodb)
